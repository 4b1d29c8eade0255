// Chapter 2's analysis: the transfer experiment at each size of the plan, then its medians per GiB and its time
// ratios, each beside the model's (the default machine's cost model, or this machine's calibration).
import { runTransferExperiment, TransferProgress } from "../../experiments/transfer-experiment";
import type { TransferResult } from "../../experiments/transfer-records";
import type { TransferPath } from "../../vocabulary/transfer";
import type { CalibrationResult } from "../../calibration/calibrate";
import { predictTransferCost } from "../../model/calibrated-transfer";
import { modelTransfer } from "../../model/transfer-model";
import { modelTime, CostParameters, DEFAULT_COST_PARAMETERS } from "../../model/cost-model";
import { MODEL_PATH, basicModelTime } from "../../model/transfer-path-model";
import { MAX_RW_COUNT } from "../../reference/linux";
import { IBM_TABLE_1, ibmSaving } from "../../reference/ibm-zero-copy";
import { median } from "../../statistics/spread";
import { requireInteger } from "../../units/arguments";
import { GiB } from "../../units/sizes";
import type { ZeroCopyPlan } from "./plan";

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

/** One path's measured figures per GiB at one size, beside the model's. */
export interface PerGiBRow {
  path: string;
  bytes: number;
  medianSeconds: number;
  minSeconds: number;
  maxSeconds: number;
  /** Sender user + system CPU per GiB, seconds (median of runs). */
  cpuSecondsPerGiB: number;
  syscallsPerGiB: number;
  modelCpuSecondsPerGiB: number;
  modelSyscallsPerGiB: number;
}

/** One point of a time ratio (zero-copy over traditional) at a file size. */
export interface RatioPoint {
  bytes: number;
  ratio: number;
  min?: number;
  max?: number;
}

/** Runs the transfer experiment at each size of the plan (all five paths, interleaved); progress spans all sizes. */
export async function runZeroCopyStudy(plan: ZeroCopyPlan, onProgress: (fraction: number, label: string) => void = () => undefined): Promise<ZeroCopyStudy> {
  requireInteger("runs", plan.runs, 1, 100);
  if (!Array.isArray(plan.sizes) || plan.sizes.length === 0) throw new RangeError("sizes must be a non-empty list of byte counts");
  const results: TransferResult[] = [];
  for (const [i, bytes] of plan.sizes.entries()) {
    const onStep = (p: TransferProgress) => onProgress((i + p.done / p.total) / plan.sizes.length, `${(bytes / 1e6).toFixed(0)} MB ${p.path}`);
    results.push(await runTransferExperiment({ bytes, runs: plan.runs, chunk: plan.chunk, cache: "warm", onProgress: onStep }));
  }
  return { chunk: plan.chunk, results };
}

/** The calibrated model's times for every path and size of a study; called with a calibration by the report. */
export function calibratedPoints(calibration: CalibrationResult, results: TransferResult[], chunk: number): ModelPoint[] {
  return results.flatMap((r) =>
    r.summaries.map((s) => ({ path: s.path, bytes: r.conditions.bytes, seconds: predictTransferCost(calibration.parameters, s.path, r.conditions.bytes, { chunk, cache: "warm" }).wallSeconds })),
  );
}

/** Bytes per call the model uses for a measured path: the experiment's chunk for copy loops, MAX_RW_COUNT otherwise. */
function modelChunk(path: TransferPath, chunk: number): number {
  return MODEL_PATH[path] === "read-write" ? chunk : MAX_RW_COUNT;
}

/** The model's time for a measured path at a size (pipelined, warm cache), in seconds. */
export function modelSeconds(path: TransferPath, bytes: number, chunk: number, params: CostParameters = DEFAULT_COST_PARAMETERS): number {
  return basicModelTime(params, path, Math.max(1, bytes), chunk, "warm").wallSeconds;
}

/** The model's time per path and size: calibrated when the study has it, else the cost model's default machine. */
export function modelPoints(study: ZeroCopyStudy): ModelPoint[] {
  if (study.predicted) return study.predicted;
  return study.results.flatMap((r) => r.summaries.map((s) => ({ path: s.path, bytes: r.conditions.bytes, seconds: modelSeconds(s.path, r.conditions.bytes, study.chunk) })));
}

/** Per-path rows of one TransferResult: medians per GiB next to the model's CPU and syscalls per GiB. */
export function perGiBRows(result: TransferResult, params: CostParameters = DEFAULT_COST_PARAMETERS): PerGiBRow[] {
  const { bytes, chunk } = result.conditions;
  const perGiB = GiB / bytes;
  return result.summaries.map((s) => {
    const counts = modelTransfer(MODEL_PATH[s.path], bytes, modelChunk(s.path, chunk));
    const model = modelTime(counts, params, { cache: "warm", pipelined: true });
    // The median of user + system per run, not the sum of two medians.
    const cpu = result.runs.filter((r) => r.path === s.path).map((r) => (r.userCpuMs + r.systemCpuMs) / 1000);
    return {
      path: s.path,
      bytes,
      medianSeconds: s.metrics.wallSeconds.median,
      minSeconds: s.metrics.wallSeconds.min,
      maxSeconds: s.metrics.wallSeconds.max,
      cpuSecondsPerGiB: median(cpu) * perGiB,
      syscallsPerGiB: s.metrics.syscalls.median * perGiB,
      modelCpuSecondsPerGiB: model.cpuSeconds * perGiB,
      modelSyscallsPerGiB: counts.syscalls * perGiB,
    };
  });
}

/** Measured time ratio `zeroCopy / traditional` per size: ratio of medians, range from the extremes. */
export function measuredRatios(results: TransferResult[], zeroCopy: TransferPath = "sendfile", traditional: TransferPath = "read-write"): RatioPoint[] {
  const points: RatioPoint[] = [];
  for (const r of results) {
    const z = r.summaries.find((s) => s.path === zeroCopy)?.metrics.wallSeconds;
    const t = r.summaries.find((s) => s.path === traditional)?.metrics.wallSeconds;
    if (z && t) points.push({ bytes: r.conditions.bytes, ratio: z.median / t.median, min: z.min / t.max, max: z.max / t.min });
  }
  return points.sort((a, b) => a.bytes - b.bytes);
}

/** The model's ratio sendfile / read-write (at `chunk`) per size. */
export function modelRatios(sizes: number[], chunk: number, params: CostParameters = DEFAULT_COST_PARAMETERS): RatioPoint[] {
  return sizes.map((bytes) => ({ bytes, ratio: modelSeconds("sendfile", bytes, chunk, params) / modelSeconds("read-write", bytes, chunk, params) }));
}

/** IBM Table 1's time saved per row, and their range and mean. */
export function ibmSavings(): { savings: number[]; min: number; max: number; mean: number } {
  const savings = IBM_TABLE_1.map(ibmSaving);
  return { savings, min: Math.min(...savings), max: Math.max(...savings), mean: savings.reduce((a, b) => a + b, 0) / savings.length };
}

/** Everything chapter 2 draws and checks, computed once from a study: the figures only draw it. */
export interface ZeroCopyAnalysis {
  results: TransferResult[];
  /** Per-GiB rows at the largest size. */
  rows: PerGiBRow[];
  modelPoints: ModelPoint[];
  modelLabel: string;
  /** sendfile / 4 KiB JS read+write, measured, per size. */
  ratios: RatioPoint[];
  /** sendfile / C read+write, measured, per size. */
  ratiosVsC: RatioPoint[];
  modelRatios: RatioPoint[];
}

/** Analyses a study: the model beside every measured row. */
export function analyzeZeroCopy(study: ZeroCopyStudy): ZeroCopyAnalysis {
  return {
    results: study.results,
    rows: perGiBRows(study.results[study.results.length - 1]),
    modelPoints: modelPoints(study),
    modelLabel: study.predicted ? "model, calibrated" : "model, default machine",
    ratios: measuredRatios(study.results),
    ratiosVsC: measuredRatios(study.results, "sendfile", "c-read-write"),
    modelRatios: modelRatios(study.results.map((r) => r.conditions.bytes), study.chunk),
  };
}
