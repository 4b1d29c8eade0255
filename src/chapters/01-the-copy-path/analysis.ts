// Chapter 1's model runs: every serving path's counters for one transfer, as one call and in the copy loops'
// chunks, and the step tables the diagrams walk through.
import { modelTransfer, pathSteps, PathSteps, TransferCounts } from "../../model/transfer-model";
import type { CopyPathPlan } from "./plan";

/** The ways the model can serve a file, in the order the chapter compares them. */
export const COPY_PATHS = ["read-write", "mmap-write", "sendfile", "sendfile-sg", "splice"] as const;

/** Result record of the copy-path model run. */
export interface CopyPathResult {
  bytes: number;
  chunk: number;
  /** Counters with the largest call each path allows. */
  single: TransferCounts[];
  /** Counters with the copy loops in `chunk`-byte calls (the zero-copy paths keep their largest call). */
  chunked: TransferCounts[];
  /** The step tables of read+write, sendfile and sendfile with scatter-gather DMA. */
  steps: PathSteps[];
}

/** Runs the model for every serving path at the plan's size; notebook 1 and the report call it. */
export function runCopyPathModel(plan: CopyPathPlan): CopyPathResult {
  const { bytes, chunk } = plan;
  return {
    bytes,
    chunk,
    single: COPY_PATHS.map((p) => modelTransfer(p, bytes)),
    chunked: COPY_PATHS.map((p) => modelTransfer(p, bytes, p === "read-write" || p === "mmap-write" ? chunk : bytes)),
    steps: (["read-write", "sendfile", "sendfile-sg"] as const).map((p) => pathSteps(p)),
  };
}

/** The result for one path, by name. */
export function countsOf(records: TransferCounts[], path: (typeof COPY_PATHS)[number]): TransferCounts {
  const found = records.find((r) => r.path === path);
  if (!found) throw new RangeError(`no counters for ${path}`);
  return found;
}
