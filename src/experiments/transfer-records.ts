// Result records of the transfer experiment: plain JSON, one interface per record.
import type { Spread } from "../statistics/spread";
import type { CacheState, TransferPath } from "../vocabulary/transfer";
import type { MachineConditions } from "./conditions";
import type { LinkConditions } from "../link/namespace";

/** How each path's `syscalls` figure was obtained. */
export const SYSCALL_SOURCES: Record<TransferPath, string> = {
  stream: "/proc/self/io syscr + syscw delta (Node's own reads and socket writes)",
  "read-write": "counted: readSync calls + socket.write calls",
  "c-read-write": "counted by the C loop: read + write calls + poll on EAGAIN",
  sendfile: "counted by the C loop: sendfile calls + poll on EAGAIN",
  splice: "counted by the C loop: splice calls (file->pipe, pipe->socket) + poll on EAGAIN",
};

/** One measured transfer: what the sender spent to deliver the file, verified at the receiver. */
export interface TransferRun {
  path: TransferPath;
  /** 0-based round; warm-up runs are not recorded. */
  round: number;
  bytes: number;
  chunk: number;
  cache: CacheState;
  /** Pages of the file resident in the page cache right before the run, and the file's page count. */
  residentPagesBefore: number;
  filePages: number;
  /** From the first byte offered to the receiver's "all received" reply, seconds. */
  wallSeconds: number;
  /** bytes / wallSeconds / 2^20. */
  throughputMiBps: number;
  userCpuMs: number;
  systemCpuMs: number;
  voluntarySwitches: number;
  involuntarySwitches: number;
  minorFaults: number;
  majorFaults: number;
  /** System calls the sender issued for the transfer (see SYSCALL_SOURCES for how, per path). */
  syscalls: number;
  /** EAGAIN waits (poll) among them, for the native loops; 0 where not counted. */
  polls: number;
  /** Cross-check for every path: /proc/self/io syscr and syscw deltas of the sender. */
  procSyscr: number;
  procSyscw: number;
  /** /proc/self/io read_bytes delta: bytes the sender caused to be read from the disk. */
  diskReadBytes: number;
  /** CPU time (user + system) the receiver process spent on this connection: reading, copying, checksumming.
   *  Optional only so records made before it existed still type-check; every run records it. */
  receiverCpuMs?: number;
  /** All CPUs' busy time over the send window (/proc/stat), whoever did the work: the sender, the receiver,
   *  softirqs charged to no process, and everyone else. Optional for records made before it existed. */
  machineBusyMs?: number;
  /** All CPUs' steal time over the send window. */
  machineStealMs?: number;
  /** All CPUs' busy time over a quiet window right before the send and one right after it, and the windows'
   *  length (0 when not measured): the rest of the machine's load, at the rate it ran around the send. */
  backgroundBeforeBusyMs?: number;
  backgroundAfterBusyMs?: number;
  backgroundWindowMs?: number;
  /** What the receiver reported (equal to the file's, or the run would have been an error). */
  receivedBytes: number;
  receivedChecksum: string;
}

/** The metrics summarised per path. */
export const TRANSFER_METRICS = [
  "wallSeconds",
  "throughputMiBps",
  "userCpuMs",
  "systemCpuMs",
  "voluntarySwitches",
  "involuntarySwitches",
  "minorFaults",
  "majorFaults",
  "syscalls",
  "polls",
  "procSyscr",
  "procSyscw",
  "diskReadBytes",
  "residentPagesBefore",
] as const;
export type TransferMetric = (typeof TRANSFER_METRICS)[number];

/** Median and min-max of each metric over one path's runs. */
export interface TransferSummary {
  path: TransferPath;
  runs: number;
  syscallSource: string;
  metrics: Record<TransferMetric, Spread>;
  /** The receiver's CPU per run (absent when the runs did not record it). */
  receiverCpuMs?: Spread;
}

/** What the experiment was asked to do, and the machine it ran on. */
export interface TransferConditions extends MachineConditions {
  paths: TransferPath[];
  bytes: number;
  chunk: number;
  cache: CacheState;
  runs: number;
  warmupRuns: number;
  checksum: string;
  fileChecksum: string;
  loopback: string;
  scratchDir: string;
  loadAverageEnd: number[];
  /** The quiet windows each sender measured the machine's background load over, before and after its send, ms. */
  backgroundWindowMs?: number;
  /** The shaped (or unshaped) namespace loopback the runs went through; absent: the machine's own loopback. */
  link?: LinkConditions;
}

/** The whole experiment: conditions, every run, and per-path summaries. */
export interface TransferResult {
  kind: "transfer";
  conditions: TransferConditions;
  runs: TransferRun[];
  summaries: TransferSummary[];
}
