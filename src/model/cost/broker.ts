// The broker's CPU serving fetches (chapter 6), by serving mode, from the same parameters as the transfer. Per fetch
// response of `fetchBytes` (src/broker/fetch-server.ts):
//   sendfile:   header by socket.write, then the addon's sendfile(2) loop on the thread pool
//               = 2 calls into Node (jsCall) + calls x (syscall + tcpSendCall) + bytes x tcpSendBorrowed
//   read-write: fs.read into a fresh Buffer on the thread pool (a ReadStream chunk's round trip: streamChunk),
//               then one writev of header + body
//               = streamChunk + jsCall + (reads + 1) x syscall + tcpSendCall + bytes x (2 / copy + tcpSend)
// Per GiB served: the per-fetch cost x fetches per GiB. Not yet judged against chapter 6's runs (phase 2 does).
import { requireBytes, requireChoice } from "../../units/arguments";
import { MachineParameters, requireParameters } from "./machine-profile";
import { MAX_RW_COUNT } from "../../reference/linux";
import { GiB } from "../../units/sizes";

export const SERVING_MODES = ["sendfile", "read-write"] as const;
export type BrokerServingMode = (typeof SERVING_MODES)[number];

/** The broker's modelled cost of serving `bytes` in responses of `fetchBytes`. */
export interface BrokerServingCost {
  mode: BrokerServingMode;
  bytes: number;
  fetches: number;
  cpuSeconds: number;
  cpuSecondsPerGiB: number;
  /** System calls that move the bytes (sendfile calls; or pread + the write), per GiB. */
  dataSyscallsPerGiB: number;
  /** CPU copies of each served byte (0 for sendfile, 2 for read-write). */
  copiesPerByte: number;
}

/** Serving `bytes` in fetch responses of at most `fetchBytes` each. */
export function brokerServingCost(parameters: MachineParameters, mode: BrokerServingMode, bytes: number, fetchBytes: number): BrokerServingCost {
  const p = requireParameters(parameters);
  requireChoice("mode", mode, SERVING_MODES);
  requireBytes("bytes", bytes);
  requireBytes("fetchBytes", fetchBytes);
  const fetches = Math.ceil(bytes / fetchBytes);
  // one read(2) or sendfile(2) moves at most MAX_RW_COUNT bytes
  const callsPerFetch = Math.ceil(Math.min(fetchBytes, bytes) / MAX_RW_COUNT);
  const perFetch =
    mode === "sendfile"
      ? 2 * p.jsCallSeconds + callsPerFetch * (p.syscallSeconds + p.tcpSendCallSeconds)
      : p.streamChunkSeconds + p.jsCallSeconds + (callsPerFetch + 1) * p.syscallSeconds + p.tcpSendCallSeconds;
  const perByte = mode === "sendfile" ? p.tcpSendBorrowedSecondsPerByte : 2 / p.copyBytesPerSecond + p.tcpSendSecondsPerByte;
  const cpuSeconds = fetches * perFetch + bytes * perByte;
  const dataSyscalls = fetches * (mode === "sendfile" ? callsPerFetch : callsPerFetch + 1);
  return {
    mode,
    bytes,
    fetches,
    cpuSeconds,
    cpuSecondsPerGiB: (cpuSeconds / bytes) * GiB,
    dataSyscallsPerGiB: (dataSyscalls / bytes) * GiB,
    copiesPerByte: mode === "sendfile" ? 0 : 2,
  };
}
