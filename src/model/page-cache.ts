// The typed facade over the WebAssembly page-cache kernel (assembly/page-cache.ts): validated options in,
// plain JSON-serialisable records out. Notebooks plot hit/miss curves from these; the CLI prints them.
import { loadModel } from "./wasm";
import { CACHE_COUNTERS, CacheCounterName, PolicyName, PatternName, POLICIES } from "./vocabulary";
import {
  CacheOptions, CacheRunInput, CacheRunOutput, normalizeCacheOptions, policyId, patternId,
} from "./page-cache-input";
import { runPageCacheTwin } from "./page-cache-twin";

/** One access of a logged run: the page, whether it hit, and the page its demand fetch evicted. */
export interface CacheEvent {
  page: number;
  hit: boolean;
  evicted: number | null;
}

/** One disk request a logged run issued: a contiguous run of pages (a miss plus its readahead). */
export interface DiskRequest {
  firstPage: number;
  pages: number;
}

/** The record of one simulation: its (defaulted) inputs, its counters, and the curve and logs asked for. */
export type CacheResult = Omit<CacheRunInput, "trace" | "logEvents" | "logRequests"> &
  Record<CacheCounterName, number> & {
    /** hits / accesses. */
    hitRatio: number;
    /** Cumulative hit ratio after `accesses[k]` accesses, if samples > 0. */
    curve?: { accesses: number[]; hitRatio: number[] };
    events?: CacheEvent[];
    requests?: DiskRequest[];
  };

/** Runs a validated input on the WebAssembly kernel and copies its outputs out of linear memory. */
export function runPageCacheWasm(input: CacheRunInput): CacheRunOutput {
  const model = loadModel();
  const configured = model.cacheConfigure(policyId(input.policy), input.capacity, input.readaheadInit, input.readaheadMax);
  if (configured !== 0) throw new Error(`page-cache kernel rejected its configuration (status ${configured})`);
  if (input.trace) {
    const ptr = model.cacheTraceBuffer(input.accesses);
    if (!ptr) throw new Error("page-cache kernel could not allocate the trace buffer");
    // Take the view after the call: allocating may have grown (and so detached) the memory.
    new Int32Array(model.memory.buffer, ptr, input.accesses).set(input.trace.subarray(0, input.accesses));
  }
  const log = (input.logEvents ? 1 : 0) | (input.logRequests ? 2 : 0);
  const status = model.cacheRun(
    patternId(input.pattern), input.accesses, input.filePages, input.stride, input.seed, input.samples, log,
  );
  if (status !== 0) throw new Error(`page-cache kernel rejected the run (status ${status})`);
  const counters = {} as Record<CacheCounterName, number>;
  CACHE_COUNTERS.forEach((name, slot) => {
    counters[name] = model.cacheCounter(slot);
  });
  const memory = model.memory.buffer;
  return {
    counters,
    samples: new Int32Array(memory, model.cacheSamples(), input.samples).slice(),
    events: input.logEvents ? new Int32Array(memory, model.cacheEvents(), 3 * input.accesses).slice() : null,
    requests: input.logRequests ? new Int32Array(memory, model.cacheRequests(), 2 * model.cacheRequestCount()).slice() : null,
  };
}

/** Turns a kernel's raw output into the result record; shared by the WebAssembly and twin paths. */
export function cacheResult(input: CacheRunInput, output: CacheRunOutput): CacheResult {
  const { trace: _trace, logEvents: _events, logRequests: _requests, ...inputs } = input;
  const c = output.counters;
  const result: CacheResult = { ...inputs, ...c, hitRatio: c.hits / c.accesses };
  if (input.samples > 0) {
    const at = Array.from({ length: input.samples }, (_, j) => Math.floor(((j + 1) * input.accesses) / input.samples));
    result.curve = { accesses: at, hitRatio: at.map((n, j) => output.samples[j] / n) };
  }
  if (output.events) {
    const events = output.events; // triples: page, hit (1) or miss (0), the page evicted or -1
    result.events = Array.from({ length: input.accesses }, (_, i) => ({
      page: events[3 * i],
      hit: events[3 * i + 1] === 1,
      evicted: events[3 * i + 2] < 0 ? null : events[3 * i + 2],
    }));
  }
  if (output.requests) {
    result.requests = [];
    for (let k = 0; k < output.requests.length; k += 2) {
      result.requests.push({ firstPage: output.requests[k], pages: output.requests[k + 1] });
    }
  }
  return result;
}

/** Simulates the page cache in WebAssembly: hits, misses, evictions, readahead, disk requests. */
export function simulateCache(options: CacheOptions): CacheResult {
  const input = normalizeCacheOptions(options);
  return cacheResult(input, runPageCacheWasm(input));
}

/** The same simulation by the plain-TypeScript twin (slower; for the speed contrast and as an oracle). */
export function simulateCacheTwin(options: CacheOptions): CacheResult {
  const input = normalizeCacheOptions(options);
  return cacheResult(input, runPageCacheTwin(input));
}

/** Options of a capacity sweep: a run's options without policy and capacity, plus the lists to sweep. */
export type SweepOptions = Omit<CacheOptions, "policy" | "capacity"> & {
  /** Policies to compare (default all four). */
  policies?: readonly PolicyName[];
  /** Cache sizes to try, in pages. */
  capacities: readonly number[];
};

/** One point of a hit-ratio-vs-capacity curve. */
export interface SweepPoint {
  policy: PolicyName;
  pattern: PatternName;
  capacity: number;
  hits: number;
  misses: number;
  hitRatio: number;
}

/**
 * Hit ratio versus cache size for each policy over the same access stream (same seed), as OSTEP's
 * paging-policy homework plots it; readahead is off unless asked for, since OPT is defined for demand
 * paging. Notebooks plot one line per policy.
 */
export function capacitySweep(options: SweepOptions): SweepPoint[] {
  const { policies = POLICIES, capacities, ...rest } = options;
  if (!Array.isArray(capacities) || capacities.length === 0) {
    throw new TypeError("capacities must be a non-empty array of cache sizes in pages");
  }
  const points: SweepPoint[] = [];
  for (const policy of policies) {
    for (const capacity of capacities) {
      const readaheadMax = policy === "opt" ? 0 : (rest.readaheadMax ?? 0);
      const r = simulateCache({ ...rest, policy, capacity, readaheadMax });
      points.push({ policy, pattern: r.pattern, capacity, hits: r.hits, misses: r.misses, hitRatio: r.hitRatio });
    }
  }
  return points;
}
