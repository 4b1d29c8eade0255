// The transfer experiment through links of chosen rates: for each rate a fresh network namespace (its
// loopback shaped by tbf, or left unshaped as the control, so the comparison is namespace against
// namespace), the whole transfer plan run inside it, then the namespace removed. One TransferResult per rate.
import * as path from "path";
import type { LinkRate } from "../units/rates";
import { createLinkNamespace, LinkNamespace } from "../link/namespace";
import { requireLinkTools } from "../link/preconditions";
import { requireNative } from "../native/addon";
import { track, release } from "../cleanup/registry";
import { makeScratchDir } from "../cleanup/scratch-dir";
import { writeDataFile } from "./data-file";
import { writeResultFile } from "./result-file";
import { runTransferExperiment, planTransfer, TransferOptions, TransferProgress } from "./transfer-experiment";
import type { TransferResult } from "./transfer-records";

/** Progress of one rate's plan, and which rate of how many it is. */
export interface LinkTransferProgress extends TransferProgress {
  link: LinkRate;
  linkIndex: number;
  links: number;
}

/** The transfer options plus the links to run them through. */
export interface LinkTransferOptions extends Omit<TransferOptions, "link" | "onProgress"> {
  /** bit/s per link, null for an unshaped namespace; each runs the whole plan, in this order. */
  links: readonly LinkRate[];
  /** Write the results (a JSON array, one per link) here. */
  out?: string;
  onProgress?: (progress: LinkTransferProgress) => void;
  /** Lines worth telling the user (stale namespaces removed). */
  onNotice?: (line: string) => void;
}

/** Runs the plan once per link; checks the options and the machine's preconditions before making anything. */
export async function runTransferOverLinks(options: LinkTransferOptions): Promise<TransferResult[]> {
  const { links, out, onProgress, onNotice, ...transfer } = options;
  const plan = planTransfer(transfer);
  if (links.length === 0) throw new RangeError("links must name at least one rate (or unshaped)");
  requireNative();
  requireLinkTools();
  // One data file for every link, so each compares the same bytes (and 5 links do not write 5 files).
  const scratch = transfer.file ? undefined : makeScratchDir("link-data", plan.bytes, transfer.dir);
  try {
    const file = transfer.file ?? (await writeDataFile(path.join(scratch!.dir, `data-${plan.bytes}.bin`), plan.bytes)).path;
    const results: TransferResult[] = [];
    for (const [linkIndex, rate] of links.entries()) {
      const link = track(createLinkNamespace(rate, { onNotice }));
      const result = await runInside(link, { ...transfer, file, bytes: plan.bytes }, (p) => onProgress?.({ ...p, link: rate, linkIndex, links: links.length }));
      if (scratch) result.conditions.scratchDir = path.dirname(scratch.dir); // where the data lived, as without links
      results.push(result);
    }
    if (out) writeResultFile(out, results);
    return results;
  } finally {
    scratch?.remove();
  }
}

/** One plan inside `link`; the namespace is removed whatever happens, and a failed removal is reported
 *  unless the run itself failed (then that error is the one to see). */
async function runInside(link: LinkNamespace, options: TransferOptions, onProgress: (p: TransferProgress) => void): Promise<TransferResult> {
  let result: TransferResult;
  try {
    result = await runTransferExperiment({ ...options, link, onProgress });
  } catch (error) {
    release(link);
    throw error;
  }
  try {
    link.dispose();
  } finally {
    release(link);
  }
  return result;
}
