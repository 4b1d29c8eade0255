// Prediction beside measurement: one row per path, size and cache state of the transfer experiment, with the
// calibrated model's time and CPU next to the measured median, and the residuals. Plain JSON records.
import type { TransferResult, TransferRun } from "../../experiments/transfer-records";
import { median } from "../../statistics/spread";
import type { CostParameters, ModelTime } from "../../model/cost-model";
import { predictTransferCost, TransferCost, CpuContext } from "../../model/calibrated-transfer";
import { basicModelTime } from "../../model/transfer-path-model";
import { MiB } from "../../units/sizes";
import { TransferPath } from "../../vocabulary/transfer";
import type { CalibratedParameters } from "../../model/calibrated-parameters";

/** One path at one size: prediction, measurement, residuals. */
export interface PredictionRow {
  path: TransferPath;
  bytes: number;
  cache: "warm" | "cold";
  /** Predicted wall time (sender and receiver sharing the CPU they get), seconds. */
  predictedSeconds: number;
  measuredMedianSeconds: number;
  measuredMin: number;
  measuredMax: number;
  /** (predicted - measured) / measured: +0.10 means the model is 10% slow, -0.10 10% fast. */
  residual: number;
  /** Predicted sender CPU (user + system), seconds. */
  predictedCpuSeconds: number;
  /** Median over runs of the sender's user + system CPU, seconds. */
  measuredCpuSeconds: number;
  cpuResidual: number;
  /** The two sides of the pipelined prediction, and the CPU share it assumed. */
  predictedSenderSeconds: number;
  predictedReceiverSeconds: number;
  /** Cores and background load assumed, and the cores the sender/receiver pair gets from them. */
  cpu: CpuContext;
  pairCores: number;
  /** Median receiver CPU as the experiment's receiver reported it (receiverCpuMs), when the runs have it; else null. */
  measuredReceiverCpuSeconds: number | null;
  /** Which side the model says limits the transfer. */
  bottleneck: "sender" | "receiver";
  /** The chapter's cost model as drawn (modelTime, pipelined, calibrated parameters): time, CPU, residual. */
  basicPredictedSeconds: number;
  basicPredictedCpuSeconds: number;
  basicResidual: number;
  runs: number;
}

/** Which side limits the transfer: the longer chain; when the two chains come out equal (within 1%), the
 *  side whose own work is larger (it would be the longer chain if nothing could move). */
export function bottleneckOf(cost: TransferCost): "sender" | "receiver" {
  const s = cost.senderBusySeconds;
  const r = cost.receiverSeconds;
  if (Math.abs(s - r) > 0.01 * Math.max(s, r)) return s > r ? "sender" : "receiver";
  return cost.senderOwnSeconds >= cost.receiverFixedSeconds ? "sender" : "receiver";
}

/** Median of user + system CPU over runs, in seconds (not the sum of two medians). */
function medianCpuSeconds(runs: readonly TransferRun[]): number {
  return median(runs.map((r) => (r.userCpuMs + r.systemCpuMs) / 1000));
}

/** Joins one prediction (and the basic model's) with the runs it predicts; called by predictionRows(). */
export function predictionRow(cost: TransferCost, basic: ModelTime, runs: readonly TransferRun[]): PredictionRow {
  if (runs.length === 0) throw new RangeError(`no measured runs for ${cost.path} at ${cost.bytes} bytes`);
  const walls = runs.map((r) => r.wallSeconds);
  const measured = median(walls);
  const measuredCpu = medianCpuSeconds(runs);
  return {
    path: cost.path,
    bytes: cost.bytes,
    cache: cost.cache,
    predictedSeconds: cost.wallSeconds,
    measuredMedianSeconds: measured,
    measuredMin: Math.min(...walls),
    measuredMax: Math.max(...walls),
    residual: (cost.wallSeconds - measured) / measured,
    predictedCpuSeconds: cost.senderCpuSeconds,
    measuredCpuSeconds: measuredCpu,
    cpuResidual: (cost.senderCpuSeconds - measuredCpu) / measuredCpu,
    predictedSenderSeconds: cost.senderBusySeconds,
    predictedReceiverSeconds: cost.receiverSeconds,
    measuredReceiverCpuSeconds: runs.every((r) => typeof r.receiverCpuMs === "number") ? median(runs.map((r) => r.receiverCpuMs! / 1000)) : null,
    cpu: cost.cpu,
    pairCores: cost.pairCores,
    bottleneck: bottleneckOf(cost),
    basicPredictedSeconds: basic.wallSeconds,
    basicPredictedCpuSeconds: basic.cpuSeconds,
    basicResidual: (basic.wallSeconds - measured) / measured,
    runs: runs.length,
  };
}

/** Rows for every path of every transfer result: the extended model on `params`, the basic one on `costs`;
 *  `cpu` (cores and background load measured during the experiment) defaults to a quiet machine. */
export function predictionRows(
  params: CalibratedParameters,
  costs: CostParameters,
  results: readonly TransferResult[],
  cpu?: CpuContext,
): PredictionRow[] {
  return results.flatMap((result) =>
    result.conditions.paths.map((path) => {
      const { bytes, chunk, cache } = result.conditions;
      const cost = predictTransferCost(params, path, bytes, { chunk, cache, cpu });
      return predictionRow(cost, basicModelTime(costs, path, bytes, chunk, cache), result.runs.filter((r) => r.path === path));
    }),
  );
}

/** The residual table as text lines: the CLI, the notebook's text output and reports. */
export function describeRows(rows: readonly PredictionRow[]): string[] {
  const pct = (x: number) => `${x >= 0 ? "+" : ""}${(x * 100).toFixed(1)}%`;
  const ms = (s: number) => (s * 1000).toFixed(1);
  return [
    "path          size       cache  predicted ms  measured ms (min-max)      residual  pred CPU ms  meas CPU ms  CPU resid  recv pred/meas ms  limited by  basic model ms (resid)",
    ...rows.map(
      (r) =>
        `${r.path.padEnd(13)} ${`${(r.bytes / MiB).toFixed(0)} MiB`.padEnd(10)} ${r.cache.padEnd(6)} ${ms(r.predictedSeconds).padStart(12)}  ` +
        `${`${ms(r.measuredMedianSeconds)} (${ms(r.measuredMin)}-${ms(r.measuredMax)})`.padEnd(25)} ${pct(r.residual).padStart(8)}  ` +
        `${ms(r.predictedCpuSeconds).padStart(11)}  ${ms(r.measuredCpuSeconds).padStart(11)}  ${pct(r.cpuResidual).padStart(9)}  ` +
        `${`${ms(r.predictedReceiverSeconds)}/${r.measuredReceiverCpuSeconds === null ? "-" : ms(r.measuredReceiverCpuSeconds)}`.padStart(17)}  ${r.bottleneck.padEnd(10)}  ` +
        `${ms(r.basicPredictedSeconds)} (${pct(r.basicResidual)})`,
    ),
  ];
}

/** The time ratio of two paths at one size, predicted and measured: the "how much does zero-copy save" figure. */
export interface RatioRow {
  numerator: TransferPath;
  denominator: TransferPath;
  bytes: number;
  cache: "warm" | "cold";
  predictedRatio: number;
  measuredRatio: number;
  /** predictedRatio / measuredRatio - 1. */
  error: number;
}

/** numerator/denominator time ratios per size and cache state (default sendfile / read-write), from prediction rows. */
export function ratioRows(rows: readonly PredictionRow[], numerator: TransferPath = "sendfile", denominator: TransferPath = "read-write"): RatioRow[] {
  return rows
    .filter((r) => r.path === numerator)
    .flatMap((top) => {
      const bottom = rows.find((r) => r.path === denominator && r.bytes === top.bytes && r.cache === top.cache);
      if (!bottom) return [];
      const predictedRatio = top.predictedSeconds / bottom.predictedSeconds;
      const measuredRatio = top.measuredMedianSeconds / bottom.measuredMedianSeconds;
      return [{ numerator, denominator, bytes: top.bytes, cache: top.cache, predictedRatio, measuredRatio, error: predictedRatio / measuredRatio - 1 }];
    });
}

/** The ratio table as text lines. */
export function describeRatios(ratios: readonly RatioRow[]): string[] {
  return ratios.map(
    (r) =>
      `${r.numerator}/${r.denominator} at ${(r.bytes / MiB).toFixed(0)} MiB (${r.cache}): predicted ${r.predictedRatio.toFixed(3)}, ` +
      `measured ${r.measuredRatio.toFixed(3)}, error ${r.error >= 0 ? "+" : ""}${(r.error * 100).toFixed(1)}%`,
  );
}
