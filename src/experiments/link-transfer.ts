// The transfer experiment through links of chosen rates: for each rate a fresh network namespace (its
// loopback shaped by tbf, or left unshaped as the control, so the comparison is namespace against
// namespace) with a receiver inside it. Every namespace lives for the whole experiment, and the runs are
// interleaved across links and paths, one round at a time, so a slow spell of the machine hits every rate
// alike. One TransferResult per rate, in the order the rates were given; every namespace is removed at the end.
import * as path from "path";
import type { LinkRate } from "../units/rates";
import { createLinkNamespace, LinkNamespace } from "../link/namespace";
import { requireLinkTools } from "../link/preconditions";
import { requireNative } from "../native/addon";
import { track, release } from "../cleanup/registry";
import { makeScratchDir } from "../cleanup/scratch-dir";
import { machineConditions } from "./conditions";
import { writeResultFile } from "./result-file";
import { interleavedRuns } from "./run-order";
import { planTransfer, planData, startReceiver, runTransferOnce, transferResult, Receiver, TransferOptions, TransferProgress } from "./transfer-experiment";
import type { TransferResult, TransferRun } from "./transfer-records";
import type { TransferPath } from "../vocabulary/transfer";

/** Progress over all links: the run just done, and which link it went through. */
export interface LinkTransferProgress extends TransferProgress {
  link: LinkRate;
  linkIndex: number;
  links: number;
}

/** The transfer options plus the links to run them through. */
export interface LinkTransferOptions extends Omit<TransferOptions, "link" | "onProgress"> {
  /** bit/s per link, null for an unshaped namespace; each runs the whole plan. */
  links: readonly LinkRate[];
  /** Write the results (a JSON array, one per link) here. */
  out?: string;
  onProgress?: (progress: LinkTransferProgress) => void;
  /** Lines worth telling the user (stale namespaces removed). */
  onNotice?: (line: string) => void;
}

/** One variant of the interleaved order: a path through one link. */
interface LinkRun {
  linkIndex: number;
  path: TransferPath;
}

/** Runs the plan through every link, interleaved; checks the options and the machine's preconditions first. */
export async function runTransferOverLinks(options: LinkTransferOptions): Promise<TransferResult[]> {
  const { links: rates, out, onProgress, onNotice, ...transfer } = options;
  const plan = planTransfer(transfer);
  if (rates.length === 0) throw new RangeError("links must name at least one rate (or unshaped)");
  requireNative();
  requireLinkTools();
  const machine = machineConditions();
  // One data file for every link, so each compares the same bytes; room for a cold copy too.
  const scratch = makeScratchDir("link-data", (plan.file ? 0 : plan.bytes) + (plan.cache === "cold" ? plan.bytes : 0), transfer.dir);
  const links: LinkNamespace[] = [];
  const receivers: Receiver[] = [];
  let failed = true;
  try {
    const data = await planData(plan, scratch.dir);
    for (const rate of rates) {
      const link = track(createLinkNamespace(rate, { onNotice }));
      links.push(link);
      receivers.push(await startReceiver(link));
    }
    const variants: LinkRun[] = links.flatMap((_, linkIndex) => plan.paths.map((p) => ({ linkIndex, path: p })));
    const jobs = interleavedRuns(variants, plan.warmup, plan.runs);
    const runs: TransferRun[][] = links.map(() => []);
    for (const [index, job] of jobs.entries()) {
      const { linkIndex, path: name } = job.item;
      const setup = { path: name, round: job.round, chunk: plan.chunk, cache: plan.cache, backgroundWindowMs: plan.backgroundWindowMs, scratchDir: scratch.dir };
      const run = await runTransferOnce(setup, data, receivers[linkIndex]);
      if (!job.warmup) runs[linkIndex].push(run);
      onProgress?.({ done: index + 1, total: jobs.length, path: name, round: job.round, warmup: job.warmup, wallSeconds: run.wallSeconds, link: rates[linkIndex], linkIndex, links: rates.length });
    }
    // Where the data lived, as without links; the link's qdisc counters are read now that its runs are over.
    const scratchDir = plan.file ? path.dirname(plan.file) : path.dirname(scratch.dir);
    const results = links.map((link, i) => transferResult(plan, data, runs[i], machine, scratchDir, link));
    if (out) writeResultFile(out, results);
    failed = false;
    return results;
  } finally {
    for (const receiver of receivers) await receiver.handle.stop();
    removeAll(links, failed);
    scratch.remove();
  }
}

/** Removes every namespace; a failed removal is reported unless the run itself failed (then that error is
 *  the one to see, and the registry has made a last attempt). */
function removeAll(links: LinkNamespace[], failed: boolean): void {
  const errors: string[] = [];
  for (const link of links) {
    try {
      if (!failed) link.dispose();
    } catch (error) {
      errors.push((error as Error).message);
    } finally {
      release(link);
    }
  }
  if (errors.length > 0) throw new Error(errors.join("; "));
}
