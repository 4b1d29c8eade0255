// Chapter 6's analysis: the broker experiment's summary rows, each beside what the model prices for the same
// bytes served in the same fetch-sized calls (the default machine's cost model).
import type { BrokerExperimentResult, BrokerSummaryRow } from "../../broker/experiment-records";
import type { ServingMode } from "../../broker/fetch-server";
import { modelTransfer } from "../../model/transfer-model";
import { modelTime } from "../../model/cost-model";
import type { PathName } from "../../model/vocabulary";
import { GiB } from "../../units/sizes";

/** What the model prices for one GiB served by a serving mode, in calls of the measured average fetch. */
export interface BrokerModel {
  modelPath: PathName;
  modelCpuCopiesPerGiB: number;
  modelCpuBytesPerGiB: number;
  modelSyscallsPerGiB: number;
  modelModeSwitchesPerGiB: number;
  /** CPU seconds per GiB for the same path in calls of the consumers' fetch limit. */
  modelCpuSecondsPerGiB: number;
}

/** A summary row with the model beside it. */
export type BrokerRow = BrokerSummaryRow & BrokerModel;

/** Everything chapter 6 draws and checks. */
export interface BrokerAnalysis {
  result: BrokerExperimentResult;
  rows: BrokerRow[];
}

/** The data path the model prices for a serving mode. */
export function modelPathFor(serving: ServingMode): PathName {
  return serving === "sendfile" ? "sendfile" : "read-write";
}

/** The model's counters per GiB served by `serving` in calls of `callBytes`, and its CPU in calls of `fetchMaxBytes`. */
export function brokerModel(serving: ServingMode, callBytes: number, fetchMaxBytes: number): BrokerModel {
  const path = modelPathFor(serving);
  const counts = modelTransfer(path, GiB, Math.max(1, Math.min(GiB, Math.round(callBytes))));
  return {
    modelPath: path,
    modelCpuCopiesPerGiB: counts.cpuCopies,
    modelCpuBytesPerGiB: counts.cpuBytes,
    modelSyscallsPerGiB: counts.syscalls,
    modelModeSwitchesPerGiB: counts.modeSwitches,
    modelCpuSecondsPerGiB: modelTime(modelTransfer(path, GiB, fetchMaxBytes)).cpuSeconds,
  };
}

/** Sets the model beside every summary row (priced at that row's median fetch size). */
export function analyzeBroker(result: BrokerExperimentResult): BrokerAnalysis {
  const fetchMax = result.conditions.fetchMaxBytes;
  return { result, rows: result.summary.map((row) => ({ ...row, ...brokerModel(row.serving, row.avgFetchBytes.median, fetchMax) })) };
}
