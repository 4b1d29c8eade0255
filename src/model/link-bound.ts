// The link part of the model: a transfer through a link takes as long as the slower of two limits,
//   time = max(bytes * 8 / rate, cpuBoundSeconds),
// the link, which cannot carry the payload faster than its rate, and the CPU-bound pipeline (sender, network
// stack, receiver) as it runs with no link in the way. The CPU-bound time is an input: today the measurement of
// the same transfer through an unshaped link, later the calibrated cost model's prediction. The model has a sharp
// corner at the crossover; a real transfer rounds it (the two limits do not overlap perfectly near it).
import { requireBytes } from "../units/arguments";
import { linkSeconds, MIN_RATE_BPS, MAX_RATE_BPS, LinkRate } from "../units/rates";

/** Which limit sets a transfer's time. */
export type Bound = "link" | "cpu";

/** The model's time for one transfer through one link, and what bounds it. */
export interface LinkBoundTime {
  /** The slower of the two limits. */
  seconds: number;
  /** bytes * 8 / rate; null for no link (unshaped). */
  linkSeconds: number | null;
  cpuBoundSeconds: number;
  /** "link" when the link is the slower limit (ties go to the link: it is then exactly full). */
  bound: Bound;
}

/** Checks a CPU-bound time: a positive, finite number of seconds. */
function requireSeconds(name: string, value: unknown): number {
  if (typeof value !== "number" || !Number.isFinite(value) || value <= 0) {
    throw new RangeError(`${name} must be a positive number of seconds, got ${String(value)}`);
  }
  return value;
}

/** Checks a link rate: null (no link) or bit/s within the range the workbook can shape. */
function requireRate(name: string, value: unknown): LinkRate {
  if (value === null) return null;
  if (typeof value !== "number" || !Number.isFinite(value) || value < MIN_RATE_BPS || value > MAX_RATE_BPS) {
    throw new RangeError(`${name} must be null (no link) or bit/s from ${MIN_RATE_BPS} to ${MAX_RATE_BPS}, got ${String(value)}`);
  }
  return value;
}

/** The time to move `bytes` through a link of `rate` bit/s (null: none) when the pipeline alone takes `cpuBoundSeconds`. */
export function linkBoundTime(bytes: number, rate: LinkRate, cpuBoundSeconds: number): LinkBoundTime {
  requireBytes("bytes", bytes, 1);
  requireRate("rate", rate);
  requireSeconds("cpuBoundSeconds", cpuBoundSeconds);
  const wire = rate === null ? null : linkSeconds(bytes, rate);
  // time = the slower of the link and the CPU-bound pipeline
  if (wire !== null && wire >= cpuBoundSeconds) return { seconds: wire, linkSeconds: wire, cpuBoundSeconds, bound: "link" };
  return { seconds: cpuBoundSeconds, linkSeconds: wire, cpuBoundSeconds, bound: "cpu" };
}

/** The rate, bit/s, at which the link and the pipeline take equally long: below it the link sets the time,
 *  above it the CPU does. It is the pipeline's own throughput, bytes * 8 / cpuBoundSeconds. */
export function crossoverRate(bytes: number, cpuBoundSeconds: number): number {
  requireBytes("bytes", bytes, 1);
  requireSeconds("cpuBoundSeconds", cpuBoundSeconds);
  return (bytes * 8) / cpuBoundSeconds;
}

/** Cores a sender needs to keep a link of `rate` bit/s full when it spends `cpuSecondsPerByte` per byte sent:
 *  CPU seconds per byte times bytes per second. Above 1, one core cannot fill the link. */
export function coresToFill(cpuSecondsPerByte: number, rate: number): number {
  if (typeof cpuSecondsPerByte !== "number" || !Number.isFinite(cpuSecondsPerByte) || cpuSecondsPerByte < 0) {
    throw new RangeError(`cpuSecondsPerByte must be a non-negative number, got ${String(cpuSecondsPerByte)}`);
  }
  const bitsPerSecond = requireRate("rate", rate);
  if (bitsPerSecond === null) throw new RangeError("rate must be a link rate in bit/s: an unshaped link has no rate to fill");
  return cpuSecondsPerByte * (bitsPerSecond / 8);
}
