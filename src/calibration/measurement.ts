// One micro-measurement as the calibration records it: the median of several repetitions, with the range.
import { summarize } from "../statistics/spread";

/** A calibrated quantity: its median over `runs` repetitions, min and max, and how it was measured. */
export interface Measurement {
  name: string;
  unit: string;
  median: number;
  min: number;
  max: number;
  runs: number;
  /** One line: what was timed, with which sizes. */
  method: string;
}

/** Summarises repeated values into a Measurement; every micro-measurement ends with it. */
export function measurementOf(name: string, unit: string, values: readonly number[], method: string): Measurement {
  const spread = summarize(values);
  return { name, unit, median: spread.median, min: spread.min, max: spread.max, runs: spread.n, method };
}

/** Seconds since an arbitrary origin, from the monotonic clock; the timer every measurement uses. */
export function nowSeconds(): number {
  return Number(process.hrtime.bigint()) / 1e9;
}

/** Runs `body` once and returns its wall time in seconds. */
export function timeSeconds(body: () => void): number {
  const start = nowSeconds();
  body();
  return nowSeconds() - start;
}

/** CPU seconds (user, system) of this process, all threads, from process.cpuUsage(). */
export function cpuSeconds(): { user: number; system: number } {
  const usage = process.cpuUsage();
  return { user: usage.user / 1e6, system: usage.system / 1e6 };
}
