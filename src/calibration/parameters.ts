// The calibrated cost parameters: what the prediction needs to know about this machine, each derived from one
// or two micro-measurements (the median). Plain numbers in SI units, so the record is plain JSON.
import type { Measurement } from "./measurement";

/** Costs of this machine, as the transfer prediction uses them. Every field is finite and > 0. */
export interface CalibratedParameters {
  /** Buffer.copy between large buffers (DRAM to DRAM), bytes/s. */
  userCopyBytesPerSecond: number;
  /** The kernel's copy between page cache and a reused user buffer (read(2) of a cached file), bytes/s. */
  kernelCopyBytesPerSecond: number;
  /** Kernel CPU of one system call (entry, exit and a trivial body), seconds. */
  syscallSeconds: number;
  /** What a JS loop adds per system call (Node's binding, JS<->C), seconds. */
  jsCallSeconds: number;
  /** One minor page fault (allocate, zero and map an anonymous page), seconds. */
  pageFaultSeconds: number;
  /** CRC-32 of cache-hot data, as the receiver checks each chunk, bytes/s. */
  checksumBytesPerSecond: number;
  /** Socket throughput from user memory to a checksumming receiver process over 127.0.0.1, bytes/s. */
  loopbackBytesPerSecond: number;
  /** Sender CPU per byte of the TCP stack alone (sendfile of cached pages: no copy), s/byte. */
  tcpStackSecondsPerByte: number;
  /** Receiver CPU per byte, user (Node + crc32) and system (TCP receive + copy to user), for bytes sent from
   *  pages the sender just wrote (copying senders: the data is in the CPU cache). */
  receiverUserSecondsPerByte: number;
  receiverSystemSecondsPerByte: number;
  /** Same, for bytes that come straight from page-cache pages (zero-copy senders: the data is in DRAM). */
  receiverUserSecondsPerByteZeroCopy: number;
  receiverSystemSecondsPerByteZeroCopy: number;
  /** Bytes per read at the receiver (Node's socket read size). */
  receiverReadBytes: number;
  /** Cold-cache sequential read through the page cache (readahead on), bytes/s. */
  diskSequentialBytesPerSecond: number;
  /** One cold-cache 4 KiB random read, seconds. */
  diskRandomReadSeconds: number;
}

/** The measurement each parameter comes from, and how: value = f(median). Read by parametersFrom() and the docs. */
export const PARAMETER_SOURCES: Record<keyof CalibratedParameters, { from: string[]; rule: string }> = {
  userCopyBytesPerSecond: { from: ["user-copy"], rule: "median" },
  kernelCopyBytesPerSecond: { from: ["kernel-copy"], rule: "median" },
  syscallSeconds: { from: ["syscall-kernel"], rule: "median" },
  jsCallSeconds: { from: ["syscall-from-js", "syscall-kernel"], rule: "wall per call from JS - kernel CPU per call" },
  pageFaultSeconds: { from: ["page-fault"], rule: "median" },
  checksumBytesPerSecond: { from: ["checksum"], rule: "median" },
  loopbackBytesPerSecond: { from: ["loopback-memory-throughput"], rule: "median" },
  tcpStackSecondsPerByte: { from: ["loopback-sendfile-sender-user", "loopback-sendfile-sender-system"], rule: "user + system" },
  receiverUserSecondsPerByte: { from: ["loopback-memory-receiver-user"], rule: "median" },
  receiverSystemSecondsPerByte: { from: ["loopback-memory-receiver-system"], rule: "median" },
  receiverUserSecondsPerByteZeroCopy: { from: ["loopback-sendfile-receiver-user"], rule: "median" },
  receiverSystemSecondsPerByteZeroCopy: { from: ["loopback-sendfile-receiver-system"], rule: "median" },
  receiverReadBytes: { from: ["loopback-memory-receiver-read"], rule: "median" },
  diskSequentialBytesPerSecond: { from: ["disk-sequential"], rule: "median" },
  diskRandomReadSeconds: { from: ["disk-random-4k"], rule: "median" },
};

/** Derives the parameters from the measurements' medians; throws naming any that is missing, not finite or not > 0. */
export function parametersFrom(measurements: readonly Measurement[]): CalibratedParameters {
  const median = (name: string): number => {
    const m = measurements.find((x) => x.name === name);
    if (!m) throw new Error(`calibration has no "${name}" measurement`);
    return m.median;
  };
  const params: CalibratedParameters = {
    userCopyBytesPerSecond: median("user-copy"),
    kernelCopyBytesPerSecond: median("kernel-copy"),
    syscallSeconds: median("syscall-kernel"),
    jsCallSeconds: median("syscall-from-js") - median("syscall-kernel"),
    pageFaultSeconds: median("page-fault"),
    checksumBytesPerSecond: median("checksum"),
    loopbackBytesPerSecond: median("loopback-memory-throughput"),
    tcpStackSecondsPerByte: median("loopback-sendfile-sender-user") + median("loopback-sendfile-sender-system"),
    receiverUserSecondsPerByte: median("loopback-memory-receiver-user"),
    receiverSystemSecondsPerByte: median("loopback-memory-receiver-system"),
    receiverUserSecondsPerByteZeroCopy: median("loopback-sendfile-receiver-user"),
    receiverSystemSecondsPerByteZeroCopy: median("loopback-sendfile-receiver-system"),
    receiverReadBytes: median("loopback-memory-receiver-read"),
    diskSequentialBytesPerSecond: median("disk-sequential"),
    diskRandomReadSeconds: median("disk-random-4k"),
  };
  requirePositive(params);
  return params;
}

/** Throws one line naming every parameter that is not a finite number > 0; used on calibrated and loaded records. */
export function requirePositive(params: CalibratedParameters): void {
  const bad = (Object.keys(PARAMETER_SOURCES) as (keyof CalibratedParameters)[]).filter((k) => !(Number.isFinite(params[k]) && params[k] > 0));
  if (bad.length > 0) {
    throw new RangeError(`calibration gave unusable parameters (must be finite and > 0): ${bad.map((k) => `${k}=${params[k]}`).join(", ")}; rerun on a quieter machine`);
  }
}
