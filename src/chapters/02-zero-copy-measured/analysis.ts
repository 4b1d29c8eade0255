// Chapter 2's analysis: the transfer experiment at each size of the plan, its medians per GiB and its time ratios,
// each beside the cost model's prediction from this machine's profile (src/model/cost/, the profile of chapter 7).
import { runTransferExperiment, TransferProgress } from "../../experiments/transfer-experiment";
import type { TransferResult } from "../../experiments/transfer-records";
import type { TransferPath } from "../../vocabulary/transfer";
import type { MachineProfile } from "../../calibration/profile-record";
import { profileLabel } from "../../calibration/profile-source";
import { predictTransfer, TransferPrediction } from "../../model/cost/transfer";
import { IBM_TABLE_1, ibmSaving } from "../../reference/ibm-zero-copy";
import { median } from "../../statistics/spread";
import { requireInteger } from "../../units/arguments";
import { GiB } from "../../units/sizes";
import type { ZeroCopyPlan } from "./plan";

/** What the study measured, and the profile its model lines are drawn from. */
export interface ZeroCopyStudy {
  chunk: number;
  results: TransferResult[];
  profile: MachineProfile;
}

/** One path at one size: the machine's medians per GiB beside the model's figures for the same transfer. */
export interface PathRow {
  path: TransferPath;
  bytes: number;
  medianSeconds: number;
  minSeconds: number;
  maxSeconds: number;
  /** Sender user + system CPU per GiB, seconds (median over runs of each run's figure). */
  cpuSecondsPerGiB: number;
  receiverCpuSecondsPerGiB: number;
  syscallsPerGiB: number;
  model: {
    wallSeconds: number;
    cpuSecondsPerGiB: number;
    receiverCpuSecondsPerGiB: number;
    syscallsPerGiB: number;
    /** Refills of a full socket per GiB (three calls each), and what limits the transfer. */
    refillsPerGiB: number;
    bottleneck: TransferPrediction["bottleneck"];
  };
}

/** One point of a time ratio (zero-copy over traditional) at a file size. */
export interface RatioPoint {
  bytes: number;
  ratio: number;
  min?: number;
  max?: number;
}

/** The zero-copy question at one size: does the model answer it as the machine does? */
export interface DirectionPoint {
  bytes: number;
  machine: number;
  model: number;
  /** Both below 1, or both at or above 1. */
  agrees: boolean;
}

/** Runs the transfer experiment at each size of the plan (all five paths, interleaved); progress spans all sizes.
 *  The profile is the one the model lines are drawn from (profileForModel()). */
export async function runZeroCopyStudy(plan: ZeroCopyPlan, profile: MachineProfile, onProgress: (fraction: number, label: string) => void = () => undefined): Promise<ZeroCopyStudy> {
  requireInteger("runs", plan.runs, 1, 100);
  if (!Array.isArray(plan.sizes) || plan.sizes.length === 0) throw new RangeError("sizes must be a non-empty list of byte counts");
  const results: TransferResult[] = [];
  for (const [i, bytes] of plan.sizes.entries()) {
    const onStep = (p: TransferProgress) => onProgress((i + p.done / p.total) / plan.sizes.length, `${(bytes / 1e6).toFixed(0)} MB ${p.path}`);
    results.push(await runTransferExperiment({ bytes, runs: plan.runs, chunk: plan.chunk, cache: "warm", onProgress: onStep }));
  }
  return { chunk: plan.chunk, results, profile };
}

/** The model's prediction of one path at one size, as the experiment ran it (its chunk; two free cores). */
export function modelOf(profile: MachineProfile, path: TransferPath, bytes: number, chunk: number): TransferPrediction {
  return predictTransfer(profile.parameters, path, bytes, { chunk, cache: "warm" });
}

/** Per-path rows of one TransferResult, beside the model's figures. */
export function pathRows(result: TransferResult, profile: MachineProfile): PathRow[] {
  const { bytes, chunk } = result.conditions;
  const perGiB = GiB / bytes;
  return result.summaries.map((s) => {
    const runs = result.runs.filter((r) => r.path === s.path);
    const m = modelOf(profile, s.path, bytes, chunk);
    return {
      path: s.path,
      bytes,
      medianSeconds: s.metrics.wallSeconds.median,
      minSeconds: s.metrics.wallSeconds.min,
      maxSeconds: s.metrics.wallSeconds.max,
      // the median of user + system per run, not the sum of two medians
      cpuSecondsPerGiB: median(runs.map((r) => (r.userCpuMs + r.systemCpuMs) / 1000)) * perGiB,
      receiverCpuSecondsPerGiB: median(runs.map((r) => (r.receiverCpuMs ?? Number.NaN) / 1000)) * perGiB,
      syscallsPerGiB: s.metrics.syscalls.median * perGiB,
      model: {
        wallSeconds: m.wallSeconds,
        cpuSecondsPerGiB: m.sender.cpuSeconds * perGiB,
        receiverCpuSecondsPerGiB: m.receiver.cpuSeconds * perGiB,
        syscallsPerGiB: m.syscalls * perGiB,
        refillsPerGiB: m.sendQueue.cycles * perGiB,
        bottleneck: m.bottleneck,
      },
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

/** The model's ratio `zeroCopy / traditional` per size, at the experiment's chunk. */
export function modelRatios(profile: MachineProfile, sizes: readonly number[], chunk: number, zeroCopy: TransferPath = "sendfile", traditional: TransferPath = "read-write"): RatioPoint[] {
  return [...sizes].sort((a, b) => a - b).map((bytes) => ({ bytes, ratio: modelOf(profile, zeroCopy, bytes, chunk).wallSeconds / modelOf(profile, traditional, bytes, chunk).wallSeconds }));
}

/** IBM Table 1's time saved per row, and their range and mean. */
export function ibmSavings(): { savings: number[]; min: number; max: number; mean: number } {
  const savings = IBM_TABLE_1.map(ibmSaving);
  return { savings, min: Math.min(...savings), max: Math.max(...savings), mean: savings.reduce((a, b) => a + b, 0) / savings.length };
}

/** Everything chapter 2 draws and checks, computed once from a study: the figures only draw it. */
export interface ZeroCopyAnalysis {
  results: TransferResult[];
  /** Every path at every size. */
  rows: PathRow[];
  /** The rows of the largest size. */
  largest: PathRow[];
  /** "model, this machine's profile of ...": what every figure calls the model. */
  modelLabel: string;
  /** sendfile / JS read+write, measured, per size; and against the C loop. */
  ratios: RatioPoint[];
  ratiosVsC: RatioPoint[];
  modelRatios: RatioPoint[];
  modelRatiosVsC: RatioPoint[];
  direction: DirectionPoint[];
  chunk: number;
  /** The profile's buffer sizes, which the model's sendfile and splice call counts follow from. */
  socketSendBufferBytes: number;
  pipeBytes: number;
}

/** Analyses a study: the model beside every measured row. */
export function analyzeZeroCopy(study: ZeroCopyStudy): ZeroCopyAnalysis {
  const sizes = study.results.map((r) => r.conditions.bytes);
  const rows = study.results.flatMap((r) => pathRows(r, study.profile));
  const largestSize = Math.max(...sizes);
  const ratios = measuredRatios(study.results);
  const model = modelRatios(study.profile, sizes, study.chunk);
  return {
    results: study.results,
    rows,
    largest: rows.filter((r) => r.bytes === largestSize),
    modelLabel: profileLabel(study.profile),
    ratios,
    ratiosVsC: measuredRatios(study.results, "sendfile", "c-read-write"),
    modelRatios: model,
    modelRatiosVsC: modelRatios(study.profile, sizes, study.chunk, "sendfile", "c-read-write"),
    direction: ratios.map((p) => {
      const m = model.find((x) => x.bytes === p.bytes)!.ratio;
      return { bytes: p.bytes, machine: p.ratio, model: m, agrees: p.ratio < 1 === m < 1 };
    }),
    chunk: study.chunk,
    socketSendBufferBytes: study.profile.parameters.socketSendBufferBytes,
    pipeBytes: study.profile.parameters.pipeBytes,
  };
}
