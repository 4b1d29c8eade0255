// A broker serving fetches to C consumers (chapter 6), by serving mode, from the same parameters as the transfer.
// The broker is src/kafka/broker: every consumer's fetch response is a header written with write(2), then the
// records of the segment file, all from the event loop (src/kafka/broker/response-sender.ts):
//   sendfile:   sendfile(2) calls of at most 4 MiB (it yields to the event loop after each), the socket buffers
//               referencing the page cache's pages: no CPU copy of a record byte
//   read-write: pread(2) of a chunk into one reused buffer, write(2) of it, again: two CPU copies of every byte
//
// Per fetch response of `fetchBytes` of records, on the broker's core:
//   handling   = jsCallSeconds                                  (decode the request, find the segment, build the header)
//   header     = syscallSeconds + tcpSendCallSeconds            (one write(2))
//   sendfile   = calls x (syscallSeconds + tcpSendCallSeconds) + bytes x tcpSendBorrowedSecondsPerByte
//                calls = ceil(fetchBytes / 4 MiB)
//   read-write = chunks x (2 syscallSeconds + tcpSendCallSeconds) + bytes x (2 / copyBytesPerSecond + tcpSendSecondsPerByte)
//                chunks = ceil(fetchBytes / chunkBytes)
// Every consumer reads the whole log, so the broker serves consumers x bytes; its CPU per GiB served does not
// depend on C. The disk is read once: the first consumer's reads (cold cache) put the log in the page cache, the
// other C - 1 read it from there (the log must fit in memory; chapter 3). Loopback's delivery into each consumer's
// socket is charged to the broker, as the transfer charges it to the sender (transfer.ts).
// Not modelled: the waits (poll) on a socket a slow consumer keeps full, which depend on that consumer's pace.
import { requireBytes, requireChoice, requireInteger } from "../../units/arguments";
import { MachineParameters, requireParameters } from "./machine-profile";
import { GiB, KiB, MiB } from "../../units/sizes";

export const SERVING_MODES = ["sendfile", "read-write"] as const;
export type BrokerServingMode = (typeof SERVING_MODES)[number];

/** The broker's largest sendfile(2) per call: it yields to the event loop after every 4 MiB. */
export const BROKER_SENDFILE_CALL_BYTES = 4 * MiB;

/** The broker's pread + write step when it serves read-write (its `chunkBytes` default). */
export const BROKER_CHUNK_BYTES = 64 * KiB;

/** What is served: `bytes` of log to each of `consumers`, in fetch responses of `fetchBytes` of records. */
export interface BrokerServingInput {
  mode: BrokerServingMode;
  /** Bytes of the log every consumer reads (the whole log, from offset 0). */
  bytes: number;
  /** Consumers reading it, each its own connection; default 1. */
  consumers?: number;
  /** Records per fetch response (the consumers' fetch.max.bytes, or the log's end); default 1 MiB. */
  fetchBytes?: number;
  /** Bytes per pread + write step of read-write serving; default 64 KiB. */
  chunkBytes?: number;
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
  /** The broker's CPU for all of it, seconds. */
  cpuSeconds: number;
  /** Per GiB served (the same for any number of consumers). */
  cpuSecondsPerGiB: number;
  /** System calls that move record bytes (sendfile; or pread + write), per GiB served (headers apart). */
  dataSyscallsPerGiB: number;
  /** CPU copies of each served byte: 0 for sendfile, 2 for read-write. */
  copiesPerByte: number;
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
  const chunkBytes = requireBytes("chunkBytes", input.chunkBytes ?? BROKER_CHUNK_BYTES);
  const cache = input.cache ?? "warm";
  requireChoice("cache", cache, ["warm", "cold"]);

  // one consumer's whole log, fetch by fetch (the last one may be shorter)
  const fetches = Math.ceil(bytes / fetchBytes);
  const fullFetch = Math.min(fetchBytes, bytes);
  const callsPerFetch = mode === "sendfile" ? Math.ceil(fullFetch / BROKER_SENDFILE_CALL_BYTES) : Math.ceil(fullFetch / chunkBytes);
  const dataCalls = fetches * callsPerFetch;
  const handling = fetches * (p.jsCallSeconds + p.syscallSeconds + p.tcpSendCallSeconds);
  const moving =
    mode === "sendfile"
      ? dataCalls * (p.syscallSeconds + p.tcpSendCallSeconds) + bytes * p.tcpSendBorrowedSecondsPerByte
      : dataCalls * (2 * p.syscallSeconds + p.tcpSendCallSeconds) + bytes * (2 / p.copyBytesPerSecond + p.tcpSendSecondsPerByte);
  const perConsumer = handling + moving;
  const bytesServed = consumers * bytes;
  const cpuSeconds = consumers * perConsumer;
  const diskBytes = cache === "cold" ? bytes : 0;
  const diskSeconds = cache === "cold" ? bytes / p.diskSequentialBytesPerSecond + p.diskRandomReadSeconds : 0;
  return {
    mode,
    consumers,
    bytesServed,
    fetches: consumers * fetches,
    cpuSeconds,
    cpuSecondsPerGiB: (cpuSeconds / bytesServed) * GiB,
    dataSyscallsPerGiB: ((consumers * dataCalls * (mode === "sendfile" ? 1 : 2)) / bytesServed) * GiB,
    copiesPerByte: mode === "sendfile" ? 0 : 2,
    diskBytes,
    diskSeconds,
    brokerSeconds: Math.max(cpuSeconds, diskSeconds),
  };
}
