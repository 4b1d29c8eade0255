// What a page-cache simulation takes and gives back, and the checks that turn a caller's options
// into a valid run: shared by the WebAssembly facade (page-cache.ts) and its TS twin, so both run
// exactly the same input.
import { requireInteger, requireChoice } from "../units/arguments";
import { POLICIES, PolicyName, PATTERNS, PatternName, CacheCounterName } from "./vocabulary";
import { loadModel } from "./wasm";

/** The kernel's limits, as assembly/page-cache.ts exports them: the one place they are written. */
export interface KernelLimits {
  /** Largest cache, in pages (16 GiB of 4 KiB pages). */
  capacity: number;
  /** Largest file, in pages (4 TiB). */
  filePages: number;
  /** Most accesses of one run (generated patterns, no logs). */
  accesses: number;
  /** Most accesses when the run keeps 4-8 bytes per access: OPT, replayed traces, event and request logs. */
  bufferedAccesses: number;
  /** Largest readahead window, in pages (256 MiB). */
  readahead: number;
}

/** Reads the limits from the WebAssembly kernel's exported constants (they arrive as { value }). */
export function kernelLimits(): KernelLimits {
  const model = loadModel();
  const read = (name: string) => (model[name] as { value: number }).value;
  return {
    capacity: read("MAX_CAPACITY"),
    filePages: read("MAX_FILE_PAGES"),
    accesses: read("MAX_ACCESSES"),
    bufferedAccesses: read("MAX_BUFFERED_ACCESSES"),
    readahead: read("MAX_READAHEAD"),
  };
}

/** Most accesses with an event log: one record per access (about 50 bytes each in JS). */
export const MAX_LOGGED_ACCESSES = 1 << 21;
/** Most points of a hit-ratio curve. */
export const MAX_SAMPLES = 100_000;
/** Linux's default readahead window: read_ahead_kb = 128 KiB = 32 pages. */
export const DEFAULT_READAHEAD_PAGES = 32;
/** First readahead window on a sequential miss (Linux: 4x a one-page request). */
export const DEFAULT_READAHEAD_INIT_PAGES = 4;
/** Stride of the strided pattern unless given: 16 pages = 64 KiB. */
export const DEFAULT_STRIDE = 16;

/** The kernel's number for a policy or a pattern: its index in the vocabulary, which names them in the kernel's order. */
export function policyId(policy: PolicyName): number {
  return POLICIES.indexOf(policy);
}
export function patternId(pattern: PatternName): number {
  return PATTERNS.indexOf(pattern);
}

/** A caller's description of a run; everything but `capacity` has a documented default. */
export interface CacheOptions {
  /** Replacement policy: "lru" (default), "clock", "fifo" or "opt" (Belady; demand paging only). */
  policy?: PolicyName;
  /** Cache size in 4 KiB pages (frames), 1 to 4,194,304. */
  capacity: number;
  /** "sequential" (default), "random", "strided", "hot-cold" (80% of accesses to 20% of the file) or "trace". */
  pattern?: PatternName;
  /** Number of page accesses; defaults to the trace's length for "trace", required otherwise. */
  accesses?: number;
  /** File size in pages; default: as many pages as accesses (the trace's largest page + 1 for "trace"). */
  filePages?: number;
  /** Step of the strided pattern, pages (default 16 = 64 KiB). */
  stride?: number;
  /** Seed of the xorshift32 generator for "random" and "hot-cold" (default 1). */
  seed?: number;
  /** Largest readahead window, pages (default 32 = 128 KiB; 0 turns readahead off; must be 0 for "opt"). */
  readaheadMax?: number;
  /** First readahead window, pages (default 4, at most readaheadMax). */
  readaheadInit?: number;
  /** Points of the cumulative hit-ratio curve to record (default 0 = none). */
  samples?: number;
  /** Record hit/miss and the evicted page for every access (for step-by-step tables; up to 2,097,152 accesses). */
  logEvents?: boolean;
  /** Record every disk request (first page, pages) the misses and readahead issue. */
  logRequests?: boolean;
  /** Page numbers to replay for pattern "trace". */
  trace?: ArrayLike<number>;
}

/** A validated run, every default filled in; both kernels take exactly this. */
export interface CacheRunInput {
  policy: PolicyName;
  capacity: number;
  pattern: PatternName;
  accesses: number;
  filePages: number;
  stride: number;
  seed: number;
  readaheadMax: number;
  readaheadInit: number;
  samples: number;
  logEvents: boolean;
  logRequests: boolean;
  trace?: Int32Array;
}

/** What a kernel hands back: its counters and raw logs. */
export interface CacheRunOutput {
  counters: Record<CacheCounterName, number>;
  /** Cumulative hits at each sample point. */
  samples: Int32Array;
  /** Triples per access: the page, 1 hit / 0 miss, the page its demand fetch evicted or -1. */
  events: Int32Array | null;
  /** Pairs per disk request: first page, pages. */
  requests: Int32Array | null;
}

/** Checks a replayed trace: whole page numbers in range; returns it as an Int32Array and its largest page. */
function requireTrace(trace: unknown, limits: KernelLimits): { pages: Int32Array; largest: number } {
  if (trace === null || typeof trace !== "object" || typeof (trace as ArrayLike<number>).length !== "number") {
    throw new TypeError(`trace must be an array of page numbers; got ${trace === null ? "null" : typeof trace}`);
  }
  const list = trace as ArrayLike<number>;
  requireInteger("trace length", list.length, 1, limits.bufferedAccesses);
  const pages = new Int32Array(list.length);
  let largest = 0;
  for (let i = 0; i < list.length; i++) {
    const page = list[i];
    if (typeof page !== "number" || !Number.isInteger(page) || page < 0 || page >= limits.filePages) {
      throw new RangeError(`trace[${i}] must be a whole page number from 0 to ${limits.filePages - 1}, got ${String(page)}`);
    }
    pages[i] = page;
    if (page > largest) largest = page;
  }
  return { pages, largest };
}

/** The value if the caller gave one (null counts as given, and is then rejected), else the default. */
function given<T>(value: T | undefined, fallback: T): T {
  return value === undefined ? fallback : value;
}

/** Checks an optional boolean flag. */
function requireFlag(name: string, value: unknown): boolean {
  if (value === undefined) return false;
  if (typeof value !== "boolean") throw new TypeError(`${name} must be true or false; got ${JSON.stringify(value)}`);
  return value;
}

/** Validates a caller's options and fills in the defaults; throws RangeError/TypeError naming the argument. */
export function normalizeCacheOptions(options: CacheOptions): CacheRunInput {
  if (options === null || typeof options !== "object") throw new TypeError("options must be an object with at least { capacity }");
  const limits = kernelLimits();
  const policy = POLICIES[requireChoice("policy", given(options.policy, "lru"), POLICIES)];
  const capacity = requireInteger("capacity (pages)", options.capacity, 1, limits.capacity);
  const pattern = PATTERNS[requireChoice("pattern", given(options.pattern, options.trace !== undefined ? "trace" : "sequential"), PATTERNS)];
  const logEvents = requireFlag("logEvents", options.logEvents);
  const logRequests = requireFlag("logRequests", options.logRequests);
  let trace: Int32Array | undefined;
  let accesses: number;
  let filePages: number;
  if (pattern === "trace") {
    if (options.trace === undefined) throw new TypeError("trace must be given (an array of page numbers) when pattern is trace");
    const checked = requireTrace(options.trace, limits);
    trace = checked.pages;
    accesses = requireInteger("accesses", given(options.accesses, trace.length), 1, trace.length);
    filePages = requireInteger("filePages", given(options.filePages, checked.largest + 1), checked.largest + 1, limits.filePages);
  } else {
    if (options.trace !== undefined) throw new TypeError(`trace is only used with pattern "trace", not "${pattern}"`);
    if (options.accesses === undefined) throw new TypeError("accesses must be given: how many page accesses to simulate");
    const buffered = policy === "opt" || logEvents || logRequests;
    accesses = requireInteger("accesses", options.accesses, 1, buffered ? limits.bufferedAccesses : limits.accesses);
    filePages = requireInteger("filePages", given(options.filePages, Math.min(accesses, limits.filePages)), 1, limits.filePages);
  }
  const stride = requireInteger("stride (pages)", given(options.stride, DEFAULT_STRIDE), 1, limits.filePages);
  const seed = requireInteger("seed", given(options.seed, 1), 0, 2 ** 32 - 1);
  const readaheadMax = requireInteger("readaheadMax (pages)", given(options.readaheadMax, policy === "opt" ? 0 : DEFAULT_READAHEAD_PAGES), 0, limits.readahead);
  if (policy === "opt" && readaheadMax > 0) {
    throw new RangeError(`readaheadMax must be 0 with policy opt (Belady's OPT is defined for demand paging), got ${readaheadMax}`);
  }
  const readaheadInit =
    readaheadMax === 0
      ? 0
      : requireInteger("readaheadInit (pages)", given(options.readaheadInit, Math.min(DEFAULT_READAHEAD_INIT_PAGES, readaheadMax)), 1, readaheadMax);
  const samples = requireInteger("samples", given(options.samples, 0), 0, Math.min(accesses, MAX_SAMPLES));
  if (logEvents && accesses > MAX_LOGGED_ACCESSES) {
    throw new RangeError(`accesses must be at most ${MAX_LOGGED_ACCESSES} with logEvents (one record per access), got ${accesses}`);
  }
  return { policy, capacity, pattern, accesses, filePages, stride, seed, readaheadMax, readaheadInit, samples, logEvents, logRequests, trace };
}
