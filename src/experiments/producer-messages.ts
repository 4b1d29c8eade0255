// The messages between the producer experiment and its two child processes (producer-client.ts and
// producer-sink.ts), one union per direction, imported by both sides.
import type { ProducerPolicy, FlusherProbe, ProducerRun } from "./producer-records";

/** Parent -> producer: make the payload once, then send it once per run. */
export type ProducerOrder = { type: "prepare"; bytes: number } | { type: "send"; port: number; chunk: number };

/** Producer -> parent. Times are CLOCK_MONOTONIC nanoseconds, the clock the sink uses too. */
export type ProducerReport =
  | { type: "prepared"; bytes: number; checksum: string }
  | { type: "sent"; localPort: number; startNs: number; ackNs: number; userCpuMs: number; systemCpuMs: number }
  | { type: "error"; message: string };

/** Parent -> sink: the next connection, and how to store it. */
export interface SinkJob {
  type: "expect";
  id: number;
  file: string;
  policy: ProducerPolicy;
  /** fsync-each: fsync after every this many bytes. */
  fsyncBytes: number;
  /** Take a timeline sample every this many bytes written. */
  sampleBytes: number;
}

/** Parent -> sink: the flusher observation: write one file per age at once, fsync each at its age. */
export interface FlusherJob {
  type: "flusher";
  id: number;
  dir: string;
  bytesPerFile: number;
  /** Seconds after the last write at which file i is fsynced, ascending. */
  agesSeconds: number[];
}

export type SinkOrder = SinkJob | FlusherJob;

/** A timeline point as the sink records it: absolute monotonic time, in ns. */
export interface RawSample {
  ns: number;
  writtenBytes: number;
  durableBytes: number;
  deviceWriteBytes: number | null;
}

/** The fields of a run record the sink measures as they are (documented in producer-records.ts). */
export const SINK_FIELDS = [
  "receivedBytes", "sinkUserCpuMs", "sinkSystemCpuMs", "writeCalls", "fsyncCalls", "writeBytesDuring", "writeBytesLater",
  "cancelledWriteBytes", "deviceWriteBytesDuring", "deviceWriteBytesLater", "dirtyBytesBefore", "dirtyBytesAtAck",
  "dirtyBytesAfterLaterFsync", "residentPages", "filePages",
] as const satisfies readonly (keyof ProducerRun)[];

/** Sink -> parent: what it stored for one job and where the bytes were at each moment (times in monotonic ns,
 *  which the parent moves to the producer's clock). */
export interface StoredReport extends Pick<ProducerRun, (typeof SINK_FIELDS)[number]> {
  type: "stored";
  id: number;
  /** The file's size as the sink left it. */
  fileBytes: number;
  connectedNs: number;
  ackNs: number;
  laterStartNs: number;
  laterEndNs: number;
  samples: RawSample[];
}

export type SinkReport =
  | { type: "listening"; port: number }
  | { type: "ready"; id: number }
  | StoredReport
  | { type: "flusher-done"; id: number; probes: FlusherProbe[] }
  | { type: "sink-error"; id: number; bytes: number; message: string }
  | { type: "fatal"; message: string };
