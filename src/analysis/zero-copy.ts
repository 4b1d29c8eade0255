// Chapter 2's analysis: measured transfers turned into per-GiB rows and time ratios, each beside the model.
import { modelTransfer } from "../model/transfer-model";
import { modelTime, CostParameters, DEFAULT_COST_PARAMETERS } from "../model/cost-model";
import { MAX_RW_COUNT } from "../reference/linux";
// One map from measured path to model path (loopback sendfile = the model's sendfile-sg), shared with chapter 7.
import { MODEL_PATH, basicModelTime } from "../prediction/basic-model";
import { TransferResult } from "../experiments/transfer-records";
import { PerGiBRow, RatioPoint } from "../figures/transfer";
import { median } from "../statistics/spread";
import { GiB } from "../units/sizes";
import { TransferPath } from "../vocabulary/transfer";


/** Bytes per call the model uses for a measured path: the experiment's chunk for copy loops, MAX_RW_COUNT otherwise. */
function modelChunk(path: TransferPath, chunk: number): number {
  return MODEL_PATH[path] === "read-write" ? chunk : MAX_RW_COUNT;
}

/** The model's time for a measured path at a size (pipelined, warm cache), in seconds. */
export function modelSeconds(path: TransferPath, bytes: number, chunk: number, params: CostParameters = DEFAULT_COST_PARAMETERS): number {
  return basicModelTime(params, path, Math.max(1, bytes), chunk, "warm").wallSeconds;
}

/** Per-path rows of one TransferResult: medians per GiB next to the model's CPU and syscalls per GiB. */
export function perGiBRows(result: TransferResult, params: CostParameters = DEFAULT_COST_PARAMETERS): PerGiBRow[] {
  const { bytes, chunk } = result.conditions;
  const perGiB = GiB / bytes;
  return result.summaries.map((s) => {
    const counts = modelTransfer(MODEL_PATH[s.path], bytes, modelChunk(s.path, chunk));
    const model = modelTime(counts, params, { cache: "warm", pipelined: true });
    // The median of user + system per run, not the sum of two medians.
    const cpu = result.runs.filter((r) => r.path === s.path).map((r) => (r.userCpuMs + r.systemCpuMs) / 1000);
    return {
      path: s.path,
      bytes,
      medianSeconds: s.metrics.wallSeconds.median,
      minSeconds: s.metrics.wallSeconds.min,
      maxSeconds: s.metrics.wallSeconds.max,
      cpuSecondsPerGiB: median(cpu) * perGiB,
      syscallsPerGiB: s.metrics.syscalls.median * perGiB,
      modelCpuSecondsPerGiB: model.cpuSeconds * perGiB,
      modelSyscallsPerGiB: counts.syscalls * perGiB,
    };
  });
}

/** Measured time ratio `zeroCopy / traditional` per size: ratio of medians, range from the extremes. */
export function measuredRatios(results: TransferResult[], zeroCopy: TransferPath = "sendfile", traditional: TransferPath = "read-write"): RatioPoint[] {
  const points: RatioPoint[] = [];
  for (const r of results) {
    const z = r.summaries.find((s) => s.path === zeroCopy)?.metrics.wallSeconds;
    const t = r.summaries.find((s) => s.path === traditional)?.metrics.wallSeconds;
    if (z && t) points.push({ bytes: r.conditions.bytes, ratio: z.median / t.median, min: z.min / t.max, max: z.max / t.min });
  }
  return points.sort((a, b) => a.bytes - b.bytes);
}

/** The model's ratio sendfile / read-write (at `chunk`) per size. */
export function modelRatios(sizes: number[], chunk: number, params: CostParameters = DEFAULT_COST_PARAMETERS): RatioPoint[] {
  return sizes.map((bytes) => ({ bytes, ratio: modelSeconds("sendfile", bytes, chunk, params) / modelSeconds("read-write", bytes, chunk, params) }));
}
