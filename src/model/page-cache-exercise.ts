// The page cache as an OSTEP homework exercise (like `paging-policy.py -c`): a short trace of page numbers, a small
// cache, demand paging, and for each access the page, hit or miss, what was evicted and the cache after it. The
// kernel decides every hit and eviction; this file only lists what is resident, in the order its policy keeps.
import { simulateCache, CacheEvent } from "./page-cache";
import type { PolicyName } from "./vocabulary";

/** One access of the exercise, as the student checks it. */
export interface ExerciseRow {
  /** 1-based position in the trace. */
  access: number;
  page: number;
  hit: boolean;
  /** The page this access evicted, or null. */
  evicted: number | null;
  /** The pages in the cache after the access, in `order`. */
  cache: number[];
  hits: number;
  misses: number;
}

/** How each policy's cache is listed: LRU by recency, FIFO by arrival, CLOCK and OPT by frame. */
export const EXERCISE_ORDER: Record<PolicyName, string> = {
  lru: "least to most recently used",
  fifo: "first in to last in",
  clock: "by frame (a new page takes its victim's frame)",
  opt: "by frame (a new page takes its victim's frame)",
};

/** Runs `trace` on a cache of `capacity` pages with `policy` and no readahead, and lists every access. */
export function pagingExercise(policy: PolicyName, capacity: number, trace: readonly number[]): ExerciseRow[] {
  const run = simulateCache({ policy, capacity, trace, readaheadMax: 0, logEvents: true });
  const rows: ExerciseRow[] = [];
  let cache: number[] = [];
  let hits = 0;
  let misses = 0;
  (run.events ?? []).forEach((event: CacheEvent, i) => {
    if (event.hit) hits++;
    else misses++;
    cache = cacheAfter(policy, cache, event);
    rows.push({ access: i + 1, page: event.page, hit: event.hit, evicted: event.evicted, cache: [...cache], hits, misses });
  });
  return rows;
}

/** The cache listing after one access: the kernel said hit or miss and what left; this keeps the policy's order. */
function cacheAfter(policy: PolicyName, before: number[], event: CacheEvent): number[] {
  if (event.hit) {
    // LRU: a hit makes the page the most recently used. FIFO, CLOCK and OPT leave their order alone.
    return policy === "lru" ? [...before.filter((p) => p !== event.page), event.page] : before;
  }
  if (event.evicted === null) return [...before, event.page]; // a free frame
  if (policy === "lru" || policy === "fifo") return [...before.filter((p) => p !== event.evicted), event.page];
  return before.map((p) => (p === event.evicted ? event.page : p)); // the new page takes the victim's frame
}
