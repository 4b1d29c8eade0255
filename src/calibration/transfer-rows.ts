// The cost model beside the transfer experiment: one row per path and size, the measured medians next to what the
// model predicts from the machine profile for the same path, size, chunk and cache state. Plain records; no I/O.
// Used by `workbook predict`, the model-fit benchmark and (later) chapter 7.
import type { TransferResult, TransferRun } from "../experiments/transfer-records";
import { median } from "../statistics/spread";
import type { MachineParameters } from "../model/cost/machine-profile";
import { predictTransfer, LOOPBACK_PATHS, LoopbackPath, TransferPrediction } from "../model/cost/transfer";
import { GiB } from "../units/sizes";


/** The three figures judged, per row: wall time, the sender's CPU per GiB, and its system calls per GiB. */
export interface RowFigures {
  wallSeconds: number;
  senderCpuSecondsPerGiB: number;
  syscallsPerGiB: number;
}

/** One path at one size: measured medians and the model's prediction. */
export interface TransferRow {
  path: LoopbackPath;
  bytes: number;
  cache: "warm" | "cold";
  chunk: number;
  runs: number;
  measured: RowFigures;
  predicted: RowFigures;
  /** The receiver's CPU per GiB, measured and predicted (not judged: shown beside the sender's). */
  receiverCpuSecondsPerGiB: { measured: number; predicted: number };
  /** Cores the model assumed free for the sender and receiver (2 on an idle two-core machine). */
  freeCores: number;
  /** Which side the model says sets the wall time. */
  bottleneck: TransferPrediction["bottleneck"];
}

/** The measured figures of one path's runs: medians over runs (CPU and syscalls per GiB of each run). */
export function measuredFigures(runs: readonly TransferRun[]): RowFigures {
  if (runs.length === 0) throw new RangeError("no runs to summarise");
  return {
    wallSeconds: median(runs.map((r) => r.wallSeconds)),
    senderCpuSecondsPerGiB: median(runs.map((r) => ((r.userCpuMs + r.systemCpuMs) / 1000 / r.bytes) * GiB)),
    syscallsPerGiB: median(runs.map((r) => (r.syscalls / r.bytes) * GiB)),
  };
}

/** The model's figures for one prediction. */
export function predictedFigures(prediction: TransferPrediction): RowFigures {
  return {
    wallSeconds: prediction.wallSeconds,
    senderCpuSecondsPerGiB: (prediction.sender.cpuSeconds / prediction.bytes) * GiB,
    syscallsPerGiB: (prediction.syscalls / prediction.bytes) * GiB,
  };
}

/** Rows for one experiment result; `freeCores` is the run's condition (default: a quiet two-core machine). */
export function transferRows(parameters: MachineParameters, result: TransferResult, freeCores = 2): TransferRow[] {
  const { bytes, chunk, cache } = result.conditions;
  return LOOPBACK_PATHS.filter((path) => result.runs.some((r) => r.path === path)).map((path) => {
    const runs = result.runs.filter((r) => r.path === path);
    const prediction = predictTransfer(parameters, path, bytes, { chunk, cache, freeCores });
    const receiver = runs.filter((r) => typeof r.receiverCpuMs === "number");
    return {
      path,
      bytes,
      cache,
      chunk,
      runs: runs.length,
      measured: measuredFigures(runs),
      predicted: predictedFigures(prediction),
      receiverCpuSecondsPerGiB: {
        measured: receiver.length > 0 ? median(receiver.map((r) => (r.receiverCpuMs! / 1000 / r.bytes) * GiB)) : NaN,
        predicted: (prediction.receiver.cpuSeconds / bytes) * GiB,
      },
      freeCores,
      bottleneck: prediction.bottleneck,
    };
  });
}

/** predicted / measured - 1: +0.10 means the model is 10% high. */
export function residual(predicted: number, measured: number): number {
  return predicted / measured - 1;
}
