// Result records of the cache-reads experiment (chapter 3): plain JSON, one interface per record.
import type { Spread } from "../statistics/spread";
import type { MachineConditions } from "./conditions";
import type { DeviceReads } from "./block-device";

/** One timed pass over (part of) the file with read(2), and what the kernel says it cost. */
export interface ReadPass {
  /** "cold", "warm", "read 3", "sequential 4 KiB"... */
  label: string;
  /** The cache state the pass started from, as mincore saw it: "cold" = 0 pages resident, "warm" = all. */
  cache: "cold" | "warm" | "partial";
  /** Pages of the file resident before and after the pass (mincore). */
  residentBefore: number;
  residentAfter: number;
  totalPages: number;
  /** Bytes the pass asked for, calls made, bytes per call. */
  bytes: number;
  calls: number;
  callBytes: number;
  /** Time inside the read(2) calls only (checksumming is outside the clock), seconds. */
  seconds: number;
  /** bytes / seconds / 2^20. */
  mibps: number;
  /** /proc/self/io read_bytes delta: bytes this process caused to be fetched from storage. */
  readBytes: number;
  /** /proc/self/io syscr delta: read calls counted by the kernel (includes the mincore probe's none). */
  syscr: number;
  /** Device-wide read requests and bytes in the pass's window (other processes included); null without a block device. */
  device: DeviceReads | null;
  /** Whole-file passes: the CRC-32 of what read(2) returned equals the file's. Partial passes: every call returned its full length. */
  verified: boolean;
}

/** Cold and warm whole-file reads, n of each, and their summaries. */
export interface ColdWarmRecord {
  passes: ReadPass[];
  cold: { seconds: Spread; mibps: Spread; readBytes: Spread };
  warm: { seconds: Spread; mibps: Spread; readBytes: Spread };
}

/** The file read k times in a row from a cold start: Kafka's "copied into pagecache exactly once". */
export interface RereadRecord {
  reads: number;
  passes: ReadPass[];
}

/** Buffered 4 KiB reads, sequential vs random (distinct pages in a shuffled order), each from a cold cache. */
export interface ReadaheadRecord {
  /** 4 KiB calls per pass. */
  calls: number;
  passes: ReadPass[];
  sequential: { mibps: Spread; readBytesPerByte: Spread; deviceKiBPerRequest: Spread | null };
  random: { mibps: Spread; readBytesPerByte: Spread; deviceKiBPerRequest: Spread | null };
}

/** What was asked and where it ran. */
export interface CacheReadsConditions extends MachineConditions {
  fileBytes: number;
  runs: number;
  /** Bytes per read(2) of whole-file passes. */
  chunk: number;
  filesystem: string;
  scratchDir: string;
  /** The block device under the scratch file, or null (then no device counters). */
  device: { name: string; readAheadKiB: number | null; rotational: boolean | null; maxRequestKiB: number | null } | null;
  loadAverageEnd: number[];
}

export interface CacheReadsResult {
  kind: "cache-reads";
  conditions: CacheReadsConditions;
  coldWarm: ColdWarmRecord;
  rereads: RereadRecord;
  readahead: ReadaheadRecord;
}
