// The machine profile as it is saved: the fifteen parameters of the cost model, the raw micro-benchmark results
// they were derived from (medians and spreads), and where and when they were measured. Plain JSON. And the
// derivation itself: parameters from benchmark medians, pure arithmetic, so a saved profile can be re-derived.
import type { MachineConditions } from "../experiments/conditions";
import type { BackgroundLoad } from "./background-load";
import { MachineParameters, PARAMETER_NAMES, ParameterName, requireParameters } from "../model/cost/machine-profile";
import { KiB, MiB } from "../units/sizes";

/** Bumped when the parameter set changes: a profile of another version names what it lacks. */
export const PROFILE_MODEL_VERSION = 1;

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
  /** Passes of each JS loop in its new process: the first grows the heap, the rest are measured. */
  jsPasses: number;
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
  benchmarks: Record<string, BenchmarkResult>;
  /** Parameters the derivation set to 0 because their measured value came out below zero (within noise). */
  zeroed: ParameterName[];
}

/** The benchmark results the derivation reads, by name; profile.ts fills them in. */
export const REQUIRED_BENCHMARKS = [
  "copy", "syscall", "page-fault", "checksum", "disk-sequential", "disk-random-4k",
  "read-write-chunk-cpu", "stream-chunk-cpu",
  "loopback-copy-1MiB-paced-sender", "loopback-copy-1MiB-paced-receiver", "loopback-send-call",
  "loopback-borrow-1MiB-sender", "loopback-borrow-1MiB-receiver",
  "socket-send-buffer", "pipe",
] as const;

/** The benchmarks each parameter is read off, the first being the one whose spread it inherits most. */
export const PARAMETER_BENCHMARKS: Record<ParameterName, readonly (typeof REQUIRED_BENCHMARKS)[number][]> = {
  copyBytesPerSecond: ["copy"],
  syscallSeconds: ["syscall"],
  jsCallSeconds: ["read-write-chunk-cpu", "copy", "syscall"],
  streamChunkSeconds: ["stream-chunk-cpu", "copy", "syscall"],
  pageFaultSeconds: ["page-fault"],
  tcpSendSecondsPerByte: ["loopback-copy-1MiB-paced-sender", "copy", "loopback-send-call"],
  tcpSendCallSeconds: ["loopback-send-call", "syscall"],
  tcpReceiveSecondsPerByte: ["loopback-copy-1MiB-paced-receiver", "copy", "checksum"],
  tcpSendBorrowedSecondsPerByte: ["loopback-borrow-1MiB-sender", "syscall", "loopback-send-call"],
  tcpReceiveBorrowedSecondsPerByte: ["loopback-borrow-1MiB-receiver", "copy", "checksum"],
  checksumBytesPerSecond: ["checksum"],
  socketSendBufferBytes: ["socket-send-buffer"],
  pipeBytes: ["pipe"],
  diskSequentialBytesPerSecond: ["disk-sequential"],
  diskRandomReadSeconds: ["disk-random-4k"],
};

/** The sizes the loopback benchmark used: write sizes of the copy runs, and the borrow run's calls per block. */
export const LOOPBACK_LARGE_WRITE = MiB;
export const LOOPBACK_SMALL_WRITE = 32 * KiB;
/** vmsplice + splice: two system calls per block. */
const BORROW_SYSCALLS_PER_WRITE = 2;

/** The parameters from the benchmarks' medians; `chunk` is the per-chunk benchmarks' chunk. Differences that come
 *  out below zero (a cost smaller than the noise of the two figures it is the difference of) are set to 0 and named
 *  in `zeroed`. Throws naming a missing benchmark. */
export function deriveParameters(benchmarks: Record<string, BenchmarkResult>, chunk: number): { parameters: MachineParameters; zeroed: ParameterName[] } {
  const m = (name: (typeof REQUIRED_BENCHMARKS)[number]) => {
    const b = benchmarks[name];
    if (!b || !Number.isFinite(b.median)) throw new Error(`the profile has no "${name}" benchmark; rerun \`npx workbook calibrate\``);
    return b.median;
  };
  const copy = m("copy");
  const syscall = m("syscall");
  const fault = m("page-fault");
  const crc = m("checksum");
  // the kernel's share of one chunk read: the copy into user memory and the call
  const readChunk = chunk / copy + syscall;
  const raw: Record<ParameterName, number> = {
    copyBytesPerSecond: copy,
    syscallSeconds: syscall,
    jsCallSeconds: m("read-write-chunk-cpu") - readChunk,
    // a stream chunk's kernel share: the copy, pread, and the eventfd write + read that wake the event loop
    streamChunkSeconds: m("stream-chunk-cpu") - chunk / copy - 3 * syscall,
    pageFaultSeconds: fault,
    tcpSendCallSeconds: m("loopback-send-call") - syscall,
    tcpSendSecondsPerByte: 0, // below: needs the send-call cost
    tcpReceiveSecondsPerByte: m("loopback-copy-1MiB-paced-receiver") - 1 / copy - 1 / crc,
    tcpSendBorrowedSecondsPerByte: 0, // below
    tcpReceiveBorrowedSecondsPerByte: m("loopback-borrow-1MiB-receiver") - 1 / copy - 1 / crc,
    checksumBytesPerSecond: crc,
    socketSendBufferBytes: m("socket-send-buffer"),
    pipeBytes: m("pipe"),
    diskSequentialBytesPerSecond: m("disk-sequential"),
    diskRandomReadSeconds: m("disk-random-4k"),
  };
  const call = Math.max(0, raw.tcpSendCallSeconds);
  // sender per byte = copy + TCP per byte + (system call + send call) per write
  raw.tcpSendSecondsPerByte = m("loopback-copy-1MiB-paced-sender") - 1 / copy - (syscall + call) / LOOPBACK_LARGE_WRITE;
  raw.tcpSendBorrowedSecondsPerByte = m("loopback-borrow-1MiB-sender") - (BORROW_SYSCALLS_PER_WRITE * syscall + call) / LOOPBACK_LARGE_WRITE;
  const zeroed = PARAMETER_NAMES.filter((name) => raw[name] < 0);
  const parameters = Object.fromEntries(PARAMETER_NAMES.map((name) => [name, Math.max(0, raw[name])])) as unknown as MachineParameters;
  return { parameters: requireParameters(parameters), zeroed };
}
