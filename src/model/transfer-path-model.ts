// The chapter's cost model as drawn (src/model: count copies, syscalls, mode switches; price them), run on the
// calibrated parameters: the textbook prediction, before the loopback effects the extended model adds.
import { modelTransfer } from "../model/transfer-model";
import { modelTime, ModelTime, CostParameters } from "../model/cost-model";
import type { PathName } from "../model/vocabulary";
import type { TransferPath } from "../vocabulary/transfer";

/** The model's path for each experiment path. On loopback sendfile hands pages by reference (lo does
 *  scatter-gather), so it is the model's "sendfile-sg"; every read+write loop is the model's "read-write". */
export const MODEL_PATH: Record<TransferPath, PathName> = {
  stream: "read-write",
  "read-write": "read-write",
  "c-read-write": "read-write",
  sendfile: "sendfile-sg",
  splice: "splice",
};

/** modelTime() of one experiment path: counters at the experiment's chunk, pipelined stages (CPU, disk, "NIC"). */
export function basicModelTime(costs: CostParameters, path: TransferPath, bytes: number, chunk: number, cache: "warm" | "cold"): ModelTime {
  const modelPath = MODEL_PATH[path];
  const chunked = modelPath === "read-write";
  const counts = modelTransfer(modelPath, bytes, chunked ? chunk : undefined);
  return modelTime(counts, costs, { cache, pipelined: true });
}
