// Machine-wide CPU of a group of runs, net of everyone else's: each run reads /proc/stat's busy time over the
// run (machine-cpu.ts) and over two quiet windows of its own, one before and one after, in which nothing of the
// experiment runs; the windows' busy rate is the background, subtracted over the run's wall time.
//   net = sum over runs of (busy - background rate x wall),   background rate = mean of the two windows
// Runs are summed before dividing: one run of a few hundred ms is only a few ticks. The uncertainty (about one
// standard deviation) adds, per run: the run's reading error, the windows' reading error scaled to the run, half
// the change of the background across the run, and the squeeze: while our processes run, everyone else can lose
// up to the CPU ours took, so the subtraction can be too large by up to min(background, our CPU). Runs are
// independent, so their variances add.
import { GiB } from "../units/sizes";

/** /proc/stat counts in ticks of 10 ms: the difference of two readings is off by less than one tick per CPU, an
 *  error spread evenly over +-cpus ticks, whose standard deviation is cpus ticks / sqrt(3). */
const TICK_MS = 10;

/** Standard deviation of the difference of two /proc/stat readings on `cpus` CPUs, ms. */
function readingSd(cpus: number): number {
  return (cpus * TICK_MS) / Math.sqrt(3);
}

/** What one run measured for this: its wall time and bytes, the machine's busy time over it and over its quiet
 *  windows, and the CPU its own processes reported. */
export interface BusySample {
  wallSeconds: number;
  bytes: number;
  busyMs: number;
  windowMs: number;
  beforeBusyMs: number;
  afterBusyMs: number;
  /** User + system CPU the run's own processes reported (the squeeze is bounded by it). */
  ownCpuMs: number;
}

/** The machine-wide figure for a group of runs, per GiB of their bytes. */
export interface NetMachineCpu {
  /** CPU-seconds per GiB all CPUs spent during the runs, minus the background's rate over the same time. */
  netSecondsPerGiB: number;
  /** The same without subtracting anything. */
  rawSecondsPerGiB: number;
  /** How far the net figure can be off (about one sd). */
  uncertaintySecondsPerGiB: number;
  /** Cores the rest of the machine kept busy around the runs (mean of the windows). */
  backgroundCores: number;
  /** Cores the runs kept busy, net of the background: net CPU / wall, summed over runs; and its uncertainty. */
  netCores: number;
  netCoresUncertainty: number;
}

/** Machine-wide CPU of `samples` on a machine of `cpus` CPUs; undefined for no samples. */
export function netMachineCpu(samples: readonly BusySample[], cpus: number): NetMachineCpu | undefined {
  if (samples.length === 0) return undefined;
  let raw = 0;
  let net = 0;
  let variance = 0;
  let background = 0;
  let wall = 0;
  for (const r of samples) {
    const wallMs = r.wallSeconds * 1000;
    const before = r.windowMs > 0 ? r.beforeBusyMs / r.windowMs : 0; // cores
    const after = r.windowMs > 0 ? r.afterBusyMs / r.windowMs : 0;
    const rate = (before + after) / 2;
    raw += r.busyMs;
    net += r.busyMs - rate * wallMs;
    background += rate;
    wall += wallMs;
    const reading = readingSd(cpus);
    const windows = r.windowMs > 0 ? ((readingSd(cpus) / Math.SQRT2) * wallMs) / r.windowMs : 0; // mean of two windows, scaled to the run
    const drift = (Math.abs(after - before) / 2) * wallMs;
    const squeeze = Math.min(rate * wallMs, r.ownCpuMs);
    variance += reading ** 2 + windows ** 2 + drift ** 2 + squeeze ** 2;
  }
  const bytes = samples.reduce((sum, r) => sum + r.bytes, 0);
  const perGiB = GiB / bytes / 1000; // ms per byte-sum -> s per GiB
  return {
    netSecondsPerGiB: net * perGiB,
    rawSecondsPerGiB: raw * perGiB,
    uncertaintySecondsPerGiB: Math.sqrt(variance) * perGiB,
    backgroundCores: background / samples.length,
    netCores: net / wall,
    netCoresUncertainty: Math.sqrt(variance) / wall,
  };
}
