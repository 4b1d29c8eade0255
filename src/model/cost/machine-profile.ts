import { KiB, MiB } from "../../units/sizes";
import { PAGE_SIZE } from "../../reference/linux";
// The machine the cost model runs on: sixteen named physical parameters (the budget), SI units
// (bytes, seconds, bytes per second), each measured on the reader's machine by one micro-benchmark in
// src/calibration/ (named beside it) or read from /proc. None is fitted to the transfers the model predicts.
// The "textbook machine" below is the one exception: round figures for a current server, for chapter 1,
// labelled as such wherever they are drawn.
//
// A link's rate (tc shaping in a network namespace) is not a machine parameter: it is a given of the experiment
// and enters the equations as a run condition (two-sides.ts), as do the cores other processes leave free.

/** The parameters. Every equation in src/model/cost/ reads its machine from one of these records. */
export interface MachineParameters {
  /** CPU copy between kernel and user memory (copy_to_user, copy_from_user), bytes per CPU second.
   *  Micro-benchmark: read(2) of a cached 64 MiB file in 64 KiB calls into one reused buffer, in CPU time. */
  copyBytesPerSecond: number;
  /** One system call besides its work: entry, exit, dispatch, CPU seconds.
   *  Micro-benchmark: CPU time per 1-byte read(2) of /dev/zero in a C loop. */
  syscallSeconds: number;
  /** What Node spends per call of a JavaScript read loop beyond the kernel's copy and system call: the readSync
   *  binding, a new Buffer object, handing the chunk to a Writable, s (the bytes' own cost is jsBufferSecondsPerByte).
   *  Micro-benchmark: new processes run the read-write loop over a cached file into a Writable that drops every
   *  chunk (no socket), in 4 KiB and in 64 KiB chunks; CPU per chunk of every pass after the first; the part that
   *  does not grow with the chunk, minus the read(2). */
  jsCallSeconds: number;
  /** What Node spends per byte of the fresh chunk Buffers its JavaScript loops allocate, beyond the kernel's copy
   *  into them at the profile's copy rate: allocating the memory, the copy's misses on memory nobody touched yet,
   *  collecting it, s/byte. The same for the read-write loop and the stream (both read into a new Buffer per chunk).
   *  Micro-benchmark: the same loop's CPU per chunk at 64 KiB against 4 KiB, per byte of the difference, minus the
   *  copy. */
  jsBufferSecondsPerByte: number;
  /** What fs.ReadStream piped into a Writable spends per chunk beyond the kernel's copy and its three system calls
   *  (pread on the thread pool, and the eventfd write and read that hand the result back to the event loop): the
   *  thread-pool round trip, the stream state machines, the chunk Buffer, s.
   *  Micro-benchmark: a new process streams a cached file into a Writable that drops every chunk (no socket). */
  streamChunkSeconds: number;
  /** One minor page fault: allocate, zero and map one 4 KiB page, CPU seconds (mmap paths, page-cache chapters).
   *  Micro-benchmark: touch one byte per page of a fresh 64 MiB mapping; CPU time / faults counted. */
  pageFaultSeconds: number;
  /** Fresh Buffer memory a new Node process faults in page by page before its collector starts handing freed
   *  chunks back for reuse: how far the heap grows, bytes. The JavaScript loops' senders are new processes, so
   *  their first freshHeapBytes cost one page fault per 4 KiB on top of the steady per-chunk cost.
   *  Micro-benchmark: the minor faults of the first pass of the JS read-write loop in a new process (no socket),
   *  beyond its later passes' rate, times 4 KiB. */
  freshHeapBytes: number;
  /** Loopback TCP on the sending side, per byte of copied payload: tcp_sendmsg, segmentation, and the loopback
   *  delivery of each segment into the receiving socket (the softirq runs in the context of the task that
   *  transmits, here the sender's), s/byte (without the copy itself and the per-call costs).
   *  Micro-benchmark: a C sender write(2)s 1 MiB blocks from memory to the transfer experiment's receiver, pausing
   *  after each so the receiver keeps up; sender CPU per byte minus the copy and the per-call costs. */
  tcpSendSecondsPerByte: number;
  /** Loopback TCP on the sending side, per send call beyond its bytes: one more push of the queue, one more
   *  segment boundary, one more wake-up of the receiver, s (without the system call itself).
   *  Micro-benchmark: the C sender, unpaced, in 32 KiB writes against 1 MiB writes of the same bytes, paired by round
   *  (32 KiB is one segment on loopback; 64 KiB is one full segment and a 53-byte runt, whose cost comes and goes). */
  tcpSendCallSeconds: number;
  /** Loopback TCP on the receiving side, per byte: recvmsg's bookkeeping, freeing the segments, the ACKs and window
   *  updates, s/byte (without the copy to user memory and the receiver's CRC-32). The same for copied payload and
   *  for payload the sender handed over by page reference: the receiver copies either out of the segments.
   *  Micro-benchmark: the receiver's CPU per byte in the paced C write(2) run, minus its copy and CRC-32. */
  tcpReceiveSecondsPerByte: number;
  /** Loopback TCP per byte whose payload the socket buffers reference instead of copying (sendfile, splice), handed
   *  over as they hand it (SPLICE_F_MORE while more follows), everything but the receiver's own bookkeeping, s/byte.
   *  Referenced segments cost loopback more than copied ones (more fragments per segment, each one taken and
   *  released). The model charges it to the sender, in whose context loopback delivers what it transmits.
   *  Micro-benchmark: the C sender sendfile(2)s 1 MiB calls of a cached 8 MiB block file, over and over, paced like
   *  the copy run; both sides' CPU per byte, minus the receiver's copy, CRC-32 and bookkeeping and the sender's
   *  calls. (Both sides summed: where the receiver falls behind, some delivery runs on its core instead.) */
  tcpSendBorrowedSecondsPerByte: number;
  /** CRC-32 of data in the CPU cache, as the receiver checks each read, bytes per CPU second.
   *  Micro-benchmark: zlib.crc32 of one 64 KiB piece, over and over, in CPU time. */
  checksumBytesPerSecond: number;
  /** The most a TCP socket queues for sending before a non-blocking send returns EAGAIN (autotuned up to
   *  tcp_wmem's maximum), bytes. Read from /proc/sys/net/ipv4/tcp_wmem (third field). */
  socketSendBufferBytes: number;
  /** The pipe splice(2) moves data through: the addon asks for 1 MiB, capped by /proc/sys/fs/pipe-max-size, bytes.
   *  Read from /proc/sys/fs/pipe-max-size. */
  pipeBytes: number;
  /** Cold-cache sequential read through the page cache (readahead on), bytes/s.
   *  Micro-benchmark: read(2) of a file just dropped from the cache (posix_fadvise DONTNEED) in 1 MiB calls. */
  diskSequentialBytesPerSecond: number;
  /** One cold-cache 4 KiB read at a random offset, queue depth 1: the disk's latency, s.
   *  Micro-benchmark: read(2) of 4 KiB at shuffled page offsets of a file just dropped from the cache. */
  diskRandomReadSeconds: number;
}

/** The parameter names, in the order tables print them. */
export const PARAMETER_NAMES = [
  "copyBytesPerSecond",
  "syscallSeconds",
  "jsCallSeconds",
  "jsBufferSecondsPerByte",
  "streamChunkSeconds",
  "pageFaultSeconds",
  "freshHeapBytes",
  "tcpSendSecondsPerByte",
  "tcpSendCallSeconds",
  "tcpReceiveSecondsPerByte",
  "tcpSendBorrowedSecondsPerByte",
  "checksumBytesPerSecond",
  "socketSendBufferBytes",
  "pipeBytes",
  "diskSequentialBytesPerSecond",
  "diskRandomReadSeconds",
] as const satisfies readonly (keyof MachineParameters)[];
export type ParameterName = (typeof PARAMETER_NAMES)[number];

/** What each parameter is and how it is measured, for tables in chapter 7 and `workbook calibrate`. */
export interface ParameterDoc {
  unit: "bytes/s" | "s" | "s/byte" | "bytes";
  meaning: string;
  benchmark: string;
}

/** One line each: the physical meaning and the micro-benchmark (see the field comments above for the detail). */
export const PARAMETER_DOCS: Record<ParameterName, ParameterDoc> = {
  copyBytesPerSecond: { unit: "bytes/s", meaning: "CPU copy between kernel and user memory", benchmark: "read(2) of a cached file into a reused 64 KiB buffer" },
  syscallSeconds: { unit: "s", meaning: "one system call's entry, exit and dispatch", benchmark: "1-byte read(2) of /dev/zero in a C loop, CPU time per call" },
  jsCallSeconds: { unit: "s", meaning: "Node's cost per call of a JS read loop (readSync's binding, a Writable)", benchmark: "the loop into a dropping Writable in 4 and 64 KiB chunks, new processes: the fixed part" },
  jsBufferSecondsPerByte: { unit: "s/byte", meaning: "Node's cost per byte of fresh chunk Buffers (allocate, first touch, collect)", benchmark: "the same loop, 64 KiB against 4 KiB chunks, per byte, minus the copy" },
  streamChunkSeconds: { unit: "s", meaning: "fs.ReadStream's thread-pool round trip and machinery, per chunk", benchmark: "ReadStream into a dropping Writable, new process, minus copy and 3 calls" },
  pageFaultSeconds: { unit: "s", meaning: "one minor page fault (allocate, zero, map 4 KiB)", benchmark: "touch one byte per page of a fresh 64 MiB mapping" },
  freshHeapBytes: { unit: "bytes", meaning: "fresh Buffer memory a new Node process faults in before it reuses freed chunks", benchmark: "first-pass minor faults of the JS loop in a new process, beyond its later passes' rate, x 4 KiB" },
  tcpSendSecondsPerByte: { unit: "s/byte", meaning: "loopback TCP, sending side, per copied byte", benchmark: "C write(2) of 1 MiB blocks, paced, to the experiment's receiver" },
  tcpSendCallSeconds: { unit: "s", meaning: "loopback TCP, sending side, per send call", benchmark: "C write(2) of 32 KiB against 1 MiB blocks, same bytes, paired" },
  tcpReceiveSecondsPerByte: { unit: "s/byte", meaning: "loopback TCP, receiving side, per byte (copied or referenced)", benchmark: "receiver CPU in the paced write(2) run minus copy and CRC-32" },
  tcpSendBorrowedSecondsPerByte: { unit: "s/byte", meaning: "loopback TCP per byte sent by page reference, the receiver's bookkeeping apart", benchmark: "C sendfile(2) of a cached 8 MiB block in 1 MiB calls, paced: both sides' CPU" },
  checksumBytesPerSecond: { unit: "bytes/s", meaning: "CRC-32 of cached data (the receiver's check)", benchmark: "zlib.crc32 of one 64 KiB piece, repeated" },
  socketSendBufferBytes: { unit: "bytes", meaning: "what a socket queues before send returns EAGAIN", benchmark: "read: /proc/sys/net/ipv4/tcp_wmem (max)" },
  pipeBytes: { unit: "bytes", meaning: "the pipe splice(2) moves data through", benchmark: "read: min(1 MiB, /proc/sys/fs/pipe-max-size)" },
  diskSequentialBytesPerSecond: { unit: "bytes/s", meaning: "cold sequential read through the page cache", benchmark: "read(2) of a dropped file in 1 MiB calls" },
  diskRandomReadSeconds: { unit: "s", meaning: "one cold 4 KiB random read, queue depth 1", benchmark: "read(2) of 4 KiB at shuffled offsets of a dropped file" },
};

/** A named set of parameters; `measured` is false only for the textbook machine. */
export interface MachineProfileParameters {
  name: string;
  measured: boolean;
  parameters: MachineParameters;
}

/**
 * Order-of-magnitude figures for a current x86 server with an NVMe disk; NOT measured on this machine. Chapter 1
 * draws it (labelled "textbook machine") to show the shape of the costs before any measurement.
 */
export const TEXTBOOK_MACHINE: Readonly<MachineProfileParameters> = Object.freeze({
  name: "textbook machine (round figures for a current server, not measured)",
  measured: false,
  parameters: Object.freeze({
    copyBytesPerSecond: 10e9,
    syscallSeconds: 100e-9,
    jsCallSeconds: 1e-6,
    jsBufferSecondsPerByte: 0.05e-9,
    streamChunkSeconds: 10e-6,
    pageFaultSeconds: 0.5e-6,
    freshHeapBytes: 32 * MiB,
    tcpSendSecondsPerByte: 0.1e-9,
    tcpSendCallSeconds: 2e-6,
    tcpReceiveSecondsPerByte: 0.1e-9,
    tcpSendBorrowedSecondsPerByte: 0.15e-9,
    checksumBytesPerSecond: 5e9,
    socketSendBufferBytes: 4 * MiB,
    pipeBytes: 64 * KiB,
    diskSequentialBytesPerSecond: 3e9,
    diskRandomReadSeconds: 80e-6,
  }),
});

/** Buffer sizes: whole numbers of bytes, at least a page. */
const BUFFER_SIZES: readonly ParameterName[] = ["socketSendBufferBytes", "pipeBytes"];

/** Costs a calibration reads off as the difference of two measured figures: they may be 0 (below the noise of the
 *  two). Everything else must be > 0 (rates divide, and the others are measured directly). */
export const MAY_BE_ZERO: readonly ParameterName[] = [
  "jsCallSeconds", "jsBufferSecondsPerByte", "streamChunkSeconds", "freshHeapBytes", "tcpSendSecondsPerByte", "tcpSendCallSeconds", "tcpReceiveSecondsPerByte",
  "tcpSendBorrowedSecondsPerByte",
];

/** Problems with a parameter record, one string each ("jsCallSeconds is missing"); empty when usable. */
export function parameterProblems(parameters: unknown): string[] {
  if (parameters === null || typeof parameters !== "object") return ["parameters must be an object"];
  const record = parameters as Record<string, unknown>;
  const problems: string[] = [];
  for (const name of PARAMETER_NAMES) {
    const value = record[name];
    if (value === undefined) problems.push(`${name} is missing`);
    else if (typeof value !== "number" || !Number.isFinite(value) || value < 0 || (value === 0 && !MAY_BE_ZERO.includes(name))) {
      problems.push(`${name} must be a finite number ${MAY_BE_ZERO.includes(name) ? ">= 0" : "> 0"}, got ${JSON.stringify(value)}`);
    }
    else if (BUFFER_SIZES.includes(name) && (!Number.isInteger(value) || value < PAGE_SIZE)) problems.push(`${name} must be a whole number of bytes >= ${PAGE_SIZE}, got ${value}`);
    else if (name === "freshHeapBytes" && !Number.isInteger(value)) problems.push(`${name} must be a whole number of bytes, got ${value}`);
  }
  const unknown = Object.keys(record).filter((k) => !(PARAMETER_NAMES as readonly string[]).includes(k));
  if (unknown.length > 0) problems.push(`unknown parameter ${unknown.join(", ")}`);
  return problems;
}

/** Throws one RangeError naming every problem; every equation checks its machine with it. */
export function requireParameters(parameters: MachineParameters): MachineParameters {
  const problems = parameterProblems(parameters);
  if (problems.length > 0) throw new RangeError(`machine parameters: ${problems.join("; ")}`);
  return parameters;
}
