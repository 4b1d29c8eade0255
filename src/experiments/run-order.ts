// The order in which an experiment runs its variants: warm-up rounds, then measured rounds, every variant once a
// round, rotated each round so that none always runs first (a slow spell or a warm cache then favours no one).
// Used by the transfer and producer experiments.

/** One run in the order: which variant, its round (counted separately for warm-up and measured rounds), and
 *  whether it is a warm-up (run, then discarded). */
export interface ScheduledRun<T> {
  item: T;
  round: number;
  warmup: boolean;
}

/** `warmup` + `runs` rounds over `items`, each round rotated by one. */
export function interleavedRuns<T>(items: readonly T[], warmup: number, runs: number): ScheduledRun<T>[] {
  const order: ScheduledRun<T>[] = [];
  for (let r = 0; r < warmup + runs; r++) {
    for (let i = 0; i < items.length; i++) {
      const item = items[(i + r) % items.length]; // rotate so no variant always runs first
      order.push({ item, round: r < warmup ? r : r - warmup, warmup: r < warmup });
    }
  }
  return order;
}
