// getrusage(RUSAGE_SELF) through the addon: CPU time, faults and context switches of the whole process.
import { requireNative, NativeRusage } from "../native/addon";

export type Rusage = NativeRusage;

/** Takes a snapshot now; the sender calls it right before and right after a transfer. */
export function readRusage(): Rusage {
  return requireNative().getrusage();
}

/** after - before, field by field (maxRssKiB is a peak, so the later value is kept). */
export function rusageDelta(before: Rusage, after: Rusage): Rusage {
  const out = {} as Rusage;
  for (const key of Object.keys(before) as (keyof Rusage)[]) out[key] = after[key] - before[key];
  out.maxRssKiB = after.maxRssKiB;
  return out;
}
