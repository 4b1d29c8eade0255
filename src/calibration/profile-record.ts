// The machine profile as it is saved: the sixteen parameters of the cost model, the raw micro-benchmark results
// they were derived from (medians and spreads), and where and when they were measured. Plain JSON. And the
// derivation itself: parameters from benchmark medians, pure arithmetic, so a saved profile can be re-derived.
import type { MachineConditions } from "../experiments/conditions";
import type { BackgroundLoad } from "./background-load";
import { MachineParameters, PARAMETER_NAMES, ParameterName, requireParameters } from "../model/cost/machine-profile";
import { KiB, MiB } from "../units/sizes";
import { PAGE_SIZE } from "../reference/linux";

/** Bumped when the parameter set changes: a profile of another version names what it lacks. */
export const PROFILE_MODEL_VERSION = 2;

/** One micro-benchmark result: median and range over its repetitions, and how it was taken. */
export interface BenchmarkResult {
  unit: string;
  median: number;
  min: number;
  max: number;
  n: number;
  /** One line: what was timed, with which sizes. */
  method: string;
}

/** The sizes and repetitions of one calibration. */
export interface ProfilePlan {
  name: "quick" | "full";
  /** Copy, checksum, page-fault buffers, bytes. */
  copyBytes: number;
  /** The cached file the copy, JS-loop and disk benchmarks read, bytes. */
  fileBytes: number;
  /** 64 KiB: the transfer experiment's chunk, used by every per-chunk benchmark. */
  chunk: number;
  syscalls: number;
  runs: number;
  /** Passes of each JS loop in each of its new processes: the first grows the heap, the rest are steady. */
  jsPasses: number;
  /** New processes per JS loop. */
  jsProcesses: number;
  loopbackBytes: number;
  loopbackRuns: number;
  randomReads: number;
}

/** Where, when and under what load the profile was measured. */
export interface ProfileMachine extends MachineConditions {
  plan: ProfilePlan;
  elapsedSeconds: number;
  loadAverageEnd: number[];
  /** What the rest of the machine kept busy meanwhile: > 0.3 busy threads means the figures are inflated. */
  background: BackgroundLoad;
  /** The /proc files the buffer sizes were read from, as read. */
  systemFiles: Record<string, string>;
}

/** The saved profile. */
export interface MachineProfile {
  kind: "machine-profile";
  modelVersion: number;
  name: string;
  measuredAt: string;
  machine: ProfileMachine;
  parameters: MachineParameters;
  benchmarks: Record<BenchmarkName, BenchmarkResult>;
  /** Parameters the derivation set to 0 because their measured value came out below zero (within noise). */
  zeroed: ParameterName[];
}

/** Every micro-benchmark of a profile, by name, in the order `workbook calibrate` runs them; each feeds at least
 *  one parameter (PARAMETER_BENCHMARKS). */
export const BENCHMARK_NAMES = [
  "socket-send-buffer", "pipe", "syscall", "page-fault", "checksum", "disk-sequential", "disk-random-4k", "copy",
  "read-write-chunk-cpu", "read-write-small-chunk-cpu", "read-write-heap-growth", "stream-chunk-cpu",
  "loopback-copy-1MiB-paced-sender", "loopback-copy-1MiB-paced-receiver", "loopback-send-call",
  "loopback-borrow-1MiB-paced-sender", "loopback-borrow-1MiB-paced-receiver",
] as const;
export type BenchmarkName = (typeof BENCHMARK_NAMES)[number];

/** The benchmarks each parameter is read off, the first being the one whose spread it inherits most. */
export const PARAMETER_BENCHMARKS: Record<ParameterName, readonly BenchmarkName[]> = {
  copyBytesPerSecond: ["copy"],
  syscallSeconds: ["syscall"],
  jsCallSeconds: ["read-write-small-chunk-cpu", "read-write-chunk-cpu", "syscall"],
  jsBufferSecondsPerByte: ["read-write-chunk-cpu", "read-write-small-chunk-cpu", "copy"],
  streamChunkSeconds: ["stream-chunk-cpu", "read-write-chunk-cpu", "read-write-small-chunk-cpu", "syscall"],
  pageFaultSeconds: ["page-fault"],
  freshHeapBytes: ["read-write-heap-growth"],
  tcpSendSecondsPerByte: ["loopback-copy-1MiB-paced-sender", "copy", "loopback-send-call"],
  tcpSendCallSeconds: ["loopback-send-call", "syscall"],
  tcpReceiveSecondsPerByte: ["loopback-copy-1MiB-paced-receiver", "copy", "checksum"],
  tcpSendBorrowedSecondsPerByte: ["loopback-borrow-1MiB-paced-sender", "loopback-borrow-1MiB-paced-receiver", "copy", "checksum", "loopback-copy-1MiB-paced-receiver"],
  checksumBytesPerSecond: ["checksum"],
  socketSendBufferBytes: ["socket-send-buffer"],
  pipeBytes: ["pipe"],
  diskSequentialBytesPerSecond: ["disk-sequential"],
  diskRandomReadSeconds: ["disk-random-4k"],
};

/** The sizes the loopback benchmark used: write sizes of the copy runs, and the borrow run's calls per block. */
export const LOOPBACK_LARGE_WRITE = MiB;
export const LOOPBACK_SMALL_WRITE = 32 * KiB;
/** sendfile: one system call per block. */
const BORROW_SYSCALLS_PER_WRITE = 1;

/** The small chunk of the read loop's second benchmark: the IBM article's client buffer, and chapter 2's. */
export const SMALL_CHUNK = 4 * KiB;

/** The parameters from the benchmarks' medians; `chunk` is the per-chunk benchmarks' chunk. Differences that come
 *  out below zero (a cost smaller than the noise of the two figures it is the difference of) are set to 0 and named
 *  in `zeroed`. Throws naming a missing benchmark. */
export function deriveParameters(benchmarks: Partial<Record<BenchmarkName, BenchmarkResult>>, chunk: number): { parameters: MachineParameters; zeroed: ParameterName[] } {
  const m = (name: BenchmarkName) => {
    const b = benchmarks[name];
    if (!b || !Number.isFinite(b.median)) throw new Error(`the profile has no "${name}" benchmark; rerun \`npx workbook calibrate\``);
    return b.median;
  };
  const copy = m("copy");
  const syscall = m("syscall");
  const fault = m("page-fault");
  const crc = m("checksum");
  // a read loop's chunk of w bytes costs a fixed part and w x (the copy + Node's handling of fresh bytes):
  // two chunk sizes give the slope, which the stream's chunks (fresh Buffers too) share
  const slope = (m("read-write-chunk-cpu") - m("read-write-small-chunk-cpu")) / (chunk - SMALL_CHUNK);
  const raw: Record<ParameterName, number> = {
    copyBytesPerSecond: copy,
    syscallSeconds: syscall,
    jsCallSeconds: m("read-write-small-chunk-cpu") - SMALL_CHUNK * slope - syscall,
    jsBufferSecondsPerByte: slope - 1 / copy,
    // a stream chunk's kernel share: pread, and the eventfd write + read that wake the event loop
    streamChunkSeconds: m("stream-chunk-cpu") - chunk * slope - 3 * syscall,
    pageFaultSeconds: fault,
    // whole pages: the heap grows by faulting pages in
    freshHeapBytes: Math.round(m("read-write-heap-growth") / PAGE_SIZE) * PAGE_SIZE,
    tcpSendCallSeconds: m("loopback-send-call") - syscall,
    tcpSendSecondsPerByte: 0, // below: needs the send-call cost
    tcpReceiveSecondsPerByte: m("loopback-copy-1MiB-paced-receiver") - 1 / copy - 1 / crc,
    tcpSendBorrowedSecondsPerByte: 0, // below
    checksumBytesPerSecond: crc,
    socketSendBufferBytes: m("socket-send-buffer"),
    pipeBytes: m("pipe"),
    diskSequentialBytesPerSecond: m("disk-sequential"),
    diskRandomReadSeconds: m("disk-random-4k"),
  };
  const call = Math.max(0, raw.tcpSendCallSeconds);
  // sender per byte = copy + TCP per byte + (system call + send call) per write
  raw.tcpSendSecondsPerByte = m("loopback-copy-1MiB-paced-sender") - 1 / copy - (syscall + call) / LOOPBACK_LARGE_WRITE;
  // both sides of the borrow run: whichever core carried the delivery, the sum is the same work
  raw.tcpSendBorrowedSecondsPerByte =
    m("loopback-borrow-1MiB-paced-sender") - (BORROW_SYSCALLS_PER_WRITE * syscall + call) / LOOPBACK_LARGE_WRITE +
    m("loopback-borrow-1MiB-paced-receiver") - 1 / copy - 1 / crc - Math.max(0, raw.tcpReceiveSecondsPerByte);
  const zeroed = PARAMETER_NAMES.filter((name) => raw[name] < 0);
  const parameters = Object.fromEntries(PARAMETER_NAMES.map((name) => [name, Math.max(0, raw[name])])) as unknown as MachineParameters;
  return { parameters: requireParameters(parameters), zeroed };
}
