// Median and range of repeated measurements: what every benchmark and experiment summary reports.

/** A metric over n runs: the median (the figure to quote) and the min-max range (the noise). */
export interface Spread {
  median: number;
  min: number;
  max: number;
  n: number;
}

/** Median of the values (mean of the middle two for an even count); called by summarize(). */
export function median(values: readonly number[]): number {
  if (values.length === 0) throw new RangeError("median of no values");
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Median, min, max and count of the values; the experiments summarise every metric with it. */
export function summarize(values: readonly number[]): Spread {
  if (values.length === 0) throw new RangeError("cannot summarise zero runs");
  return { median: median(values), min: Math.min(...values), max: Math.max(...values), n: values.length };
}

/** Summarises each named numeric field over a list of records; used to build per-path summaries. */
export function summarizeFields<K extends string>(records: ReadonlyArray<Record<K, number>>, fields: readonly K[]): Record<K, Spread> {
  const out = {} as Record<K, Spread>;
  for (const field of fields) out[field] = summarize(records.map((r) => r[field]));
  return out;
}
