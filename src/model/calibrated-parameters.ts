// The parameters of the calibrated transfer model: what it needs to know about this machine, in SI units, plain
// JSON. The calibration (src/calibration/parameters.ts) derives them from micro-measurements.
import type { TransferPath } from "../vocabulary/transfer";

/** One point of the fresh-heap curves: while a new process reads its first `bytes` of a cached file into fresh
 *  chunk Buffers, the minor faults it takes and the CPU it spends (read copies, malloc, faults, garbage collector). */
export interface HeapGrowthPoint {
  bytes: number;
  faults: number;
  cpuSeconds: number;
}

/** One point of the fresh-stream curve: a new process's first ReadStream pass over `bytes` into a no-op Writable. */
export interface FreshStreamPoint {
  bytes: number;
  seconds: number;
  cpuSeconds: number;
}

/** The loopback costs that depend on where the scheduler puts sender and receiver (calibrated pinned both ways). */
export interface PlacementCosts {
  /** Sender CPU per byte of sendfile of cached pages (no copy: the TCP stack, and whatever share of loopback's
   *  receive work the sender's core ends up doing), s/byte. */
  tcpStackSecondsPerByte: number;
  /** Sender CPU per byte of socket.write() of 1 MiB blocks from memory (a cache-hot copy + the same), s/byte. */
  memorySenderSecondsPerByte: number;
  /** Receiver CPU per byte (user + system: TCP receive, copy to user, Node, crc32) for bytes a copying sender
   *  wrote into the socket buffer (the data is still in the CPU cache), s/byte. */
  receiverSecondsPerByte: number;
  /** Same for bytes that go out straight from page-cache pages (zero-copy senders: the data comes from DRAM). */
  receiverSecondsPerByteZeroCopy: number;
  /** Sender CPU per socket.write() call beyond the per-byte costs: Node and libuv, the write(2), and the kernel
   *  pushing one more segment through loopback and waking the receiver. From socket.write of 64 KiB blocks against
   *  1 MiB blocks, same bytes, paired by round: (per-byte CPU at 64 KiB - at 1 MiB) / (1/64 KiB - 1/1 MiB), s/write. */
  socketWriteSeconds: number;
  /** The receiver's CPU per write the sender makes, beyond the per-byte costs: smaller writes arrive as more, smaller
   *  deliveries (one more wake-up, recvmsg, onread callback and crc32 call each), seconds per write. Same pair of runs. */
  receiverPerWriteSeconds: number;
  /** Node's ReadStream per chunk (fresh Buffer, thread-pool round trip, stream state machines), without the read
   *  copy: wall time the main thread waits per chunk, and process CPU per chunk, seconds. */
  streamChunkSeconds: number;
  streamChunkCpuSeconds: number;
}

/** The placement-dependent parameters' names. */
export const PLACEMENT_FIELDS = [
  "tcpStackSecondsPerByte",
  "memorySenderSecondsPerByte",
  "receiverSecondsPerByte",
  "receiverSecondsPerByteZeroCopy",
  "socketWriteSeconds",
  "receiverPerWriteSeconds",
  "streamChunkSeconds",
  "streamChunkCpuSeconds",
] as const;

/** Costs of this machine, as the transfer prediction uses them. Every number is finite and > 0. */
export interface CalibratedParameters {
  /** Buffer.copy between large buffers (DRAM to DRAM), bytes/s. */
  userCopyBytesPerSecond: number;
  /** Buffer.copy between two small buffers that stay in the CPU cache (L2), bytes/s. */
  hotCopyBytesPerSecond: number;
  /** The kernel's copy from page cache into user memory not in the CPU cache (fresh buffers), bytes/s. */
  kernelCopyColdBytesPerSecond: number;
  /** The kernel's copy from page cache into a reused user buffer (read(2) of a cached file), bytes/s. */
  kernelCopyBytesPerSecond: number;
  /** Kernel CPU of one system call (entry, exit and a trivial body), seconds. */
  syscallSeconds: number;
  /** One minor page fault (allocate, zero and map an anonymous page), seconds. */
  pageFaultSeconds: number;
  /** Reading one chunk of a cached file into a fresh Buffer once the process's heap has grown: the copy into
   *  memory not in the CPU cache, malloc, the collector's share (process CPU), seconds. */
  freshBufferSeconds: number;
  /** Faults and CPU while a fresh process reads its first bytes into fresh chunk Buffers (interpolated between points). */
  freshHeap: HeapGrowthPoint[];
  /** Minor faults per chunk after that. */
  freshBufferFaults: number;
  /** Wall and CPU of a new process's first ReadStream pass (interpreter and JIT warming up, heap growing), by size. */
  freshStream: FreshStreamPoint[];
  /** CRC-32 of cache-hot data, as the receiver checks each chunk, bytes/s. */
  checksumBytesPerSecond: number;
  /** Socket throughput from user memory to a checksumming receiver process over 127.0.0.1 (two cores), bytes/s. */
  loopbackBytesPerSecond: number;
  /** What a new loopback connection costs in wall time before it runs at full speed (TCP's receive buffer starts
   *  at tcp_rmem's default and autotunes upward; until then sender and receiver take turns): the intercept of wall
   *  time against bytes for sendfile on two cores, one pass vs several passes over the file, seconds. */
  connectionWarmupSeconds: number;
  /** What one run of the transfer experiment costs beyond the model's per-byte and per-call terms, per path: a new
   *  sender process starting the path (libuv's thread pool, the JIT compiling the loop while it runs, the first
   *  connection's small window, the receiver's "done" reply). Measured by the experiment itself at a small size
   *  (run-overhead-bytes, 4 MiB, below the sizes the prediction is judged on): median wall there minus what the model
   *  predicts for it; 0 when the model already predicts that much. Seconds. */
  runOverheadSeconds: Record<TransferPath, number>;
  /** Loopback costs with sender and receiver free on two cores (as the experiment runs), and both on one core. */
  twoCores: PlacementCosts;
  oneCore: PlacementCosts;
  /** CPUs the calibration could run on (its affinity mask): the cores the sender and receiver can spread over. */
  cores: number;
  /** Cold-cache sequential read through the page cache (readahead on), bytes/s. */
  diskSequentialBytesPerSecond: number;
  /** One cold-cache 4 KiB random read, seconds. */
  diskRandomReadSeconds: number;
}

