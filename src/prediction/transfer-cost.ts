// The calibrated model of one loopback transfer: what each side of the transfer experiment spends, term by term,
// and how the two sides combine into wall time. Pure arithmetic on CalibratedParameters: deterministic, no I/O.
//
// The transfer experiment (src/experiments/) times a sender process that moves a file to a receiver process over
// 127.0.0.1; the receiver checksums every chunk. Two processes on a 2-core machine:
//  - the SENDER pays its path's copies, system calls and JS work, plus the TCP stack: on loopback the
//    "NIC" is a function call, so the stack's transmit (and much of the receive softirq) runs on the sender;
//  - the RECEIVER pays the copy socket buffer -> user (recvmsg), Node's work per read and crc32, on the other core.
// They run concurrently and overlap through the socket buffers, so on two free cores wall time ~ max(sender,
// receiver) ("pipelined"), not the sum. But the scheduler hands out whole cores: when another process keeps one
// of the two cores busy, sender and receiver end up taking turns on the other one (seen with perf sched timehist:
// the receiver runs ~1 ms, wakes the sender, the sender runs ~0.15 ms, on the same CPU), and the time is the sum.
// With k cores and b cores' worth of other busy work, the pair gets c cores:
//     c = min(2, k - b)      while b <= k - 1 (the others leave at least one core to the pair)
//     c = k / (b + 1)        beyond (the pair is one more busy unit sharing the cores with the others)
//     wall = max( max(sender, receiver) / min(1, c), (senderCpu + receiver) / c )
// Two free cores (k = 2, b = 0): c = 2 -> max(sender, receiver). One busy neighbour (b = 1) or taskset to one core
// (k = 1): c = 1 -> sender + receiver. CPU time is the sender's alone: getrusage in the experiment sees only it.
// Placement also moves work: on two cores much of loopback's receive processing (softirq) runs on the sender's
// core, so the sender's stack cost is higher and the receiver's lower than on one core. Both are calibrated with
// the processes pinned (loopback-tcp.ts); between c = 1 and c = 2 the pair spends part of its time in each
// placement, so the costs are mixed linearly in c.
import { CalibratedParameters, PlacementCosts, PLACEMENT_FIELDS } from "../calibration/parameters";

/** The transfer experiment's paths (src/experiments/transfer-records.ts). */
export const PREDICTED_PATHS = ["stream", "read-write", "c-read-write", "sendfile", "splice"] as const;
export type PredictedPath = (typeof PREDICTED_PATHS)[number];

/** One named cost: on which side, how much CPU it burns and how long it holds that side's critical path. */
export interface CostTerm {
  side: "sender" | "receiver";
  name: string;
  /** CPU seconds (user + system) the term costs its process. */
  cpuSeconds: number;
  /** Seconds the term adds to that side's serial chain (differs from CPU when a thread waits for another). */
  busySeconds: number;
}

/** What the model predicts for one path and size. */
export interface TransferCost {
  path: PredictedPath;
  bytes: number;
  chunk: number;
  cache: "warm" | "cold";
  terms: CostTerm[];
  /** Sum of the sender's CPU terms: the experiment's userCpuMs + systemCpuMs. */
  senderCpuSeconds: number;
  /** The sender's serial chain: how long it would take if the receiver were infinitely fast. */
  senderBusySeconds: number;
  /** The receiver's CPU for these bytes: how long it would take if the sender were infinitely fast. */
  receiverSeconds: number;
  /** Pipelined on two free cores: max(sender, receiver). */
  pipelinedSeconds: number;
  /** Both processes on one core: sender CPU + receiver. */
  serialSeconds: number;
  /** The predicted wall time, with the cores the pair gets (below). */
  wallSeconds: number;
  /** The CPUs and background load assumed, and the cores c the pair gets from them. */
  cpu: CpuContext;
  pairCores: number;
}

/** Where the transfer runs: CPUs it may use and the other busy work on them (measured with background-load.ts). */
export interface CpuContext {
  cores: number;
  /** Cores' worth of CPU that other processes burned meanwhile (0 on a quiet machine). */
  backgroundThreads: number;
}

/** How the prediction is asked for. */
export interface TransferCostOptions {
  /** Read size of stream, read-write and c-read-write (the experiment's default is 64 KiB). */
  chunk?: number;
  cache?: "warm" | "cold";
  /** Cores and background load during the experiment; default: the calibration's cores, no background. */
  cpu?: CpuContext;
  /** Bytes splice moves per pipe fill (the addon asks for 1 MiB, /proc/sys/fs/pipe-max-size's default). */
  pipeBytes?: number;
}

/** Linux's per-call cap of sendfile (MAX_RW_COUNT). */
const MAX_RW_COUNT = 0x7ffff000;

/** What a fresh process spends reading its first `bytes` into fresh chunk Buffers: minor faults and CPU (read copies
 *  included), from the calibrated curve, linear between points, through (0, 0), and past the last point at the
 *  steady per-chunk rates (freshBufferFaults, freshBufferSeconds). Called by senderTerms(). */
export function heapGrowth(params: CalibratedParameters, bytes: number, chunk: number): { faults: number; cpuSeconds: number } {
  const points = [{ bytes: 0, faults: 0, cpuSeconds: 0 }, ...params.freshHeap];
  for (let i = 1; i < points.length; i++) {
    if (bytes <= points[i].bytes) {
      const a = points[i - 1];
      const b = points[i];
      const f = (bytes - a.bytes) / (b.bytes - a.bytes);
      return { faults: a.faults + f * (b.faults - a.faults), cpuSeconds: a.cpuSeconds + f * (b.cpuSeconds - a.cpuSeconds) };
    }
  }
  const last = points[points.length - 1];
  const buffers = (bytes - last.bytes) / chunk;
  return { faults: last.faults + buffers * params.freshBufferFaults, cpuSeconds: last.cpuSeconds + buffers * params.freshBufferSeconds };
}

/** A sender term that holds the sender's chain exactly as long as it burns CPU. */
function cpuTerm(name: string, seconds: number): CostTerm {
  return { side: "sender", name, cpuSeconds: seconds, busySeconds: seconds };
}

/** The placement costs for a pair with `pairCores` cores: one-core costs up to c = 1, two-core costs from c = 2,
 *  linear in between. Called by predictTransferCost(). */
export function placementCostsFor(params: CalibratedParameters, pairCores: number): PlacementCosts {
  const w = Math.min(1, Math.max(0, pairCores - 1));
  const mixed = {} as PlacementCosts;
  for (const f of PLACEMENT_FIELDS) mixed[f] = (1 - w) * params.oneCore[f] + w * params.twoCores[f];
  return mixed;
}

/** The sender's costs along `path`: copies, stack, system calls, JS; the terms the notebook lists. */
export function senderTerms(
  params: CalibratedParameters,
  loop: PlacementCosts,
  path: PredictedPath,
  bytes: number,
  chunk: number,
  pipeBytes: number,
): CostTerm[] {
  const chunks = Math.ceil(bytes / chunk);
  const p = params;
  // read(2) of a cached file: one CPU copy page cache -> user buffer. The C loop reuses one 64 KiB buffer (stays in
  // the CPU cache: kernel-copy); Node's loops read into a fresh Buffer per chunk (memory not in the cache:
  // kernel-copy-cold, about half the speed here)
  const readCopy = cpuTerm("copy page cache → user buffer, reused buffer (read)", bytes / p.kernelCopyBytesPerSecond);
  const readCopyFresh = cpuTerm("copy page cache → fresh user buffer (read)", bytes / p.kernelCopyColdBytesPerSecond);
  // write(2) to the socket: one CPU copy of the chunk read() just wrote (still in the CPU cache) into socket-buffer
  // pages (recycled, also cache-hot), then the same TCP stack work as sendfile
  const socketWrite = [
    cpuTerm("copy user → socket buffer, cache-hot (write)", bytes / p.hotCopyBytesPerSecond),
    cpuTerm("TCP stack", bytes * loop.tcpStackSecondsPerByte),
  ];
  // Node's JS read-write loop and ReadStream read into a fresh Buffer per chunk; the experiment's sender is a new
  // process, whose heap must first grow (page faults) before the collector lets it reuse memory. Calibrated as a
  // whole in a new process: read copy into cold memory + malloc + faults + GC.
  const heap = heapGrowth(p, bytes, chunk);
  const freshRead = cpuTerm(`read into a fresh Buffer per chunk, new process (copy, malloc, ${Math.round(heap.faults)} page faults, GC)`, heap.cpuSeconds);
  switch (path) {
    case "c-read-write":
      return [readCopy, ...socketWrite, cpuTerm("system calls (read + write per chunk)", 2 * chunks * p.syscallSeconds)];
    case "read-write":
      return [
        freshRead,
        ...socketWrite,
        cpuTerm("system calls (write per chunk)", chunks * p.syscallSeconds),
        cpuTerm("JS → C per call (socket.write)", chunks * p.jsCallSeconds),
        cpuTerm("Node Writable per socket.write (+ await 'drain')", chunks * p.jsWriteSeconds),
      ];
    case "stream":
      return [
        readCopyFresh,
        ...socketWrite,
        cpuTerm("system calls (write per chunk)", chunks * p.syscallSeconds),
        cpuTerm("JS → C per call (socket.write)", chunks * p.jsCallSeconds),
        // ReadStream: fresh Buffer, fs.read on the thread pool and back, stream state machines, per chunk; the main
        // thread waits for the pool, so the chain is longer than the CPU (calibrated into a no-op Writable)
        {
          side: "sender",
          name: "Node stream per chunk (thread pool, stream machinery, fresh Buffer)",
          cpuSeconds: chunks * loop.streamChunkCpuSeconds,
          busySeconds: chunks * loop.streamChunkSeconds,
        },
        // the stream measurement ran in a grown heap: add what a new process pays for its heap beyond the steady state
        cpuTerm(`heap growth of a new process (${Math.round(heap.faults)} page faults, GC)`, Math.max(0, heap.cpuSeconds - chunks * p.freshBufferSeconds)),
      ];
    case "sendfile":
      // on loopback the socket buffer references the page-cache pages: no CPU copy on the sender, only the stack
      return [
        cpuTerm("TCP stack, pages by reference (no copy)", bytes * loop.tcpStackSecondsPerByte),
        cpuTerm("system calls (sendfile)", Math.ceil(bytes / MAX_RW_COUNT) * p.syscallSeconds),
      ];
    case "splice":
      return [
        cpuTerm("TCP stack, pages by reference (no copy)", bytes * loop.tcpStackSecondsPerByte),
        cpuTerm("system calls (splice file → pipe → socket)", 2 * Math.ceil(bytes / pipeBytes) * p.syscallSeconds),
      ];
  }
}

/** The receiver's costs: crc32, and the rest (TCP receive, copy socket buffer -> user, Node per read). */
export function receiverTerms(params: CalibratedParameters, loop: PlacementCosts, path: PredictedPath, bytes: number): CostTerm[] {
  // Zero-copy senders hand over page-cache pages that are not in the CPU cache; copying senders hand over
  // bytes they have just written, still in the cache: the receiver's copy is cheaper then (both calibrated).
  const zeroCopy = path === "sendfile" || path === "splice";
  const perByte = zeroCopy ? loop.receiverSecondsPerByteZeroCopy : loop.receiverSecondsPerByte;
  const total = bytes * perByte;
  const crc = Math.min(total, bytes / params.checksumBytesPerSecond);
  const source = zeroCopy ? "from page-cache pages" : "from just-written socket buffers";
  return [
    { side: "receiver", name: "receiver crc32", cpuSeconds: crc, busySeconds: crc },
    { side: "receiver", name: `receiver TCP receive + copy to user + Node (${source})`, cpuSeconds: total - crc, busySeconds: total - crc },
  ];
}

/** Predicts one path and size: the sender's CPU, each side's chain, and the wall time. */
export function predictTransferCost(params: CalibratedParameters, path: PredictedPath, bytes: number, options: TransferCostOptions = {}): TransferCost {
  const chunk = options.chunk ?? 64 * 1024;
  const cache = options.cache ?? "warm";
  const cpu = options.cpu ?? { cores: params.cores, backgroundThreads: 0 };
  if (!PREDICTED_PATHS.includes(path)) throw new RangeError(`path must be one of ${PREDICTED_PATHS.join(", ")}; got "${path}"`);
  if (!(Number.isSafeInteger(bytes) && bytes >= 0)) throw new RangeError(`bytes must be a whole number >= 0; got ${bytes}`);
  if (!(Number.isSafeInteger(chunk) && chunk >= 1)) throw new RangeError(`chunk must be a whole number >= 1; got ${chunk}`);
  if (!(Number.isFinite(cpu.cores) && cpu.cores >= 1)) throw new RangeError(`cpu.cores must be a number >= 1; got ${cpu.cores}`);
  if (!(Number.isFinite(cpu.backgroundThreads) && cpu.backgroundThreads >= 0)) {
    throw new RangeError(`cpu.backgroundThreads must be a number >= 0; got ${cpu.backgroundThreads}`);
  }
  const pairCores = coresForPair(cpu);
  const loop = placementCostsFor(params, pairCores);
  const terms = [...senderTerms(params, loop, path, bytes, chunk, options.pipeBytes ?? 1 << 20), ...receiverTerms(params, loop, path, bytes)];
  if (cache === "cold") {
    // the sender's reads wait for the disk (readahead keeps it streaming); the CPU is idle meanwhile
    terms.push({ side: "sender", name: "disk read (cold cache, sequential)", cpuSeconds: 0, busySeconds: bytes / params.diskSequentialBytesPerSecond });
  }
  const sum = (side: CostTerm["side"], key: "cpuSeconds" | "busySeconds") => terms.filter((t) => t.side === side).reduce((s, t) => s + t[key], 0);
  const senderCpuSeconds = sum("sender", "cpuSeconds");
  const senderBusySeconds = sum("sender", "busySeconds");
  const receiverSeconds = sum("receiver", "busySeconds");
  const pipelinedSeconds = Math.max(senderBusySeconds, receiverSeconds);
  const wallSeconds = Math.max(pipelinedSeconds / Math.min(1, pairCores), (senderCpuSeconds + receiverSeconds) / pairCores);
  return {
    path,
    bytes,
    chunk,
    cache,
    terms,
    senderCpuSeconds,
    senderBusySeconds,
    receiverSeconds,
    pipelinedSeconds,
    serialSeconds: senderCpuSeconds + receiverSeconds,
    wallSeconds,
    cpu,
    pairCores,
  };
}

/** The cores c the sender/receiver pair gets with k cores and b cores' worth of other busy work (see the top). */
export function coresForPair(cpu: CpuContext): number {
  const { cores: k, backgroundThreads: b } = cpu;
  return b <= k - 1 ? Math.min(2, k - b) : k / (b + 1);
}
