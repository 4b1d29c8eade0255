// One transfer of a file over loopback TCP, as the transfer experiment runs it: a sender process moves the file
// to a socket along one path, a receiver process reads it into a 1 MiB buffer and CRC-32s every read.
// From the machine's parameters and nothing else, the same equations give each side's CPU, the system calls,
// the copies and the wall time:
//
//   sender CPU   = copies x bytes / copyBytesPerSecond                 (0 for sendfile, splice; 2 for the copy loops)
//                + bytes x tcpSend[Borrowed]SecondsPerByte + sendCalls x tcpSendCallSeconds    (loopback TCP)
//                + syscalls x syscallSeconds
//                + chunks x jsCallSeconds (read-write) or chunks x streamChunkSeconds (stream)  (Node, per call)
//                + bytes x jsBufferSecondsPerByte (read-write, stream: a fresh Buffer per chunk)  (Node, per byte)
//                + heapFaults x pageFaultSeconds (read-write, stream: a new process's heap grows)
//     sendCalls  = one per write (chunk), per sendfile call, or per pipe-full (splice), plus one per refill
//     heapFaults = min(bytes, freshHeapBytes) / 4 KiB: each fresh chunk Buffer is new memory, faulted in page by
//                  page, until the collector starts handing freed chunks back (the sender is a new process)
//   receiver CPU = bytes x (1 / copyBytesPerSecond + 1 / checksumBytesPerSecond + tcpReceiveSecondsPerByte)
//   syscalls     = the path's own calls (counted by the WebAssembly model, assembly/transfer.ts)
//                + 3 per refill cycle of the send queue (send-queue.ts)      (the native loops: c-read-write, sendfile, splice)
//                + 2 per chunk for stream (the thread pool hands each read back through an eventfd: write + read)
//   wall         = the slowest of: sender, receiver, both on the free cores, the link (two-sides.ts)
//
// "Borrowed": sendfile and splice hand the socket page references instead of copies (loopback does scatter-gather),
// which the loopback stack handles at its own, measured, per-byte cost. Loopback has no NIC: the softirq that
// delivers a segment into the receiving socket runs in the context of the task that transmits it, so the sender
// carries the delivery of every path; the receiver's TCP work is its own recvmsg bookkeeping, copied or not.
// No term depends on the path beyond these counts; nothing is fitted to the transfers being predicted.
import { modelTransfer } from "../transfer-model";
import { requireBytes, requireChoice } from "../../units/arguments";
import { MachineParameters, requireParameters } from "./machine-profile";
import { sendQueueCycles, SendQueueCycles } from "./send-queue";
import { pairTime, Bottleneck, RunConditions, requireConditions } from "./two-sides";
import { MAX_RW_COUNT, PAGE_SIZE } from "../../reference/linux";

/** The paths of the transfer experiment (src/experiments/transfer-paths.ts), by the same names. */
export const LOOPBACK_PATHS = ["stream", "read-write", "c-read-write", "sendfile", "splice"] as const;
export type LoopbackPath = (typeof LOOPBACK_PATHS)[number];

/** The experiment's default read size for the copy loops and the stream. */
export const DEFAULT_CHUNK = 64 * 1024;

/** What to predict beyond path and size. */
export interface TransferInput extends RunConditions {
  /** Read size of stream, read-write and c-read-write; default 64 KiB. */
  chunk?: number;
  /** "cold": every byte comes from the disk (readahead keeps it streaming); default "warm". */
  cache?: "warm" | "cold";
}

/** What kind of work a term is: the breakdown figures colour by kind (a handful), the tables name each term. */
export type TermKind = "copy" | "tcp" | "syscall" | "node" | "fault" | "checksum";

/** One named part of a side's CPU, for the tables and breakdown figures. */
export interface CostTerm {
  name: string;
  kind: TermKind;
  seconds: number;
}

/** What one side spends: CPU, terms, and its busy time (CPU plus waits it cannot overlap). */
export interface SideCost {
  cpuSeconds: number;
  busySeconds: number;
  terms: CostTerm[];
}

/** The model's prediction of one transfer. */
export interface TransferPrediction {
  path: LoopbackPath;
  bytes: number;
  chunk: number;
  cache: "warm" | "cold";
  freeCores: number;
  sender: SideCost;
  receiver: SideCost;
  /** System calls the sender makes, as the experiment counts them (see the equations above). */
  syscalls: number;
  /** Of the sender's calls, poll(2) waits on a full socket (native loops only). */
  polls: number;
  /** Minor page faults of the sender's growing heap (the JavaScript paths' fresh chunk Buffers; 0 for the native
   *  loops, which reuse one buffer or none). */
  pageFaults: number;
  /** CPU copies of each payload byte: the sender's (2 for the copy loops, 0 for sendfile and splice) and the
   *  receiver's (always 1: socket buffer -> user memory). */
  senderCopiesPerByte: number;
  receiverCopiesPerByte: number;
  /** Send calls into the socket (write, sendfile, splice pipe -> socket), refills of a full queue included. */
  sendCalls: number;
  sendQueue: SendQueueCycles;
  wallSeconds: number;
  bottleneck: Bottleneck;
}

/** The WebAssembly model's path for each experiment path (sendfile on loopback is the scatter-gather kind: no CPU copy). */
const WASM_PATH = { stream: "read-write", "read-write": "read-write", "c-read-write": "read-write", sendfile: "sendfile-sg", splice: "splice" } as const;

/** True for the paths whose socket buffers reference page-cache pages instead of holding copies. */
export function isZeroCopy(path: LoopbackPath): boolean {
  return path === "sendfile" || path === "splice";
}

/** Sums terms; a side's CPU. */
function total(terms: readonly CostTerm[]): number {
  return terms.reduce((sum, t) => sum + t.seconds, 0);
}

/** Predicts one transfer of `bytes` along `path` on the machine `parameters`. */
export function predictTransfer(parameters: MachineParameters, path: LoopbackPath, bytes: number, input: TransferInput = {}): TransferPrediction {
  const p = requireParameters(parameters);
  requireChoice("path", path, LOOPBACK_PATHS);
  requireBytes("bytes", bytes);
  const chunk = requireBytes("chunk", input.chunk ?? DEFAULT_CHUNK, 1, MAX_RW_COUNT);
  const cache = input.cache ?? "warm";
  requireChoice("cache", cache, ["warm", "cold"]);
  const conditions = requireConditions(input);
  const zeroCopy = isZeroCopy(path);

  // The path's own calls and copies, from the step tables of the WebAssembly model.
  const counts = modelTransfer(WASM_PATH[path], bytes, zeroCopy ? undefined : chunk, { pipeSize: p.pipeBytes });
  const chunks = counts.chunks;
  // one send call per chunk (write), per sendfile call, or per pipe-full (splice pipe -> socket)
  const sendCalls = path === "splice" ? counts.chunks : path === "sendfile" ? counts.syscalls : chunks;

  // The sender's own work, before any wait on a full socket.
  const senderTerms: CostTerm[] = [
    ...(zeroCopy ? [] : [{ name: "copies (page cache -> user buffer -> socket buffer)", kind: "copy" as const, seconds: counts.cpuBytes / p.copyBytesPerSecond }]),
    {
      name: zeroCopy ? "loopback TCP, sending page references" : "loopback TCP, sending copied bytes",
      kind: "tcp",
      seconds: bytes * (zeroCopy ? p.tcpSendBorrowedSecondsPerByte : p.tcpSendSecondsPerByte) + sendCalls * p.tcpSendCallSeconds,
    },
  ];
  let ownSyscalls = counts.syscalls;
  // A new process's fresh chunk Buffers are new memory until its collector recycles them: a fault per page.
  const jsPath = path === "read-write" || path === "stream";
  const pageFaults = jsPath ? Math.ceil(Math.min(bytes, p.freshHeapBytes) / PAGE_SIZE) : 0;
  if (pageFaults > 0) senderTerms.push({ name: "page faults of the new process's growing heap", kind: "fault", seconds: pageFaults * p.pageFaultSeconds });
  if (path === "read-write") senderTerms.push({ name: "JavaScript: readSync and socket.write per chunk", kind: "node", seconds: chunks * p.jsCallSeconds });
  if (jsPath) senderTerms.push({ name: "JavaScript: the fresh chunk Buffers, per byte", kind: "node", seconds: bytes * p.jsBufferSecondsPerByte });
  if (path === "stream") {
    // the thread pool hands each read back to the event loop through an eventfd: one write and one read more per chunk
    ownSyscalls += 2 * chunks;
    senderTerms.push({ name: "JavaScript: ReadStream per chunk (thread pool, stream machinery)", kind: "node", seconds: chunks * p.streamChunkSeconds });
  }

  const receiverTerms: CostTerm[] = [
    { name: "copy socket buffer -> user buffer", kind: "copy", seconds: bytes / p.copyBytesPerSecond },
    { name: "CRC-32 of every read", kind: "checksum", seconds: bytes / p.checksumBytesPerSecond },
    { name: "loopback TCP, receiving (recvmsg bookkeeping, ACKs)", kind: "tcp", seconds: bytes * p.tcpReceiveSecondsPerByte },
  ];
  const receiverCpu = total(receiverTerms);

  // A native loop polls whenever it outruns the receiver (or the link) and fills the socket's queue.
  const ownCpu = total(senderTerms) + ownSyscalls * p.syscallSeconds;
  const diskSeconds = cache === "cold" ? bytes / p.diskSequentialBytesPerSecond + p.diskRandomReadSeconds : 0;
  const senderPace = Math.max(ownCpu, diskSeconds) / bytes;
  const drainPace = Math.max(receiverCpu, conditions.linkBytesPerSecond ? bytes / conditions.linkBytesPerSecond : 0) / bytes;
  const nativeLoop = path === "c-read-write" || path === "sendfile" || path === "splice";
  const queue = nativeLoop
    ? sendQueueCycles(bytes, senderPace, drainPace, p.socketSendBufferBytes)
    : { firstCallBytes: bytes, bytesPerCycle: Infinity, cycles: 0, extraSyscalls: 0, polls: 0 };
  const syscalls = ownSyscalls + queue.extraSyscalls;
  senderTerms.push({ name: "system calls", kind: "syscall", seconds: syscalls * p.syscallSeconds });
  // each refill is one more send call: one more push of the queue and wake-up of the receiver
  if (queue.cycles > 0) senderTerms.push({ name: "send-queue refills (one more send call each)", kind: "tcp", seconds: queue.cycles * p.tcpSendCallSeconds });
  const senderCpu = total(senderTerms);

  const sender: SideCost = { cpuSeconds: senderCpu, busySeconds: Math.max(senderCpu, diskSeconds), terms: senderTerms };
  const receiver: SideCost = { cpuSeconds: receiverCpu, busySeconds: receiverCpu, terms: receiverTerms };
  const pair = pairTime(bytes, sender, receiver, conditions);
  return {
    path,
    bytes,
    chunk: zeroCopy ? counts.callBytes : chunk,
    cache,
    freeCores: conditions.freeCores,
    sender,
    receiver,
    syscalls,
    polls: queue.polls,
    pageFaults,
    senderCopiesPerByte: counts.cpuBytes / bytes,
    receiverCopiesPerByte: 1,
    sendCalls: sendCalls + queue.cycles,
    sendQueue: queue,
    wallSeconds: pair.wallSeconds,
    bottleneck: pair.bottleneck,
  };
}
