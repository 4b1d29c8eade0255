// Chapter 2's measurement plan: every transfer path at the IBM article's file sizes, 4 KiB copy loops like
// the article's client, repeated and interleaved. Notebook 2 and `workbook run` both call runZeroCopyStudy().
import { runTransferExperiment, TransferProgress } from "../experiments/transfer-experiment";
import { TransferResult } from "../experiments/transfer-records";
import { CalibrationResult } from "../calibration/calibrate";
import { predictTransferCost } from "../prediction/transfer-cost";
import { IBM_TABLE_1 } from "../reference/ibm-zero-copy";
import { Figure } from "../plot/figure";
import { transferTimeFigure, perGiBFigure, ibmRatioFigure } from "../figures/transfer";
import { perGiBRows, measuredRatios, modelRatios, modelSeconds } from "./zero-copy";
import { requireInteger } from "../units/arguments";
import { Scale } from "../report/experiment";
import { TransferPath } from "../vocabulary/transfer";

/** The IBM client's buffer: the traditional paths read 4 KiB at a time. */
export const IBM_CHUNK = 4096;

/** Sizes and repetitions per scale: quick for CI, default for `npm start`, full = every row of IBM Table 1. */
export const STUDY_PLANS: Record<Scale, { sizes: number[]; runs: number }> = {
  quick: { sizes: [7e6, 21e6], runs: 3 },
  default: { sizes: [7e6, 63e6, 200e6], runs: 5 },
  full: { sizes: IBM_TABLE_1.map((r) => r.bytes), runs: 7 },
};

/** What the study measured: one TransferResult per size, and the calibrated model's times when it had a calibration. */
export interface ZeroCopyStudy {
  chunk: number;
  results: TransferResult[];
  /** Predicted wall time per path and size from this machine's calibration (chapter 7), if one was given. */
  predicted?: ModelPoint[];
}

/** One modelled time: a path at a size. */
export interface ModelPoint {
  path: TransferPath;
  bytes: number;
  seconds: number;
}

/** The calibrated model's times for every path and size of a study; called with a calibration by the report. */
export function calibratedPoints(calibration: CalibrationResult, results: TransferResult[], chunk: number): ModelPoint[] {
  return results.flatMap((r) =>
    r.summaries.map((s) => ({ path: s.path, bytes: r.conditions.bytes, seconds: predictTransferCost(calibration.parameters, s.path, r.conditions.bytes, { chunk, cache: "warm" }).wallSeconds })),
  );
}

/** The model's time per path and size: calibrated when the study has it, else the cost model's default machine. */
export function modelPoints(study: ZeroCopyStudy): ModelPoint[] {
  if (study.predicted) return study.predicted;
  return study.results.flatMap((r) => r.summaries.map((s) => ({ path: s.path, bytes: r.conditions.bytes, seconds: modelSeconds(s.path, r.conditions.bytes, study.chunk) })));
}

/** Runs the transfer experiment at each size (all five paths, interleaved); progress spans all sizes. */
export async function runZeroCopyStudy(
  sizes: number[],
  runs: number,
  onProgress: (fraction: number, label: string) => void = () => undefined,
): Promise<ZeroCopyStudy> {
  requireInteger("runs", runs, 1, 100);
  if (!Array.isArray(sizes) || sizes.length === 0) throw new RangeError("sizes must be a non-empty list of byte counts");
  const results: TransferResult[] = [];
  for (const [i, bytes] of sizes.entries()) {
    const onStep = (p: TransferProgress) => onProgress((i + p.done / p.total) / sizes.length, `${(bytes / 1e6).toFixed(0)} MB ${p.path}`);
    results.push(await runTransferExperiment({ bytes, runs, chunk: IBM_CHUNK, cache: "warm", onProgress: onStep }));
  }
  return { chunk: IBM_CHUNK, results };
}

/** Every chapter-2 figure of a study, in reading order. */
export function zeroCopyFigures(study: ZeroCopyStudy): Figure[] {
  const sizes = study.results.map((r) => r.conditions.bytes);
  const model = modelPoints(study);
  const largest = study.results[study.results.length - 1];
  const rows = perGiBRows(largest);
  return [
    transferTimeFigure(study.results, model, study.predicted ? "model, calibrated" : "model, default machine"),
    perGiBFigure(rows, "cpu"),
    perGiBFigure(rows, "syscalls"),
    ibmRatioFigure(IBM_TABLE_1, measuredRatios(study.results), modelRatios(sizes, study.chunk)),
  ];
}
