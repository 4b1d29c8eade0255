// The calibration, translated into the cost model's CostParameters (src/model/cost-model.ts), so modelTime()
// can run on this machine's numbers. Where the model has one number and the calibration two or none, the choice
// is written beside the field.
import { costParameters, CostParameters, DEFAULT_COST_PARAMETERS } from "../model/cost-model";
import { measuredDisk } from "../model/disk";
import type { Measurement } from "./measurement";
import type { CalibratedParameters } from "../model/calibrated-parameters";

/** The cost model's parameters from a calibration; `measurements` supplies the getppid split of the syscall cost. */
export function toCostParameters(params: CalibratedParameters, measurements: readonly Measurement[] = []): CostParameters {
  const empty = measurements.find((m) => m.name === "syscall-empty-kernel")?.median;
  // A read(2) = two mode switches + the call's body. getppid(2) is almost only the two switches.
  const modeSwitchSeconds = empty !== undefined && empty > 0 && empty < params.syscallSeconds ? empty / 2 : params.syscallSeconds / 4;
  return costParameters({
    // the model has one CPU copy rate; the page cache -> user copy (read of a cached file) is the copy every path makes
    cpuCopyBytesPerSecond: params.kernelCopyBytesPerSecond,
    syscallSeconds: params.syscallSeconds - 2 * modeSwitchSeconds,
    modeSwitchSeconds,
    pageFaultSeconds: params.pageFaultSeconds,
    // sendfile on loopback (two free cores): the sender's CPU per byte is the stack with pages by reference; the per-page
    // descriptor cost cannot be told apart from it, so it stays at the model's default
    networkStackSecondsPerByte: params.twoCores.tcpStackSecondsPerByte,
    descriptorSecondsPerPage: DEFAULT_COST_PARAMETERS.descriptorSecondsPerPage,
    // "For loopback, use the measured loopback rate" (cost-model.ts): the socket's rate to a checksumming receiver
    nicBytesPerSecond: params.loopbackBytesPerSecond,
    disk: measuredDisk({ sequentialBytesPerSecond: params.diskSequentialBytesPerSecond, randomReadSeconds: params.diskRandomReadSeconds }),
  });
}
