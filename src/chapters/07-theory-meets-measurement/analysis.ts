// Chapter 7's analysis: the transfer experiment in several batches beside the cost model drawn from this machine's
// profile. Each path and size becomes one row over the batches (src/calibration/fit-table.ts): the typical measured
// figure, the model's, the residual, and the row's own batch-to-batch spread, which is how far this machine moves
// by itself. Plain records; the figures and tables only draw them.
import type { MachineProfile, BenchmarkName } from "../../calibration/profile-record";
import { PARAMETER_BENCHMARKS } from "../../calibration/profile-record";
import { profileLabel } from "../../calibration/profile-source";
import { formatParameter, parameterSpread } from "../../calibration/describe-profile";
import { runTransferBatch, batchRows, TransferBatch } from "../../calibration/transfer-batch";
import { fitRows, fitSummary, ratioRows, FitRow, FitSummary, RatioRow, FIT_METRICS, FitMetric, FIT_TARGET } from "../../calibration/fit-table";
import { PARAMETER_NAMES, PARAMETER_DOCS, ParameterName } from "../../model/cost/machine-profile";
import { predictTransfer, TransferPrediction, LOOPBACK_PATHS } from "../../model/cost/transfer";
import { machineConditions, MachineConditions } from "../../experiments/conditions";
import { requireInteger } from "../../units/arguments";
import { MiB } from "../../units/sizes";
import type { PredictionPlan } from "./plan";

/** What chapter 7 measured: the batches, the profile that predicts them, and the machine around them. */
export interface PredictionStudy {
  kind: "prediction";
  profile: MachineProfile;
  batches: TransferBatch[];
  conditions: MachineConditions & { loadAverageEnd: number[]; sizes: number[]; runs: number };
}

/** Runs `plan.batches` batches of the transfer experiment (all five paths at every size, warm cache), the sizes
 *  rotated from batch to batch so no size always runs first; `onProgress` gets a fraction and a label. */
export async function runPredictionStudy(plan: PredictionPlan, profile: MachineProfile, onProgress: (fraction: number, label: string) => void = () => undefined): Promise<PredictionStudy> {
  requireInteger("batches", plan.batches, 1, 50);
  requireInteger("runs", plan.runs, 1, 100);
  if (!Array.isArray(plan.sizes) || plan.sizes.length === 0) throw new RangeError("sizes must be a non-empty list of byte counts");
  const machine = machineConditions();
  const batches: TransferBatch[] = [];
  for (let b = 0; b < plan.batches; b++) {
    const order = plan.sizes.map((_, i) => plan.sizes[(i + b) % plan.sizes.length]);
    let done = 0;
    batches.push(
      await runTransferBatch({
        sizes: order,
        runs: plan.runs,
        onProgress: (message) => onProgress((b + done++ / order.length) / plan.batches, `batch ${b + 1} of ${plan.batches}: ${message}`),
      }),
    );
  }
  return { kind: "prediction", profile, batches, conditions: { ...machine, loadAverageEnd: machineConditions().loadAverage, sizes: plan.sizes, runs: plan.runs } };
}

/** One parameter as chapter 7's table shows it. */
export interface ParameterRow {
  name: ParameterName;
  value: string;
  /** (max - min) / median of the benchmark it inherits most from; NaN for values read from /proc. */
  spread: number;
  meaning: string;
  benchmark: string;
  /** The benchmark records it is derived from. */
  from: readonly BenchmarkName[];
  zeroed: boolean;
}

/** The profile's parameters, in the model's order. */
export function parameterRows(profile: MachineProfile): ParameterRow[] {
  return PARAMETER_NAMES.map((name) => ({
    name,
    // the short form: "0.146 ns/B", not "0.146 ns/B (0.157 s/GiB)", so the table's value column stays narrow
    value: formatParameter(name, profile.parameters[name]).replace(/ \(.*\)$/, ""),
    spread: parameterSpread(profile, name),
    meaning: PARAMETER_DOCS[name].meaning,
    benchmark: PARAMETER_DOCS[name].benchmark,
    from: PARAMETER_BENCHMARKS[name],
    zeroed: profile.zeroed.includes(name),
  }));
}

/** One experiment of one batch: its size, the load around it and the cores the model assumed. */
export interface BatchCondition {
  batch: number;
  bytes: number;
  loadAverage: number;
  backgroundCores: number;
  freeCores: number;
}

/** How the misses split at the judged sizes: within the machine's own noise, or beyond it. */
export interface NoiseSplit {
  metric: FitMetric;
  rows: number;
  withinSpread: number;
  /** Rows whose |residual| is larger than their spread: the misses that are the model's. */
  beyond: { path: string; bytes: number; residual: number; spread: number }[];
}

/** Everything chapter 7 draws and checks. */
export interface PredictionAnalysis {
  profileLabel: string;
  parameters: ParameterRow[];
  rows: FitRow[];
  /** Over the judged rows (warm, >= 64 MiB); null when the plan has none (quick). */
  summary: FitSummary | null;
  ratios: RatioRow[];
  noise: NoiseSplit[];
  conditions: BatchCondition[];
  /** The model's terms at the largest size, per path, for the breakdown figure. */
  breakdown: TransferPrediction[];
  batches: number;
}

/** Sets the model beside every row of every batch. */
export function analyzePrediction(study: PredictionStudy): PredictionAnalysis {
  const rows = fitRows(study.batches.map((b) => batchRows(study.profile.parameters, b)));
  const judged = rows.filter((r) => r.cache === "warm" && r.bytes >= FIT_TARGET.minBytes);
  const largest = Math.max(...study.conditions.sizes);
  return {
    profileLabel: profileLabel(study.profile),
    parameters: parameterRows(study.profile),
    rows,
    summary: judged.length > 0 ? fitSummary(rows) : null,
    ratios: ratioRows(rows),
    noise: FIT_METRICS.map((metric) => {
      const at = judged.length > 0 ? judged : rows;
      const beyond = at.filter((r) => !r.cells[metric].withinSpread);
      return {
        metric,
        rows: at.length,
        withinSpread: at.length - beyond.length,
        beyond: beyond.map((r) => ({ path: r.path, bytes: r.bytes, residual: r.cells[metric].residual, spread: r.cells[metric].spread })),
      };
    }),
    conditions: study.batches.flatMap((b, i) =>
      b.experiments.map((e) => ({ batch: i + 1, bytes: e.result.conditions.bytes, loadAverage: e.result.conditions.loadAverage[0], backgroundCores: e.background.backgroundThreads, freeCores: e.freeCores })),
    ),
    breakdown: LOOPBACK_PATHS.map((path) => predictTransfer(study.profile.parameters, path, largest)),
    batches: study.batches.length,
  };
}

/** "256 MiB". */
export function sizeLabel(bytes: number): string {
  return bytes >= MiB ? `${(bytes / MiB).toFixed(0)} MiB` : `${(bytes / 1024).toFixed(0)} KiB`;
}
