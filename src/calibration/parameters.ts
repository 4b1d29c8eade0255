// The calibrated cost parameters: what the prediction needs to know about this machine, each derived from one
// or two micro-measurements (their medians). SI units, plain JSON.
import * as os from "os";
import type { Measurement } from "./measurement";
import { predictTransferCost } from "../model/calibrated-transfer";
import { PLACEMENT_FIELDS, CalibratedParameters, PlacementCosts, HeapGrowthPoint, FreshStreamPoint } from "../model/calibrated-parameters";
import { KiB, MiB } from "../units/sizes";
import { TRANSFER_PATHS, TransferPath } from "../vocabulary/transfer";

/** Numeric parameter names (all but the fresh-heap curve and the placement records). */
export type ScalarParameter = Exclude<keyof CalibratedParameters, "freshHeap" | "freshStream" | "twoCores" | "oneCore" | "runOverheadSeconds">;

/** The records and curves among the parameters (everything else is one number). */
const STRUCTURED = ["freshHeap", "freshStream", "twoCores", "oneCore", "runOverheadSeconds"];

/** Placement costs that may come out 0: per-call costs read off a difference of two medians, which noise can cancel. */
const MAY_BE_ZERO: readonly string[] = ["socketWriteSeconds", "receiverPerWriteSeconds"];

/** Where each parameter comes from; the notebook and `workbook calibrate` show these. */
export const PARAMETER_SOURCES: Record<keyof CalibratedParameters, string> = {
  userCopyBytesPerSecond: "user-copy",
  hotCopyBytesPerSecond: "hot-copy",
  kernelCopyBytesPerSecond: "kernel-copy",
  kernelCopyColdBytesPerSecond: "kernel-copy-cold",
  syscallSeconds: "syscall-kernel",
  pageFaultSeconds: "page-fault",
  freshBufferSeconds: "fresh-buffer",
  freshHeap: "fresh-heap-faults-<bytes>, fresh-heap-cpu-<bytes>",
  freshBufferFaults: "fresh-buffer-faults",
  freshStream: "fresh-stream-wall-<bytes>, fresh-stream-cpu-<bytes>",
  checksumBytesPerSecond: "checksum",
  loopbackBytesPerSecond: "loopback-two-cores-memory-1MiB-throughput",
  connectionWarmupSeconds: "intercept of wall vs bytes: loopback-two-cores-sendfile-once-throughput and loopback-two-cores-sendfile-throughput",
  runOverheadSeconds: "run-<path>-wall at run-overhead-bytes minus the model's prediction there (without this term)",
  twoCores:
    "tcpStack = loopback-two-cores-sendfile-sender-cpu, receiver = loopback-two-cores-memory-1MiB-receiver-cpu, " +
    "receiverZeroCopy = loopback-two-cores-sendfile-receiver-cpu, socketWrite and receiverPerWrite = " +
    "loopback-two-cores-socket-write and -receiver-per-write (memory-64KiB against memory-1MiB, paired by round), streamChunk = stream-two-cores-chunk-wall/cpu - 64 KiB / kernel-copy-cold",
  oneCore: "the same measurements with the processes pinned to one core (loopback-one-core-..., stream-one-core-...)",
  cores: "os.availableParallelism()",
  diskSequentialBytesPerSecond: "disk-sequential",
  diskRandomReadSeconds: "disk-random-4k",
};

/** Chunk of the stream measurement (the experiment's default read size). */
export const STREAM_CHUNK = 64 * KiB;

/** Write size of the memory sender: large, so its JS work per byte is negligible next to the kernel's. */
export const LARGE_WRITE = 1 * MiB;

/** The memory sender's second write size, the experiment's chunk: against LARGE_WRITE it gives the cost per write. */
export const SMALL_WRITE = STREAM_CHUNK;

/** File size of the run-overhead measurement: big enough for every path to get going, far below 64 MiB. */
export const RUN_OVERHEAD_BYTES = 4 * MiB;

/** Derives the parameters from the measurements' medians; throws naming any that is missing or not finite and > 0. */
export function parametersFrom(measurements: readonly Measurement[]): CalibratedParameters {
  const median = (name: string): number => {
    const m = measurements.find((x) => x.name === name);
    if (!m) throw new Error(`calibration has no "${name}" measurement`);
    return m.median;
  };
  const params: CalibratedParameters = {
    userCopyBytesPerSecond: median("user-copy"),
    hotCopyBytesPerSecond: median("hot-copy"),
    kernelCopyBytesPerSecond: median("kernel-copy"),
    kernelCopyColdBytesPerSecond: median("kernel-copy-cold"),
    syscallSeconds: median("syscall-kernel"),
    pageFaultSeconds: median("page-fault"),
    freshBufferSeconds: median("fresh-buffer"),
    freshHeap: sizeCurve(measurements, median, "fresh-heap-faults-", "fresh-heap-cpu-").map((p) => ({ bytes: p.bytes, faults: p.value, cpuSeconds: p.partner })),
    freshBufferFaults: median("fresh-buffer-faults"),
    freshStream: sizeCurve(measurements, median, "fresh-stream-wall-", "fresh-stream-cpu-").map((p) => ({ bytes: p.bytes, seconds: p.value, cpuSeconds: p.partner })),
    checksumBytesPerSecond: median("checksum"),
    loopbackBytesPerSecond: median("loopback-two-cores-memory-1MiB-throughput"),
    connectionWarmupSeconds: connectionWarmup(measurements),
    twoCores: placementCosts(median, "two-cores"),
    oneCore: placementCosts(median, "one-core"),
    cores: os.availableParallelism(),
    diskSequentialBytesPerSecond: median("disk-sequential"),
    diskRandomReadSeconds: median("disk-random-4k"),
    runOverheadSeconds: Object.fromEntries(TRANSFER_PATHS.map((p) => [p, 0])) as Record<TransferPath, number>,
  };
  params.runOverheadSeconds = runOverheads(params, median);
  requireUsable(params);
  return params;
}

/** A curve measured one new process per size: every "<prefix><bytes>" measurement's median with its partner
 *  "<partner><bytes>", in order of size. Called by parametersFrom() for the fresh-heap and fresh-stream curves. */
function sizeCurve(
  measurements: readonly Measurement[],
  median: (name: string) => number,
  prefix: string,
  partner: string,
): { bytes: number; value: number; partner: number }[] {
  return measurements
    .filter((m) => m.name.startsWith(prefix))
    .map((m) => {
      const bytes = Number(m.name.slice(prefix.length));
      return { bytes, value: m.median, partner: median(`${partner}${bytes}`) };
    })
    .sort((a, b) => a.bytes - b.bytes);
}

/** Each path's run overhead: the experiment's median wall at the small size minus what the model (quiet machine,
 *  no run overhead yet) predicts for that size; never below 0. Called by parametersFrom(). */
function runOverheads(params: CalibratedParameters, median: (name: string) => number): Record<TransferPath, number> {
  const bytes = median("run-overhead-bytes");
  const entries = TRANSFER_PATHS.map((p) => {
    const predicted = predictTransferCost(params, p, bytes, { cpu: { cores: params.cores, backgroundThreads: 0 } }).wallSeconds;
    return [p, Math.max(0, median(`run-${p}-wall`) - predicted)];
  });
  return Object.fromEntries(entries) as Record<TransferPath, number>;
}

/** The wall-time intercept of a loopback connection: wall = warmup + bytes / rate, from sendfile over one pass and
 *  over several passes of the file on two cores (medians); at least 1 µs (a connection is never free). */
function connectionWarmup(measurements: readonly Measurement[]): number {
  const find = (label: string) => measurements.find((m) => m.name === `loopback-two-cores-${label}-throughput`);
  const once = find("sendfile-once");
  const many = find("sendfile");
  const bytes = (label: string) => measurements.find((m) => m.name === `loopback-two-cores-${label}-bytes`)?.median;
  const b1 = bytes("sendfile-once");
  const b2 = bytes("sendfile");
  if (!once || !many || !b1 || !b2 || b2 <= b1) throw new Error("calibration has no two-size sendfile loopback runs for the connection warm-up");
  const w1 = b1 / once.median;
  const w2 = b2 / many.median;
  const perByte = (w2 - w1) / (b2 - b1);
  return Math.max(1e-6, w1 - perByte * b1);
}

/** The placement-dependent costs from the loopback runs pinned as `placement`; called by parametersFrom(). */
function placementCosts(median: (name: string) => number, placement: "one-core" | "two-cores"): PlacementCosts {
  // the read copy inside each stream chunk (into a fresh Buffer: a cold destination) is a term of its own in the model
  const readCopy = STREAM_CHUNK / median("kernel-copy-cold");
  return {
    tcpStackSecondsPerByte: median(`loopback-${placement}-sendfile-sender-cpu`),
    memorySenderSecondsPerByte: median(`loopback-${placement}-memory-1MiB-sender-cpu`),
    receiverSecondsPerByte: median(`loopback-${placement}-memory-1MiB-receiver-cpu`),
    receiverSecondsPerByteZeroCopy: median(`loopback-${placement}-sendfile-receiver-cpu`),
    // a difference of two noisy figures: noise can make it negative, and no write makes a transfer cheaper
    socketWriteSeconds: Math.max(0, median(`loopback-${placement}-socket-write`)),
    receiverPerWriteSeconds: Math.max(0, median(`loopback-${placement}-receiver-per-write`)),
    streamChunkSeconds: median(`stream-${placement}-chunk-wall`) - readCopy,
    streamChunkCpuSeconds: median(`stream-${placement}-chunk-cpu`) - readCopy,
  };
}

/** Throws one line naming every parameter that is unusable; used on calibrated and on loaded records. */
export function requireUsable(params: CalibratedParameters): void {
  const scalars = (Object.keys(PARAMETER_SOURCES) as (keyof CalibratedParameters)[]).filter((k) => !STRUCTURED.includes(k)) as ScalarParameter[];
  const bad: string[] = scalars.filter((k) => !(Number.isFinite(params[k]) && params[k] > 0)).map((k) => `${k}=${params[k]}`);
  for (const placement of ["twoCores", "oneCore"] as const) {
    for (const field of PLACEMENT_FIELDS) {
      const value = params[placement]?.[field];
      if (!(Number.isFinite(value) && (value > 0 || (value === 0 && MAY_BE_ZERO.includes(field))))) bad.push(`${placement}.${field}=${value}`);
    }
  }
  for (const p of TRANSFER_PATHS) {
    const value = params.runOverheadSeconds?.[p];
    if (!(Number.isFinite(value) && value >= 0)) bad.push(`runOverheadSeconds.${p}=${value}`);
  }
  // freshBufferFaults may be 0 (a heap that reuses every page); the curve needs points with finite, >= 0 faults
  if (bad.includes(`freshBufferFaults=0`)) bad.splice(bad.indexOf(`freshBufferFaults=0`), 1);
  const curve = params.freshHeap;
  const usable = (p: HeapGrowthPoint) => p.bytes > 0 && Number.isFinite(p.faults) && p.faults >= 0 && Number.isFinite(p.cpuSeconds) && p.cpuSeconds >= 0;
  if (!Array.isArray(curve) || curve.length === 0 || !curve.every(usable)) bad.push(`freshHeap=${JSON.stringify(curve)}`);
  const stream = params.freshStream;
  const usableStream = (p: FreshStreamPoint) => p.bytes > 0 && Number.isFinite(p.seconds) && p.seconds > 0 && Number.isFinite(p.cpuSeconds) && p.cpuSeconds >= 0;
  if (!Array.isArray(stream) || stream.length === 0 || !stream.every(usableStream)) bad.push(`freshStream=${JSON.stringify(stream)}`);
  if (bad.length > 0) {
    throw new RangeError(`calibration gave unusable parameters (must be finite and > 0): ${bad.join(", ")}; rerun \`npx workbook calibrate\` on a quieter machine`);
  }
}
