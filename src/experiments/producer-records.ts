// Result records of the producer experiment (chapter 5): plain JSON, one interface per record.
import type { Spread } from "../statistics/spread";
import type { MachineConditions } from "./conditions";
import type { NetCounters } from "./net-counters";

/**
 * When the sink forces its file to disk. Kafka's log.flush.interval.messages defaults to Long.MAX_VALUE
 * (never: the OS flushes, "page-cache"); flush.messages=1 fsyncs after every message ("fsync-each").
 */
export const PRODUCER_POLICIES = ["page-cache", "fsync-end", "fsync-each"] as const;
export type ProducerPolicy = (typeof PRODUCER_POLICIES)[number];

/** One point of a run's timeline, on the producer's clock (0 = its first byte offered to the socket). */
export interface ProducerSample {
  seconds: number;
  /** Bytes the sink has written into its file so far (in the page cache). */
  writtenBytes: number;
  /** Bytes covered by an fsync() that has returned (on the disk, as far as the kernel promises). */
  durableBytes: number;
  /** Write bytes the disk device completed since the connection: ALL processes on that device; null without a device. */
  deviceWriteBytes: number | null;
}

/** One measured run: the producer's wait, the sink's costs, and where the bytes were afterwards. */
export interface ProducerRun {
  policy: ProducerPolicy;
  /** 0-based round; warm-up runs are not recorded. */
  round: number;
  bytes: number;
  /** Producer's clock: first byte offered to the socket -> the sink's ack read back, seconds. */
  wallSeconds: number;
  /** bytes / wallSeconds / 2^20. */
  throughputMiBps: number;
  /** Sink's getrusage delta from the connection to the ack, ms. */
  sinkUserCpuMs: number;
  sinkSystemCpuMs: number;
  /** Producer's getrusage delta around its send, ms. */
  producerUserCpuMs: number;
  producerSystemCpuMs: number;
  /** write(2) and fsync(2) calls the sink made for the file. */
  writeCalls: number;
  fsyncCalls: number;
  /** Sink's /proc/self/io write_bytes delta from the connection to the ack (charged when pages are dirtied). */
  writeBytesDuring: number;
  /** The same over the later fsync. */
  writeBytesLater: number;
  /** Sink's /proc/self/io cancelled_write_bytes delta over the whole run (dirty pages truncated away). */
  cancelledWriteBytes: number;
  /** Device write bytes (all processes) from the connection to the ack, and over the later fsync; null without a device. */
  deviceWriteBytesDuring: number | null;
  deviceWriteBytesLater: number | null;
  /** /proc/meminfo Dirty (system-wide, bytes) at the connection, at the ack and after the later fsync. */
  dirtyBytesBefore: number;
  dirtyBytesAtAck: number;
  dirtyBytesAfterLaterFsync: number;
  /** mincore(2) right after the ack: the file's pages in the page cache, and its page count. */
  residentPages: number;
  filePages: number;
  /** How long the later fsync() right after the ack took: the deferred writeback made visible (≈ 0 once already fsynced). */
  laterFsyncSeconds: number;
  /** Timeline of the run, on the producer's clock; ackSeconds marks the ack, laterFsync* the later fsync. */
  samples: ProducerSample[];
  ackSeconds: number;
  laterFsyncStartSeconds: number;
  laterFsyncEndSeconds: number;
  /** The loopback device's packets and bytes and the NET_RX softirqs from the send to the ack (system-wide). */
  net: NetCounters;
  /** What the producer sent, what the sink counted, and the file as read back afterwards. */
  sentChecksum: string;
  receivedBytes: number;
  fileBytes: number;
  fileChecksum: string;
}

/** The numeric metrics summarised per policy. */
export const PRODUCER_METRICS = [
  "wallSeconds",
  "throughputMiBps",
  "sinkUserCpuMs",
  "sinkSystemCpuMs",
  "producerUserCpuMs",
  "producerSystemCpuMs",
  "writeCalls",
  "fsyncCalls",
  "writeBytesDuring",
  "writeBytesLater",
  "dirtyBytesBefore",
  "dirtyBytesAtAck",
  "residentPages",
  "laterFsyncSeconds",
] as const;
export type ProducerMetric = (typeof PRODUCER_METRICS)[number];

/** Median and min-max of each metric over one policy's runs (device counters only where there is a device). */
export interface ProducerSummary {
  policy: ProducerPolicy;
  runs: number;
  metrics: Record<ProducerMetric, Spread>;
  deviceWriteBytesDuring: Spread | null;
  deviceWriteBytesLater: Spread | null;
}

/** The kernel's writeback settings (/proc/sys/vm), as read at the start; null where unreadable. */
export interface WritebackSettings {
  /** "how old data must be before the kernel considers it for writeback", centiseconds. */
  dirtyExpireCentisecs: number | null;
  /** "how often the kernel writeback threads wake up", centiseconds (0 disables periodic writeback). */
  dirtyWritebackCentisecs: number | null;
  /** % of available memory dirty before the flusher starts in the background, and before writers are throttled. */
  dirtyBackgroundRatio: number | null;
  dirtyRatio: number | null;
  /** The byte-valued alternatives (0 = the ratio applies). */
  dirtyBackgroundBytes: number | null;
  dirtyBytes: number | null;
}

/** One probe of the flusher observation: a file left dirty in the page cache, fsynced at a given age. */
export interface FlusherProbe {
  /** Seconds between the file's last write and its fsync. */
  ageSeconds: number;
  /** How long that fsync took: long while the pages are still dirty, ≈ 0 once the flusher has written them. */
  fsyncSeconds: number;
  /** Device writes during that fsync (all processes); null without a device. */
  deviceWriteBytes: number | null;
}

/**
 * The flusher made visible, file by file: several files written at once (page-cache policy), each fsynced
 * at a different age. A file whose fsync still has work to do was still dirty; one whose fsync is instant
 * had been written back by the kernel's flusher on its own.
 */
export interface FlusherObservation {
  bytesPerFile: number;
  files: number;
  probes: FlusherProbe[];
  /** dirty_expire_centisecs and dirty_writeback_centisecs, in seconds, as read at the start. */
  expireSeconds: number;
  writebackIntervalSeconds: number;
}

/** Conditions of a producer experiment. */
export interface ProducerConditions extends MachineConditions {
  policies: ProducerPolicy[];
  bytes: number;
  /** fsync-each: bytes between fsyncs. */
  fsyncBytes: number;
  /** The producer's socket writes. The sink writes what each recv returned (Node reads up to 64 KiB). */
  sendChunk: number;
  runs: number;
  warmupRuns: number;
  checksum: string;
  loopback: string;
  scratchDir: string;
  /** Filesystem type holding the sink's file (from /proc/mounts), and its block device (null on tmpfs). */
  filesystem: string;
  device: string | null;
  writeback: WritebackSettings;
  loadAverageEnd: number[];
}

/** What runProducerExperiment() returns. */
export interface ProducerResult {
  kind: "producer";
  conditions: ProducerConditions;
  runs: ProducerRun[];
  summaries: ProducerSummary[];
  flusher: FlusherObservation | null;
  /** Why there is no flusher observation (not asked for, or periodic writeback is off); "" when there is one. */
  flusherNote: string;
}
