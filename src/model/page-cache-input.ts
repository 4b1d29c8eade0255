// What a page-cache simulation takes and gives back, and the checks that turn a caller's options
// into a valid run: shared by the WebAssembly facade (page-cache.ts) and its TS twin, so both run
// exactly the same input.
import { requireInteger, requireChoice } from "../units/arguments";
import { POLICIES, PolicyName, PATTERNS, PatternName, CacheCounterName } from "./vocabulary";

/** Largest cache the model accepts, in pages (16 GiB of 4 KiB pages); assembly/page-cache.ts MAX_CAPACITY. */
export const MAX_CAPACITY = 1 << 22;
/** Largest file, in pages (4 TiB). */
export const MAX_FILE_PAGES = 1 << 30;
/** Most accesses of one run (generated patterns, no logs). */
export const MAX_ACCESSES = 0x7fffffff;
/** Most accesses when the run keeps 4-8 bytes per access: OPT, replayed traces, event and request logs. */
export const MAX_BUFFERED_ACCESSES = 1 << 25;
/** Most accesses with an event log: one record per access (about 50 bytes each in JS). */
export const MAX_LOGGED_ACCESSES = 1 << 21;
/** Largest readahead window, in pages (256 MiB). */
export const MAX_READAHEAD = 1 << 16;
/** Most points of a hit-ratio curve. */
export const MAX_SAMPLES = 100_000;
/** Linux's default readahead window: read_ahead_kb = 128 KiB = 32 pages. */
export const DEFAULT_READAHEAD_PAGES = 32;
/** First readahead window on a sequential miss (Linux: 4x a one-page request). */
export const DEFAULT_READAHEAD_INIT_PAGES = 4;
/** Stride of the strided pattern unless given: 16 pages = 64 KiB. */
export const DEFAULT_STRIDE = 16;

/** Ids of the names, as the kernel numbers them. */
export const POLICY_IDS: Record<PolicyName, number> = { lru: 0, clock: 1, fifo: 2, opt: 3 };
export const PATTERN_IDS: Record<PatternName, number> = { sequential: 0, random: 1, strided: 2, "hot-cold": 3, trace: 4 };

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
  /** Pairs per access: 1 hit / 0 miss, page evicted by the demand fetch or -1. */
  events: Int32Array | null;
  /** Pairs per disk request: first page, pages. */
  requests: Int32Array | null;
}

/** Checks a replayed trace: whole page numbers in range; returns it as an Int32Array and its largest page. */
function requireTrace(trace: unknown): { pages: Int32Array; largest: number } {
  if (trace === null || typeof trace !== "object" || typeof (trace as ArrayLike<number>).length !== "number") {
    throw new TypeError(`trace must be an array of page numbers; got ${trace === null ? "null" : typeof trace}`);
  }
  const list = trace as ArrayLike<number>;
  requireInteger("trace length", list.length, 1, MAX_BUFFERED_ACCESSES);
  const pages = new Int32Array(list.length);
  let largest = 0;
  for (let i = 0; i < list.length; i++) {
    const page = list[i];
    if (typeof page !== "number" || !Number.isInteger(page) || page < 0 || page >= MAX_FILE_PAGES) {
      throw new RangeError(`trace[${i}] must be a whole page number from 0 to ${MAX_FILE_PAGES - 1}, got ${String(page)}`);
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
  const policy = POLICIES[requireChoice("policy", given(options.policy, "lru"), POLICIES)];
  const capacity = requireInteger("capacity (pages)", options.capacity, 1, MAX_CAPACITY);
  const pattern = PATTERNS[requireChoice("pattern", given(options.pattern, options.trace !== undefined ? "trace" : "sequential"), PATTERNS)];
  const logEvents = requireFlag("logEvents", options.logEvents);
  const logRequests = requireFlag("logRequests", options.logRequests);
  let trace: Int32Array | undefined;
  let accesses: number;
  let filePages: number;
  if (pattern === "trace") {
    if (options.trace === undefined) throw new TypeError("trace must be given (an array of page numbers) when pattern is trace");
    const checked = requireTrace(options.trace);
    trace = checked.pages;
    accesses = requireInteger("accesses", given(options.accesses, trace.length), 1, trace.length);
    filePages = requireInteger("filePages", given(options.filePages, checked.largest + 1), checked.largest + 1, MAX_FILE_PAGES);
  } else {
    if (options.trace !== undefined) throw new TypeError(`trace is only used with pattern "trace", not "${pattern}"`);
    if (options.accesses === undefined) throw new TypeError("accesses must be given: how many page accesses to simulate");
    const buffered = policy === "opt" || logEvents || logRequests;
    accesses = requireInteger("accesses", options.accesses, 1, buffered ? MAX_BUFFERED_ACCESSES : MAX_ACCESSES);
    filePages = requireInteger("filePages", given(options.filePages, Math.min(accesses, MAX_FILE_PAGES)), 1, MAX_FILE_PAGES);
  }
  const stride = requireInteger("stride (pages)", given(options.stride, DEFAULT_STRIDE), 1, MAX_FILE_PAGES);
  const seed = requireInteger("seed", given(options.seed, 1), 0, 2 ** 32 - 1);
  const readaheadMax = requireInteger("readaheadMax (pages)", given(options.readaheadMax, policy === "opt" ? 0 : DEFAULT_READAHEAD_PAGES), 0, MAX_READAHEAD);
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
