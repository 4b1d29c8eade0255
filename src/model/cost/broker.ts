// A broker serving fetches to C consumers (chapter 6), by serving mode, from the same parameters as the transfer.
// The broker is src/kafka/broker: per fetch response carrying f bytes of records (response-sender.ts, Kafka's
// FileRecords.writeTo), all on its one event loop:
//   both modes: the request read and handled in JavaScript, the response header written with write(2)
//               = jsCall + 2 x syscall + tcpSendCall
//   sendfile:   the records by sendfile(2) calls of at most sendfileCallBytes, page cache -> socket, no copy
//               + ceil(f / sendfileCallBytes) x (syscall + tcpSendCall) + f x tcpSendBorrowed
//   read-write: the records through one reused buffer, chunk by chunk: pread(2) copies page cache -> buffer,
//               write(2) copies buffer -> socket; each chunk is one step of a JavaScript loop, priced as one jsCall
//               + ceil(f / chunk) x (2 x syscall + tcpSendCall + jsCall) + f x (2 / copy + tcpSend)
// Every consumer reads the whole log, so the broker serves consumers x bytes; its CPU per GiB served does not depend
// on C. The disk is read once: the first consumer's reads (cold cache) bring the log in, the other C - 1 find it in
// the page cache (the log must fit in memory; chapter 3).
// The per-byte loopback TCP terms (tcpSend, tcpSendBorrowed) hold loopback's delivery into the consumers' sockets,
// which runs in the context of whoever transmits while the consumers keep up (the broker, as the transfer's sender
// pays it: transfer.ts), and partly on the consumers' cores when they fall behind. `loopbackSecondsPerGiB` says how
// much of the price that is, so a chapter can show the range from "none of it on the broker" to "all of it".
// Not modelled: the calls that find the socket full and the waits for it to drain (epoll), which depend on how fast
// the consumers read.
import { requireBytes, requireChoice, requireInteger } from "../../units/arguments";
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

/** What is served: `bytes` of log to each of `consumers`, in fetch responses of `fetchBytes` of records. */
export interface BrokerServingInput {
  mode: BrokerServingMode;
  /** Bytes of the log every consumer reads (the whole log, from offset 0). */
  bytes: number;
  /** Consumers reading it, each its own connection; default 1. */
  consumers?: number;
  /** Records per fetch response (the consumers' fetch.max.bytes, or the log's end); default 1 MiB. */
  fetchBytes?: number;
  /** How the broker sends; default the workbook's broker. */
  sending?: BrokerSending;
  /** "cold": the log is not in the page cache when the first consumer starts; default "warm". */
  cache?: "warm" | "cold";
}

/** The broker's modelled cost of serving every consumer the whole log. */
export interface BrokerServingCost {
  mode: BrokerServingMode;
  consumers: number;
  /** consumers x bytes. */
  bytesServed: number;
  /** Fetch responses, all consumers. */
  fetches: number;
  /** The broker's CPU for all of it, seconds, with loopback's per-byte work on its core. */
  cpuSeconds: number;
  /** Per GiB served (the same for any number of consumers). */
  cpuSecondsPerGiB: number;
  /** The per-byte loopback TCP work in that price, per GiB served: what moves to the consumers' cores when they fall behind. */
  loopbackSecondsPerGiB: number;
  /** System calls that write a response or move its records (the header's write; sendfile, or pread + write), per GiB served. */
  dataSyscallsPerGiB: number;
  /** CPU copies of each served byte: 0 for sendfile, 2 for read-write. */
  copiesPerByte: number;
  /** The CPU per GiB by part, for tables: per fetch, per call or chunk, per byte. */
  terms: Array<{ name: string; secondsPerGiB: number }>;
  /** Bytes read from the disk: the log once when cold, nothing when warm. */
  diskBytes: number;
  /** The disk's time for them (sequential, readahead on), seconds. */
  diskSeconds: number;
  /** The broker's own time for all of it: its CPU, or the disk's, whichever is longer (readahead overlaps them). */
  brokerSeconds: number;
}

/** The broker's cost of serving `input.bytes` to each of `input.consumers` by `input.mode`. */
export function brokerServingCost(parameters: MachineParameters, input: BrokerServingInput): BrokerServingCost {
  const p = requireParameters(parameters);
  const mode = input.mode;
  requireChoice("mode", mode, SERVING_MODES);
  const bytes = requireBytes("bytes", input.bytes);
  const consumers = requireInteger("consumers", input.consumers ?? 1, 1, 1_000_000);
  const fetchBytes = requireBytes("fetchBytes", input.fetchBytes ?? MiB);
  const sending = input.sending ?? WORKBOOK_BROKER_SENDING;
  requireBytes("sendfileCallBytes", sending.sendfileCallBytes);
  requireBytes("chunkBytes", sending.chunkBytes);
  const cache = input.cache ?? "warm";
  requireChoice("cache", cache, ["warm", "cold"]);

  // one consumer's whole log, fetch by fetch
  const fetches = Math.ceil(bytes / fetchBytes);
  const perFetchBytes = Math.min(fetchBytes, bytes);
  // the request handled in JavaScript, read(2) of the request and write(2) of the header
  const requestSeconds = fetches * (p.jsCallSeconds + 2 * p.syscallSeconds + p.tcpSendCallSeconds);
  let callSeconds: number;
  let copySeconds: number;
  let loopbackSeconds: number;
  let dataSyscalls: number;
  if (mode === "sendfile") {
    const calls = Math.ceil(perFetchBytes / sending.sendfileCallBytes);
    callSeconds = fetches * calls * (p.syscallSeconds + p.tcpSendCallSeconds);
    copySeconds = 0;
    loopbackSeconds = bytes * p.tcpSendBorrowedSecondsPerByte;
    dataSyscalls = fetches * (1 + calls);
  } else {
    const chunks = Math.ceil(perFetchBytes / sending.chunkBytes);
    callSeconds = fetches * chunks * (2 * p.syscallSeconds + p.tcpSendCallSeconds + p.jsCallSeconds);
    copySeconds = (2 * bytes) / p.copyBytesPerSecond;
    loopbackSeconds = bytes * p.tcpSendSecondsPerByte;
    dataSyscalls = fetches * (1 + 2 * chunks);
  }
  const perConsumer = requestSeconds + callSeconds + copySeconds + loopbackSeconds;
  const bytesServed = consumers * bytes;
  const cpuSeconds = consumers * perConsumer;
  const perGiB = GiB / bytes; // per consumer's GiB; the same per GiB served, whatever C
  const diskBytes = cache === "cold" ? bytes : 0;
  const diskSeconds = cache === "cold" ? bytes / p.diskSequentialBytesPerSecond + p.diskRandomReadSeconds : 0;
  return {
    mode,
    consumers,
    bytesServed,
    fetches: consumers * fetches,
    cpuSeconds,
    cpuSecondsPerGiB: perConsumer * perGiB,
    loopbackSecondsPerGiB: loopbackSeconds * perGiB,
    dataSyscallsPerGiB: dataSyscalls * perGiB,
    copiesPerByte: mode === "sendfile" ? 0 : 2,
    terms: [
      { name: "per fetch: the request in JavaScript, its read(2), the header's write(2)", secondsPerGiB: requestSeconds * perGiB },
      { name: mode === "sendfile" ? "per sendfile(2) call" : "per chunk: pread(2), write(2), a JavaScript loop step", secondsPerGiB: callSeconds * perGiB },
      ...(mode === "sendfile" ? [] : [{ name: "per byte: two CPU copies", secondsPerGiB: copySeconds * perGiB }]),
      { name: mode === "sendfile" ? "per byte: loopback TCP sending page references, with their delivery" : "per byte: loopback TCP, with its delivery", secondsPerGiB: loopbackSeconds * perGiB },
    ],
    diskBytes,
    diskSeconds,
    brokerSeconds: Math.max(cpuSeconds, diskSeconds),
  };
}
