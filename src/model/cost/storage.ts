// Reading and writing a file through the page cache, and the disk under it (chapters 3 and 4), from the machine's
// parameters. The disk here has no seek penalty worth the name (field notes: direct 4 KiB reads run as fast at
// random as in order); what makes buffered sequential I/O fast is the page cache's readahead, which turns small
// reads into large requests that stream while the reader works:
//
//   warm read          = calls x syscall + bytes / copy                                  (every page cached)
//   cold sequential    = max(warm read, bytes / diskSequential) + diskRandomRead          (readahead streams; the
//                                                                                         first request waits)
//   cold random (QD 1) = calls x (diskRandomRead + syscall) + bytes / copy               (readahead cannot guess)
//   direct (O_DIRECT)  = calls x (diskRandomRead + block / diskSequential) + calls x syscall  (no cache, no readahead)
//   buffered write     = calls x syscall + bytes / copy                                  (dirty pages; written later)
//   + fsync at the end = + bytes / diskSequential + diskRandomRead                       (one flush of all of it)
//   + fsync each write = + calls x (diskRandomRead + block / diskSequential)              (a flush per call)
// Writes are assumed as fast as sequential reads (the profile measures reads); the disk's latency stands for a flush.
import { requireBytes, requireChoice } from "../../units/arguments";
import { MachineParameters, requireParameters } from "./machine-profile";

/** One file operation's modelled cost. */
export interface StorageCost {
  seconds: number;
  /** CPU of the process doing the I/O (copies and system calls; waiting for the disk is not CPU). */
  cpuSeconds: number;
  syscalls: number;
  /** Bytes the disk moves (reads from it, or writes to it before the call returns). */
  diskBytes: number;
}

/** How a read meets the cache. */
export type ReadKind = "warm" | "cold-sequential" | "cold-random" | "direct";
export const READ_KINDS: readonly ReadKind[] = ["warm", "cold-sequential", "cold-random", "direct"];

/** When a write is made durable. */
export type FsyncPolicy = "none" | "end" | "each";
export const FSYNC_POLICIES: readonly FsyncPolicy[] = ["none", "end", "each"];

/** Reads `bytes` in calls of `callBytes` (the last call may be shorter). */
export function readCost(parameters: MachineParameters, kind: ReadKind, bytes: number, callBytes: number): StorageCost {
  const p = requireParameters(parameters);
  requireChoice("kind", kind, READ_KINDS);
  requireBytes("bytes", bytes);
  requireBytes("callBytes", callBytes);
  const calls = Math.ceil(bytes / callBytes);
  const cpuSeconds = calls * p.syscallSeconds + (kind === "direct" ? 0 : bytes / p.copyBytesPerSecond);
  switch (kind) {
    case "warm":
      return { seconds: cpuSeconds, cpuSeconds, syscalls: calls, diskBytes: 0 };
    case "cold-sequential":
      return { seconds: Math.max(cpuSeconds, bytes / p.diskSequentialBytesPerSecond) + p.diskRandomReadSeconds, cpuSeconds, syscalls: calls, diskBytes: bytes };
    case "cold-random":
      return { seconds: cpuSeconds + calls * p.diskRandomReadSeconds, cpuSeconds, syscalls: calls, diskBytes: bytes };
    case "direct":
      return { seconds: cpuSeconds + calls * (p.diskRandomReadSeconds + callBytes / p.diskSequentialBytesPerSecond), cpuSeconds, syscalls: calls, diskBytes: bytes };
  }
}

/** Writes `bytes` through the page cache in calls of `callBytes`, made durable per `fsync`. */
export function writeCost(parameters: MachineParameters, fsync: FsyncPolicy, bytes: number, callBytes: number): StorageCost {
  const p = requireParameters(parameters);
  requireChoice("fsync", fsync, FSYNC_POLICIES);
  requireBytes("bytes", bytes);
  requireBytes("callBytes", callBytes);
  const writes = Math.ceil(bytes / callBytes);
  const fsyncs = fsync === "none" ? 0 : fsync === "end" ? 1 : writes;
  const cpuSeconds = (writes + fsyncs) * p.syscallSeconds + bytes / p.copyBytesPerSecond;
  const flushSeconds =
    fsync === "none" ? 0 : fsync === "end" ? bytes / p.diskSequentialBytesPerSecond + p.diskRandomReadSeconds : writes * (p.diskRandomReadSeconds + callBytes / p.diskSequentialBytesPerSecond);
  return { seconds: cpuSeconds + flushSeconds, cpuSeconds, syscalls: writes + fsyncs, diskBytes: fsync === "none" ? 0 : bytes };
}
