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
// Placement also moves work. Loopback has no NIC: the receive side of TCP (softirq: IP/TCP receive, ACKs,
// wake-ups) runs in whichever context raised it: mostly the sender's, right after it transmits, and the receiver's
// when its socket was busy (the packets wait in the socket's backlog). So it is "movable" between the two
// processes, and where it lands is measured, not assumed: the calibration's loopback senders report their CPU, and
// the sender's core took a share f of the movable work (f ~ 0.7 here, with a light or a busy sender alike: softirq
// runs where the packet is sent, however busy that process is). Then
//     sender = senderOwn + f * movable,   receiver = receiverFixed + (1 - f) * movable,   wall = max of the two.
// (Letting the pair settle where both sides are equally busy does not fit: measured, a busy JS sender still takes
// its share, and that rule predicts the read-write loop 15-20% fast.)
// On one core the calibration pinned to one core says who is charged with what, and wall = the sum. Between
// c = 1 and c = 2 the pair spends part of its time in each placement: linear in c.
// Two more per-run costs: Node's socket.write per call (and the receiver's per delivery), calibrated with 64 KiB
// against 1 MiB writes; and what a new sender process pays to get its path going, measured at 4 MiB.
import { TRANSFER_PATHS, TransferPath } from "../vocabulary/transfer";
import { KiB, MiB } from "../units/sizes";
import type { CalibratedParameters, PlacementCosts } from "./calibrated-parameters";


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
  path: TransferPath;
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
  /** Each side's own work, before loopback's movable receive work is shared out: which side limits the transfer
   *  when the two chains come out equal. */
  senderOwnSeconds: number;
  receiverFixedSeconds: number;
  /** Pipelined on two free cores: max(sender, receiver). */
  pipelinedSeconds: number;
  /** Both processes on one core: sender CPU + receiver. */
  serialSeconds: number;
  /** The predicted wall time, with the cores the pair gets (below), connection warm-up included. */
  wallSeconds: number;
  /** The new connection's warm-up (receive window autotuning) included in wallSeconds. */
  connectionWarmupSeconds: number;
  /** The path's measured run overhead (a new sender process getting the path going) included in wallSeconds. */
  runOverheadSeconds: number;
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

/** Write size of the calibration's memory sender (calibration/parameters.ts LARGE_WRITE): its per-byte costs
 *  include one write per this many bytes, which the model takes out and charges per call instead. */
const CALIBRATION_WRITE = 1 * MiB;

/** Chunk of the calibration's stream measurements (calibration/parameters.ts STREAM_CHUNK): the steady per-chunk
 *  stream costs are per this many bytes, read copy taken out. */
const CALIBRATION_CHUNK = 64 * KiB;

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

/** What a new process pays beyond the steady rate while it warms up, for `bytes`: from points (bytes, total) of a
 *  first pass, the excess over `steadyPerByte`, linear between points through (0, 0), and constant past the last
 *  point (warming up happens once). Called by senderTerms() for the stream. */
export function warmupExcess(points: readonly { bytes: number; total: number }[], bytes: number, steadyPerByte: number): number {
  const excess = [{ bytes: 0, value: 0 }, ...points.map((p) => ({ bytes: p.bytes, value: Math.max(0, p.total - p.bytes * steadyPerByte) }))];
  for (let i = 1; i < excess.length; i++) {
    if (bytes <= excess[i].bytes) {
      const a = excess[i - 1];
      const b = excess[i];
      return a.value + ((bytes - a.bytes) / (b.bytes - a.bytes)) * (b.value - a.value);
    }
  }
  return excess[excess.length - 1].value;
}

/** A sender term that holds the sender's chain exactly as long as it burns CPU. */
function cpuTerm(name: string, seconds: number): CostTerm {
  return { side: "sender", name, cpuSeconds: seconds, busySeconds: seconds };
}

/** What a loopback transfer of one kind (zero-copy sender or copying sender) costs per byte beyond the sender's
 *  own fixed work, split the way the model needs it. Derived from the calibration by loopbackSplit(). */
export interface LoopbackSplit {
  /** The sender's irreducible TCP transmit work, s/byte. */
  transmit: number;
  /** The receiver's irreducible work: crc32 + the copy socket buffer -> user, s/byte. */
  receiverFixed: number;
  /** Loopback's receive-side protocol work (softirq: IP/TCP receive, ACKs, wake-ups), which runs on whichever core
   *  handles it: on two cores it moves between sender and receiver, s/byte. */
  movable: number;
  /** On two free cores, the share of `movable` the sender's core took in the calibration, s/byte. */
  senderShareTwoCores: number;
  /** On one core, the share of `movable` the sender's process is charged with, s/byte. */
  senderShareOneCore: number;
  /** On one core, the receiver's whole cost, s/byte. */
  receiverOneCore: number;
  /** The receiver's cost per write of the sender (one more, smaller delivery), two cores and one core, s/write;
   *  0 for zero-copy senders, whose receiver cost was calibrated with sendfile's own large sends. */
  receiverPerWrite: number;
  receiverPerWriteOneCore: number;
}

/** The split for zero-copy (page-cache pages handed over) or copying senders, from the loopback calibration:
 *  total two-core CPU per byte minus the calibration sender's fixed part, minus the receiver's fixed part. */
export function loopbackSplit(params: CalibratedParameters, zeroCopy: boolean): LoopbackSplit {
  const { twoCores, oneCore } = params;
  const transmit = Math.min(twoCores.tcpStackSecondsPerByte, oneCore.tcpStackSecondsPerByte);
  // the calibration's memory sender also made a cache-hot copy into the socket buffer
  const calibrationSenderFixed = zeroCopy ? transmit : transmit + 1 / params.hotCopyBytesPerSecond;
  // per byte with the memory sender's one write per MiB taken out: the model charges writes per call
  const sender = (c: PlacementCosts) => c.memorySenderSecondsPerByte - c.socketWriteSeconds / CALIBRATION_WRITE;
  const receiver = (c: PlacementCosts) => c.receiverSecondsPerByte - c.receiverPerWriteSeconds / CALIBRATION_WRITE;
  const total = zeroCopy
    ? twoCores.tcpStackSecondsPerByte + twoCores.receiverSecondsPerByteZeroCopy
    : sender(twoCores) + receiver(twoCores);
  // the receiver copies page-cache pages from DRAM (zero-copy) or socket-buffer pages the sender just wrote (cached)
  const receiveCopy = zeroCopy ? 1 / params.kernelCopyBytesPerSecond : 1 / params.hotCopyBytesPerSecond;
  const receiverFixed = 1 / params.checksumBytesPerSecond + receiveCopy;
  const movable = Math.max(0, total - calibrationSenderFixed - receiverFixed);
  const oneCoreSender = zeroCopy ? oneCore.tcpStackSecondsPerByte : sender(oneCore) - 1 / params.hotCopyBytesPerSecond;
  return {
    transmit,
    receiverFixed,
    movable,
    // what the calibration's sender burned beyond its own fixed work was movable work done on its core
    senderShareTwoCores: Math.min(movable, Math.max(0, (zeroCopy ? twoCores.tcpStackSecondsPerByte : sender(twoCores)) - calibrationSenderFixed)),
    senderShareOneCore: Math.max(0, oneCoreSender - transmit),
    receiverOneCore: zeroCopy ? oneCore.receiverSecondsPerByteZeroCopy : receiver(oneCore),
    receiverPerWrite: zeroCopy ? 0 : twoCores.receiverPerWriteSeconds,
    receiverPerWriteOneCore: zeroCopy ? 0 : oneCore.receiverPerWriteSeconds,
  };
}

/** How much of the time a pair with `pairCores` cores spends on two cores rather than one: 0 up to c = 1, 1 from
 *  c = 2, linear in between. Placement-dependent costs are mixed with it. */
function twoCoreWeight(pairCores: number): number {
  return Math.min(1, Math.max(0, pairCores - 1));
}

/** A placement-dependent cost for a pair with `pairCores` cores, mixed by twoCoreWeight(). Called by senderTerms(). */
function placementCost(params: CalibratedParameters, pairCores: number, field: "streamChunkSeconds" | "streamChunkCpuSeconds" | "socketWriteSeconds"): number {
  const w = twoCoreWeight(pairCores);
  return (1 - w) * params.oneCore[field] + w * params.twoCores[field];
}

/** The sender's own costs along `path`: copies, transmit stack, system calls, JS; the terms the notebook lists. */
export function senderTerms(
  params: CalibratedParameters,
  path: TransferPath,
  bytes: number,
  chunk: number,
  pipeBytes: number,
  pairCores: number,
): CostTerm[] {
  const chunks = Math.ceil(bytes / chunk);
  const p = params;
  const transmit = cpuTerm("TCP transmit", bytes * loopbackSplit(p, path === "sendfile" || path === "splice").transmit);
  // read(2) of a cached file: one CPU copy page cache -> user buffer. The C loop reuses one 64 KiB buffer (stays in
  // the CPU cache: kernel-copy); Node's loops read into a fresh Buffer per chunk (memory not in the cache:
  // kernel-copy-cold, slower)
  const readCopy = cpuTerm("copy page cache → user buffer, reused buffer (read)", bytes / p.kernelCopyBytesPerSecond);
  const readCopyFresh = cpuTerm("copy page cache → fresh user buffer (read)", bytes / p.kernelCopyColdBytesPerSecond);
  // write(2) to the socket: one CPU copy of the chunk read() just wrote (still in the CPU cache) into socket-buffer
  // pages (recycled, also cache-hot), then the TCP transmit work
  const socketWrite = [cpuTerm("copy user → socket buffer, cache-hot (write)", bytes / p.hotCopyBytesPerSecond), transmit];
  // Node's socket.write per call, measured on a real loopback socket (64 KiB against 1 MiB writes): JS and libuv, the
  // write(2), libuv re-arming epoll when the socket is full, and the kernel pushing one more segment and waking the receiver
  const writeCalls = cpuTerm("socket.write per call (Node, libuv, write(2), push + wake-up)", chunks * placementCost(p, pairCores, "socketWriteSeconds"));
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
        writeCalls,
      ];
    case "stream": {
      const stream = { wall: placementCost(p, pairCores, "streamChunkSeconds"), cpu: placementCost(p, pairCores, "streamChunkCpuSeconds") };
      return [
        readCopyFresh,
        ...socketWrite,
        writeCalls,
        // ReadStream: fresh Buffer, fs.read on the thread pool and back, stream state machines, per chunk; the main
        // thread waits for the pool, so the chain is longer than the CPU (calibrated into a no-op Writable)
        {
          side: "sender",
          name: "Node stream per chunk (thread pool, stream machinery, fresh Buffer)",
          cpuSeconds: chunks * stream.cpu,
          busySeconds: chunks * stream.wall,
        },
        // the steady rate above was measured after one warm-up pass; the experiment's sender is a new process, whose
        // first pass is slower (interpreter, then JIT; heap growing): the excess of the fresh-stream curve over it
        {
          side: "sender",
          name: "a new process warming up (interpreter, JIT, heap growth)",
          cpuSeconds: warmupExcess(
            p.freshStream.map((f) => ({ bytes: f.bytes, total: f.cpuSeconds })),
            bytes,
            p.twoCores.streamChunkCpuSeconds / CALIBRATION_CHUNK + 1 / p.kernelCopyColdBytesPerSecond,
          ),
          busySeconds: warmupExcess(
            p.freshStream.map((f) => ({ bytes: f.bytes, total: f.seconds })),
            bytes,
            p.twoCores.streamChunkSeconds / CALIBRATION_CHUNK + 1 / p.kernelCopyColdBytesPerSecond,
          ),
        },
      ];
    }
    case "sendfile":
      // on loopback the socket buffer references the page-cache pages: no CPU copy on the sender
      return [transmit, cpuTerm("system calls (sendfile)", Math.ceil(bytes / MAX_RW_COUNT) * p.syscallSeconds)];
    case "splice":
      return [transmit, cpuTerm("system calls (splice file → pipe → socket)", 2 * Math.ceil(bytes / pipeBytes) * p.syscallSeconds)];
  }
}

/** How loopback's receive-side work lands on the two sides for a pair with `pairCores` cores, given the sender's
 *  own CPU and chain: the sender's share of the movable work, the receiver's total, and the wall time. */
export function shareLoopbackWork(
  split: LoopbackSplit,
  bytes: number,
  writes: number,
  senderCpu: number,
  senderBusy: number,
  pairCores: number,
): { senderShare: number; receiver: number; wall: number } {
  const fixedReceiver = bytes * split.receiverFixed + writes * split.receiverPerWrite;
  const movable = bytes * split.movable;
  // Two cores: the movable work runs where the softirq runs; the sender's core takes the share it took in the
  // calibration, the receiver the rest
  const share2 = bytes * split.senderShareTwoCores;
  const receiver2 = fixedReceiver + movable - share2;
  const wall2 = Math.max(senderBusy + share2, receiver2);
  // One core: everything runs in turn; the one-core calibration says who is charged with what.
  const share1 = bytes * split.senderShareOneCore;
  const receiver1 = bytes * split.receiverOneCore + writes * split.receiverPerWriteOneCore;
  const wall1 = Math.max(senderBusy + share1, senderCpu + share1 + receiver1) / Math.min(1, pairCores);
  const w = twoCoreWeight(pairCores);
  return {
    senderShare: w * share2 + (1 - w) * share1,
    receiver: w * receiver2 + (1 - w) * receiver1,
    wall: w * wall2 + (1 - w) * wall1,
  };
}

/** The receiver's terms: crc32, the copy out of the socket, one delivery per sender write, and its share of the
 *  loopback receive work; `perWrite` is the split's receiver cost per write at this placement. */
export function receiverTerms(params: CalibratedParameters, path: TransferPath, bytes: number, writes: number, perWrite: number, receiverTotal: number): CostTerm[] {
  const zeroCopy = path === "sendfile" || path === "splice";
  const crc = Math.min(receiverTotal, bytes / params.checksumBytesPerSecond);
  const copy = Math.min(receiverTotal - crc, bytes / (zeroCopy ? params.kernelCopyBytesPerSecond : params.hotCopyBytesPerSecond));
  const deliveries = Math.min(receiverTotal - crc - copy, writes * perWrite);
  const rest = receiverTotal - crc - copy - deliveries;
  const source = zeroCopy ? "page-cache pages in DRAM" : "socket buffers just written, in cache";
  const term = (name: string, seconds: number): CostTerm => ({ side: "receiver", name, cpuSeconds: seconds, busySeconds: seconds });
  return [
    term("receiver crc32", crc),
    term(`receiver copy to user (${source})`, copy),
    ...(zeroCopy ? [] : [term("receiver per write of the sender (one more delivery: wake-up, recvmsg, callback)", deliveries)]),
    term("receiver: loopback TCP receive work, Node per read", rest),
  ];
}

/** Predicts one path and size: the sender's CPU, each side's chain, and the wall time. */
export function predictTransferCost(params: CalibratedParameters, path: TransferPath, bytes: number, options: TransferCostOptions = {}): TransferCost {
  const chunk = options.chunk ?? 64 * KiB;
  const cache = options.cache ?? "warm";
  const cpu = options.cpu ?? { cores: params.cores, backgroundThreads: 0 };
  if (!TRANSFER_PATHS.includes(path)) throw new RangeError(`path must be one of ${TRANSFER_PATHS.join(", ")}; got "${path}"`);
  if (!(Number.isSafeInteger(bytes) && bytes >= 0)) throw new RangeError(`bytes must be a whole number >= 0; got ${bytes}`);
  if (!(Number.isSafeInteger(chunk) && chunk >= 1)) throw new RangeError(`chunk must be a whole number >= 1; got ${chunk}`);
  if (!(Number.isFinite(cpu.cores) && cpu.cores >= 1)) throw new RangeError(`cpu.cores must be a number >= 1; got ${cpu.cores}`);
  if (!(Number.isFinite(cpu.backgroundThreads) && cpu.backgroundThreads >= 0)) {
    throw new RangeError(`cpu.backgroundThreads must be a number >= 0; got ${cpu.backgroundThreads}`);
  }
  const pairCores = coresForPair(cpu);
  const runOverhead = params.runOverheadSeconds[path];
  const terms = senderTerms(params, path, bytes, chunk, options.pipeBytes ?? 1 * MiB, pairCores);
  if (cache === "cold") {
    // the sender's reads wait for the disk (readahead keeps it streaming); the CPU is idle meanwhile
    terms.push({ side: "sender", name: "disk read (cold cache, sequential)", cpuSeconds: 0, busySeconds: bytes / params.diskSequentialBytesPerSecond });
  }
  const own = (key: "cpuSeconds" | "busySeconds") => terms.reduce((s, t) => s + t[key], 0);
  const zeroCopy = path === "sendfile" || path === "splice";
  const split = loopbackSplit(params, zeroCopy);
  // the copying senders write one chunk per call; the zero-copy ones hand over the whole file
  const writes = zeroCopy ? 0 : Math.ceil(bytes / chunk);
  const shared = shareLoopbackWork(split, bytes, writes, own("cpuSeconds"), own("busySeconds"), pairCores);
  terms.push(cpuTerm("loopback TCP receive work done on the sender's core (softirq)", shared.senderShare));
  const w = twoCoreWeight(pairCores);
  const receiverPerWrite = w * split.receiverPerWrite + (1 - w) * split.receiverPerWriteOneCore;
  terms.push(...receiverTerms(params, path, bytes, writes, receiverPerWrite, shared.receiver));
  const sum = (side: CostTerm["side"], key: "cpuSeconds" | "busySeconds") => terms.filter((t) => t.side === side).reduce((s, t) => s + t[key], 0);
  const senderCpuSeconds = sum("sender", "cpuSeconds");
  const senderBusySeconds = sum("sender", "busySeconds");
  const receiverSeconds = sum("receiver", "busySeconds");
  return {
    path,
    bytes,
    chunk,
    cache,
    terms,
    senderCpuSeconds,
    senderBusySeconds,
    receiverSeconds,
    senderOwnSeconds: own("busySeconds"),
    receiverFixedSeconds: bytes * split.receiverFixed + writes * receiverPerWrite,
    pipelinedSeconds: Math.max(senderBusySeconds, receiverSeconds),
    serialSeconds: senderCpuSeconds + receiverSeconds,
    // a fresh connection starts with a small receive window: sender and receiver take turns until it has grown;
    // and a new sender process pays to get its path going (measured per path at a small size)
    wallSeconds: shared.wall + params.connectionWarmupSeconds + runOverhead,
    connectionWarmupSeconds: params.connectionWarmupSeconds,
    runOverheadSeconds: runOverhead,
    cpu,
    pairCores,
  };
}

/** The cores c the sender/receiver pair gets with k cores and b cores' worth of other busy work (see the top). */
export function coresForPair(cpu: CpuContext): number {
  const { cores: k, backgroundThreads: b } = cpu;
  return b <= k - 1 ? Math.min(2, k - b) : k / (b + 1);
}
