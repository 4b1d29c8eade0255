// Result records of the disk experiment: plain JSON, one interface per record.
import type { Spread } from "../statistics/spread";
import type { MachineConditions } from "./conditions";

export const DISK_OPS = ["read", "write"] as const;
export type DiskOp = (typeof DISK_OPS)[number];

export const DISK_PATTERNS = ["sequential", "random"] as const;
export type DiskPattern = (typeof DISK_PATTERNS)[number];

/** buffered: through the page cache; direct: O_DIRECT, straight to the device. */
export const DISK_IO_MODES = ["buffered", "direct"] as const;
export type DiskIoMode = (typeof DISK_IO_MODES)[number];

/** When writes are made durable: never (page cache only), once at the end, after every write. Reads: none. */
export const FSYNC_MODES = ["none", "end", "each"] as const;
export type FsyncMode = (typeof FSYNC_MODES)[number];

/** One combination measured n times. */
export interface DiskCase {
  op: DiskOp;
  pattern: DiskPattern;
  io: DiskIoMode;
  fsync: FsyncMode;
  /** Bytes per read/write call. */
  block: number;
  /** Calls per run, and the bytes they move. */
  ops: number;
  bytes: number;
  /** Reads start cold (no page of the file cached, checked with mincore); writes overwrite an existing file. */
  cache: "cold" | "n/a";
  iops: Spread;
  mibps: Spread;
  seconds: Spread;
}

/** A combination the machine could not run (O_DIRECT refused by the filesystem), and why. */
export interface DiskSkip {
  op: DiskOp;
  pattern: DiskPattern;
  io: DiskIoMode;
  fsync: FsyncMode;
  block: number;
  reason: string;
}

/** What was asked and where it ran. */
export interface DiskConditions extends MachineConditions {
  fileBytes: number;
  blocks: number[];
  runs: number;
  maxOps: number;
  maxSyncOps: number;
  fsyncModes: FsyncMode[];
  directSupported: boolean;
  directReason: string | null;
  filesystem: string;
  scratchDir: string;
  loadAverageEnd: number[];
}

export interface DiskResult {
  kind: "disk";
  conditions: DiskConditions;
  cases: DiskCase[];
  skipped: DiskSkip[];
}
