// One batch of the transfer experiment beside the model: the experiment at each size (all five paths, interleaved
// inside each size), how busy the rest of the machine was meanwhile, and the model's rows for it. Used by
// `workbook predict` (one batch) and the model-fit benchmark (several, sizes rotated from batch to batch).
import { runTransferExperiment } from "../experiments/transfer-experiment";
import type { TransferResult } from "../experiments/transfer-records";
import type { MachineParameters } from "../model/cost/machine-profile";
import { startBackgroundMeter, BackgroundLoad } from "./background-load";
import { transferRows, TransferRow } from "./transfer-rows";
import { fitRows, fitSummary, FitRow, FitSummary } from "./fit-table";
import type { CacheState } from "../vocabulary/transfer";
import { MiB } from "../units/sizes";

/** One size of a batch: the experiment's result and the load around it. */
export interface BatchExperiment {
  result: TransferResult;
  background: BackgroundLoad;
  /** Cores the sender and receiver had, from the load (see freeCoresFor). */
  freeCores: number;
}

/** A batch: its experiments, in the order they ran. */
export interface TransferBatch {
  experiments: BatchExperiment[];
}

/** What to run. */
export interface BatchOptions {
  sizes: readonly number[];
  runs: number;
  warmup?: number;
  chunk?: number;
  /** Default "warm": the target is judged on warm rows. */
  cache?: CacheState;
  dir?: string;
  onProgress?: (message: string) => void;
}

/**
 * Cores the two processes of a transfer get when `background` cores' worth of other work shares the machine's
 * `cores`: the core time the others leave idle, or, if more, the scheduler's fair share for 2 of the 2 + background
 * runnable threads; never more than 2 (one each). 2 on an idle two-core machine.
 */
export function freeCoresFor(cores: number, background: number): number {
  return Math.min(2, Math.max(cores - background, (2 * cores) / (2 + background)));
}

/** Runs the experiment at each size (warm cache unless asked), measuring the background load around each. */
export async function runTransferBatch(options: BatchOptions): Promise<TransferBatch> {
  const experiments: BatchExperiment[] = [];
  for (const bytes of options.sizes) {
    options.onProgress?.(`transfer experiment, ${bytes / MiB} MiB, ${options.runs} runs per path`);
    const meter = startBackgroundMeter();
    const result = await runTransferExperiment({ bytes, runs: options.runs, warmup: options.warmup ?? 1, cache: options.cache ?? "warm", chunk: options.chunk, dir: options.dir });
    const background = await meter.stop();
    experiments.push({ result, background, freeCores: freeCoresFor(background.cores, background.backgroundThreads) });
  }
  return { experiments };
}

/** The model's rows for a batch; `assumeQuiet` predicts for two free cores whatever the load was. */
export function batchRows(parameters: MachineParameters, batch: TransferBatch, assumeQuiet = false): TransferRow[] {
  return batch.experiments.flatMap((e) => transferRows(parameters, e.result, assumeQuiet ? 2 : e.freeCores));
}

/** The fit table of several batches: rows over the batches, and the target's summary (null without judged rows). */
export function batchFit(parameters: MachineParameters, batches: readonly TransferBatch[], assumeQuiet = false): { rows: FitRow[]; summary: FitSummary | null } {
  const rows = fitRows(batches.map((b) => batchRows(parameters, b, assumeQuiet)));
  const judged = rows.some((r) => r.cache === "warm" && r.bytes >= 64 * MiB);
  return { rows, summary: judged ? fitSummary(rows) : null };
}
