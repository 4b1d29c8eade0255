// The broker's CPU serving fetches (chapter 6), by serving mode, from the same parameters as the transfer. Per fetch
// response carrying f bytes of records (src/kafka/broker/response-sender.ts, Kafka's FileRecords.writeTo):
//   both modes: the request read and handled in JavaScript, the response header written with write(2)
//               = jsCall + 2 x syscall + tcpSendCall
//   sendfile:   the records by sendfile(2) calls of at most sendfileCallBytes, page cache -> socket, no copy
//               + ceil(f / sendfileCallBytes) x (syscall + tcpSendCall) + f x tcpSendBorrowed
//   read-write: the records through one reused buffer, chunk by chunk: pread(2) copies page cache -> buffer,
//               write(2) copies buffer -> socket; each chunk is one step of a JavaScript loop (readSync, the
//               addon's write, an await), priced as one (jsCallSeconds, measured for such a loop)
//               + ceil(f / chunk) x (2 x syscall + tcpSendCall + jsCall) + f x (2 / copy + tcpSend)
// Per GiB served: the per-fetch cost x fetches per GiB. Not priced: the calls that find the socket full and the
// waits for it to drain (epoll), which depend on how fast the consumers read.
// On loopback the kernel's delivery of the sent bytes into the consumers' sockets runs in a softirq, on the
// broker's core while the consumers keep up and on theirs when they fall behind. `deliveryOnBroker` prices the
// first case, the top of the range: + f x tcpReceiveBorrowed (sendfile: page references) or tcpReceive (copies).
import { requireBytes, requireChoice } from "../../units/arguments";
import { MachineParameters, requireParameters } from "./machine-profile";
import { GiB, KiB, MiB } from "../../units/sizes";

export const SERVING_MODES = ["sendfile", "read-write"] as const;
export type BrokerServingMode = (typeof SERVING_MODES)[number];

/** How the broker moves a response's records: its largest sendfile call and its read+write chunk. */
export interface BrokerSending {
  /** The most one sendfile(2) call is asked to move before the broker yields to other connections. */
  sendfileCallBytes: number;
  /** The buffer read+write serving preads into and writes from. */
  chunkBytes: number;
}

/** The workbook's broker (response-sender.ts, broker-config.ts); chapter 6 passes the broker's own values. */
export const WORKBOOK_BROKER_SENDING: BrokerSending = { sendfileCallBytes: 4 * MiB, chunkBytes: 64 * KiB };

/** The broker's modelled cost of serving `bytes` in responses of `fetchBytes`. */
export interface BrokerServingCost {
  mode: BrokerServingMode;
  bytes: number;
  fetches: number;
  cpuSeconds: number;
  cpuSecondsPerGiB: number;
  /** System calls that write the response or move its records (header write; sendfile calls, or pread + write), per GiB. */
  dataSyscallsPerGiB: number;
  /** CPU copies of each served byte (0 for sendfile, 2 for read-write). */
  copiesPerByte: number;
  /** The CPU per GiB by part, for tables: per fetch, per call or chunk, per byte. */
  terms: Array<{ name: string; secondsPerGiB: number }>;
}

/** Where loopback's delivery into the consumers' sockets is charged: to them (false, the default) or to the broker. */
export interface ServingConditions {
  deliveryOnBroker?: boolean;
}

/** Serving `bytes` in fetch responses of at most `fetchBytes` each. */
export function brokerServingCost(
  parameters: MachineParameters,
  mode: BrokerServingMode,
  bytes: number,
  fetchBytes: number,
  sending: BrokerSending = WORKBOOK_BROKER_SENDING,
  conditions: ServingConditions = {},
): BrokerServingCost {
  const p = requireParameters(parameters);
  requireChoice("mode", mode, SERVING_MODES);
  requireBytes("bytes", bytes);
  requireBytes("fetchBytes", fetchBytes);
  requireBytes("sendfileCallBytes", sending.sendfileCallBytes);
  requireBytes("chunkBytes", sending.chunkBytes);
  const fetches = Math.ceil(bytes / fetchBytes);
  const perFetchBytes = Math.min(fetchBytes, bytes);
  const perGiB = GiB / bytes;
  // the request handled in JavaScript, read(2) of the request and write(2) of the header
  const requestSeconds = fetches * (p.jsCallSeconds + 2 * p.syscallSeconds + p.tcpSendCallSeconds);
  let callSeconds: number;
  let byteSeconds: number;
  let dataSyscalls: number;
  if (mode === "sendfile") {
    const calls = Math.ceil(perFetchBytes / sending.sendfileCallBytes);
    callSeconds = fetches * calls * (p.syscallSeconds + p.tcpSendCallSeconds);
    byteSeconds = bytes * p.tcpSendBorrowedSecondsPerByte;
    dataSyscalls = fetches * (1 + calls);
  } else {
    const chunks = Math.ceil(perFetchBytes / sending.chunkBytes);
    callSeconds = fetches * chunks * (2 * p.syscallSeconds + p.tcpSendCallSeconds + p.jsCallSeconds);
    byteSeconds = bytes * (2 / p.copyBytesPerSecond + p.tcpSendSecondsPerByte);
    dataSyscalls = fetches * (1 + 2 * chunks);
  }
  const deliverySeconds = conditions.deliveryOnBroker ? bytes * (mode === "sendfile" ? p.tcpReceiveBorrowedSecondsPerByte : p.tcpReceiveSecondsPerByte) : 0;
  const cpuSeconds = requestSeconds + callSeconds + byteSeconds + deliverySeconds;
  return {
    mode,
    bytes,
    fetches,
    cpuSeconds,
    cpuSecondsPerGiB: cpuSeconds * perGiB,
    dataSyscallsPerGiB: dataSyscalls * perGiB,
    copiesPerByte: mode === "sendfile" ? 0 : 2,
    terms: [
      { name: "per fetch: the request in JavaScript, its read(2), the header's write(2)", secondsPerGiB: requestSeconds * perGiB },
      { name: mode === "sendfile" ? "per sendfile(2) call" : "per chunk: pread(2), write(2), a JavaScript loop step", secondsPerGiB: callSeconds * perGiB },
      { name: mode === "sendfile" ? "per byte: loopback TCP sending page references" : "per byte: two CPU copies and loopback TCP", secondsPerGiB: byteSeconds * perGiB },
      ...(conditions.deliveryOnBroker ? [{ name: "per byte: loopback's delivery into the consumers' sockets, on the broker's core", secondsPerGiB: deliverySeconds * perGiB }] : []),
    ],
  };
}
