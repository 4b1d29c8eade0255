// The page-cache kernel of assembly/page-cache.ts and assembly/page-table.ts, again in plain TypeScript.
// Two jobs: a test oracle (tests require both to produce identical counters, samples, events and disk
// requests on many seeded inputs) and the teaching contrast for WebAssembly's speed (npm run bench:model).
// It is the same algorithm over the same parallel typed arrays, written as idiomatic TypeScript;
// keep its structure in step with the AssemblyScript files when either changes.
import { Xorshift32 } from "../random/xorshift";
import { CacheRunInput, CacheRunOutput, policyId, patternId, normalizeCacheOptions } from "./page-cache-input";
import { PatternName } from "./vocabulary";

const EMPTY = -1;
const NEVER = 0x7fffffff;
const REFERENCED = 1;
const READAHEAD_UNUSED = 2;
const [LRU, CLOCK, FIFO, OPT] = [0, 1, 2, 3];
const [SEQUENTIAL, RANDOM, STRIDED, HOT_COLD, TRACE] = [0, 1, 2, 3, 4];

/** Open-addressing page -> value table, linear probing, backward-shift deletion (as assembly/page-table.ts). */
class PageTable {
  /** Slot s is slots[2s] (the page, EMPTY if free) and slots[2s + 1] (its value), side by side. */
  slots: Int32Array;
  mask: number;
  shift: number;

  /** An empty table for up to `entries` pages (load factor at most 1/2). */
  constructor(entries: number) {
    let count = 16;
    while (count < entries * 2) count *= 2;
    this.slots = new Int32Array(2 * count).fill(EMPTY);
    this.mask = count - 1;
    this.shift = 32 - Math.log2(count);
  }

  /** Fibonacci hashing: the top bits of page * 0x9e3779b1 (mod 2^32). */
  home(page: number): number {
    return Math.imul(page, 0x9e3779b1) >>> this.shift;
  }

  /** The slot holding `page`, or the free slot where it would go. */
  slot(page: number): number {
    let slot = this.home(page);
    for (;;) {
      const key = this.slots[2 * slot];
      if (key === page || key === EMPTY) return slot;
      slot = (slot + 1) & this.mask;
    }
  }

  /** True when `slot` holds a page. */
  used(slot: number): boolean {
    return this.slots[2 * slot] !== EMPTY;
  }

  /** The value in `slot`. */
  value(slot: number): number {
    return this.slots[2 * slot + 1];
  }

  /** The value of `page`, or -1 if absent. */
  find(page: number): number {
    const slot = this.slot(page);
    return this.slots[2 * slot] === EMPTY ? -1 : this.slots[2 * slot + 1];
  }

  /** Stores page -> value in a slot returned by slot(). */
  set(slot: number, page: number, value: number): void {
    this.slots[2 * slot] = page;
    this.slots[2 * slot + 1] = value;
  }

  /** Removes `page` and shifts later entries of its probe run back into the hole. */
  remove(page: number): void {
    let hole = this.slot(page);
    let next = hole;
    for (;;) {
      next = (next + 1) & this.mask;
      const key = this.slots[2 * next];
      if (key === EMPTY) break;
      const h = this.home(key);
      const stays = hole <= next ? h > hole && h <= next : h > hole || h <= next;
      if (!stays) {
        this.set(hole, key, this.slots[2 * next + 1]);
        hole = next;
      }
    }
    this.slots[2 * hole] = EMPTY;
  }
}

/** The generated access patterns, drawing pages exactly as assembly/page-cache.ts generatePage() does. */
class PatternStream {
  cursor = 0;
  readonly hotPages: number;
  readonly random: Xorshift32;

  /** A stream over a file of `filePages` pages, seeded like the kernel's. */
  constructor(readonly filePages: number, readonly stride: number, seed: number) {
    this.hotPages = Math.floor(filePages / 5) > 0 ? Math.floor(filePages / 5) : 1;
    this.random = new Xorshift32(seed);
  }

  /** The next page of `pattern` (any pattern id but TRACE). */
  next(pattern: number): number {
    if (pattern === SEQUENTIAL) {
      const page = this.cursor;
      this.cursor = this.cursor + 1 === this.filePages ? 0 : this.cursor + 1;
      return page;
    }
    if (pattern === RANDOM) return this.random.next() % this.filePages;
    if (pattern === STRIDED) {
      const page = this.cursor;
      this.cursor = (this.cursor + this.stride) % this.filePages;
      return page;
    }
    // HOT_COLD: 80% of accesses to the first 20% of the pages.
    const cold = this.filePages - this.hotPages;
    if (cold === 0 || this.random.next() % 10 < 8) return this.random.next() % this.hotPages;
    return this.hotPages + (this.random.next() % cold);
  }
}

/** One simulation run: the cache, its policy state, readahead state and counters. */
class PageCacheRun {
  // configuration
  readonly policy: number;
  readonly capacity: number;
  readonly readaheadInit: number;
  readonly readaheadMax: number;
  readonly windowLimit: number;
  readonly filePages: number;
  // frames
  readonly framePage: Int32Array;
  readonly prevFrame: Int32Array;
  readonly nextFrame: Int32Array;
  readonly flags: Uint8Array;
  /** OPT's max-heap: entry i is heap[2i] (next use, the key) and heap[2i + 1] (frame). */
  readonly heap: Int32Array;
  readonly heapPos: Int32Array;
  table: PageTable;
  nextUse: Int32Array = new Int32Array(0);
  // logs
  readonly samples: Int32Array;
  readonly events: Int32Array | null;
  readonly requests: number[] | null;
  // state
  used = 0;
  head = -1;
  tail = -1;
  hand = 0;
  hits = 0;
  misses = 0;
  evictions = 0;
  readaheadPages = 0;
  readaheadUsed = 0;
  readaheadWasted = 0;
  diskRequests = 0;
  diskPages = 0;
  diskSeeks = 0;
  lastDiskEnd = -1;
  windowStart = 0;
  windowSize = 0;
  marker = -1;
  prevPage = -1;
  lastEvicted = -1;

  /** Allocates the frames, index and logs for one run of `input`. */
  constructor(input: CacheRunInput) {
    this.policy = policyId(input.policy);
    this.capacity = input.capacity;
    this.readaheadMax = input.readaheadMax;
    this.readaheadInit = input.readaheadInit;
    this.windowLimit = input.capacity >> 1 > 1 ? input.capacity >> 1 : 1;
    this.filePages = input.filePages;
    const n = input.capacity;
    this.framePage = new Int32Array(n);
    this.prevFrame = new Int32Array(n);
    this.nextFrame = new Int32Array(n);
    this.flags = new Uint8Array(n);
    this.heap = new Int32Array(2 * n);
    this.heapPos = new Int32Array(n);
    this.table = new PageTable(n);
    this.samples = new Int32Array(input.samples);
    this.events = input.logEvents ? new Int32Array(3 * input.accesses) : null;
    this.requests = input.logRequests ? [] : null;
  }

  // ---- recency list (LRU, FIFO)

  /** Puts `frame` at the most-recent end of the list. */
  pushFront(frame: number): void {
    this.prevFrame[frame] = -1;
    this.nextFrame[frame] = this.head;
    if (this.head >= 0) this.prevFrame[this.head] = frame;
    else this.tail = frame;
    this.head = frame;
  }

  /** Takes `frame` out of the list. */
  unlink(frame: number): void {
    const p = this.prevFrame[frame];
    const n = this.nextFrame[frame];
    if (p >= 0) this.nextFrame[p] = n;
    else this.head = n;
    if (n >= 0) this.prevFrame[n] = p;
    else this.tail = p;
  }

  // ---- OPT's max-heap of next uses

  /** Writes the entry (key, frame) at `pos` and records where the frame now is. */
  heapSet(pos: number, key: number, frame: number): void {
    this.heap[2 * pos] = key;
    this.heap[2 * pos + 1] = frame;
    this.heapPos[frame] = pos;
  }

  /** Places (key, frame) at `pos` or above it, moving later next uses up. */
  siftUp(pos: number, key: number, frame: number): void {
    const heap = this.heap;
    while (pos > 0) {
      const parent = (pos - 1) >> 1;
      if (heap[2 * parent] >= key) break;
      this.heapSet(pos, heap[2 * parent], heap[2 * parent + 1]);
      pos = parent;
    }
    this.heapSet(pos, key, frame);
  }

  /** Places (key, frame) at `pos` or below it, moving later next uses up past it. */
  siftDown(pos: number, key: number, frame: number): void {
    const heap = this.heap;
    for (;;) {
      let child = 2 * pos + 1;
      if (child >= this.used) break;
      if (child + 1 < this.used && heap[2 * child + 2] > heap[2 * child]) child++;
      if (heap[2 * child] <= key) break;
      this.heapSet(pos, heap[2 * child], heap[2 * child + 1]);
      pos = child;
    }
    this.heapSet(pos, key, frame);
  }

  /** nextUse[i] = index of the next access to trace[i]'s page, NEVER if none (walks backwards). */
  computeNextUse(trace: Int32Array): void {
    const length = trace.length;
    const table = new PageTable(length < this.filePages ? length : this.filePages);
    this.nextUse = new Int32Array(length);
    for (let i = length - 1; i >= 0; i--) {
      const page = trace[i];
      const slot = table.slot(page);
      this.nextUse[i] = table.used(slot) ? table.value(slot) : NEVER;
      table.set(slot, page, i);
    }
  }

  // ---- policies

  /** The policy's bookkeeping for a hit on `frame` at access `i`. */
  touch(frame: number, i: number): void {
    if (this.policy === LRU) {
      if (frame !== this.head) {
        this.unlink(frame);
        this.pushFront(frame);
      }
    } else if (this.policy === CLOCK) {
      this.flags[frame] |= REFERENCED;
    } else if (this.policy === OPT) {
      this.siftUp(this.heapPos[frame], this.nextUse[i], frame);
    }
  }

  /** The frame to reuse when all are full, detached from the policy's structure. */
  victim(): number {
    if (this.policy === CLOCK) {
      for (;;) {
        const frame = this.hand;
        this.hand = this.hand + 1 === this.capacity ? 0 : this.hand + 1;
        const f = this.flags[frame];
        if (f & REFERENCED) this.flags[frame] = f & ~REFERENCED;
        else return frame;
      }
    }
    if (this.policy === OPT) return this.heap[1];
    const frame = this.tail;
    this.unlink(frame);
    return frame;
  }

  /** Brings `page` into a frame, evicting if full; `demanded` is false for readahead pages. */
  insertPage(page: number, demanded: boolean, i: number): void {
    let frame: number;
    let fresh = false;
    if (this.used < this.capacity) {
      frame = this.used++;
      fresh = true;
    } else {
      frame = this.victim();
      const old = this.framePage[frame];
      this.table.remove(old);
      this.evictions++;
      if (this.flags[frame] & READAHEAD_UNUSED) this.readaheadWasted++;
      if (demanded) this.lastEvicted = old;
    }
    this.framePage[frame] = page;
    this.table.set(this.table.slot(page), page, frame);
    this.flags[frame] = demanded ? REFERENCED : READAHEAD_UNUSED;
    if (this.policy === LRU || this.policy === FIFO) {
      this.pushFront(frame);
    } else if (this.policy === OPT) {
      if (fresh) this.siftUp(this.used - 1, this.nextUse[i], frame);
      else this.siftDown(0, this.nextUse[i], frame);
    }
  }

  // ---- disk requests and readahead

  /** Ends a run of pages read from disk as one request. */
  closeRun(start: number, length: number): void {
    if (length === 0) return;
    this.diskRequests++;
    this.diskPages += length;
    if (start !== this.lastDiskEnd) this.diskSeeks++;
    this.lastDiskEnd = start + length;
    if (this.requests) this.requests.push(start, length);
  }

  /** Reads the uncached pages of [start, start + count) (clipped to the file) as contiguous requests. */
  fetch(start: number, count: number, demand: number, i: number): void {
    const end = count > this.filePages - start ? this.filePages : start + count;
    let runStart = start;
    let runLength = 0;
    for (let page = start; page < end; page++) {
      if (page !== demand && this.table.find(page) >= 0) {
        this.closeRun(runStart, runLength);
        runLength = 0;
        continue;
      }
      this.insertPage(page, page === demand, i);
      if (page !== demand) this.readaheadPages++;
      if (runLength === 0) runStart = page;
      runLength++;
    }
    this.closeRun(runStart, runLength);
  }

  /** Sequential miss: a fresh or doubled window from `page`, marker on the next page. */
  syncReadahead(page: number, i: number): void {
    let size = this.windowSize === 0 ? this.readaheadInit : this.windowSize * 2;
    if (size > this.readaheadMax) size = this.readaheadMax;
    if (size > this.windowLimit) size = this.windowLimit;
    this.windowStart = page;
    this.windowSize = size;
    this.marker = size > 1 && page + 1 < this.filePages ? page + 1 : -1;
    this.fetch(page, size, page, i);
  }

  /** Hit on the marker: the next, doubled window ahead of the reader; its first page is the new marker. */
  asyncReadahead(i: number): void {
    const start = this.windowStart + this.windowSize;
    let size = this.windowSize * 2;
    if (size > this.readaheadMax) size = this.readaheadMax;
    if (size > this.windowLimit) size = this.windowLimit;
    this.windowStart = start;
    this.windowSize = size;
    this.marker = start < this.filePages ? start : -1;
    if (start < this.filePages) this.fetch(start, size, -1, i);
  }

  /** A miss: demand fetch, with readahead if sequential. */
  miss(page: number, i: number): void {
    if (this.readaheadMax > 0 && (page === this.prevPage + 1 || page === 0)) {
      this.syncReadahead(page, i);
    } else {
      this.windowSize = 0;
      this.marker = -1;
      this.insertPage(page, true, i);
      this.closeRun(page, 1);
    }
  }

  /** One access: lookup, hit or miss bookkeeping, readahead. */
  access(page: number, i: number): void {
    this.lastEvicted = -1;
    const frame = this.table.find(page);
    const hit = frame >= 0;
    if (hit) {
      this.hits++;
      const f = this.flags[frame];
      if (f & READAHEAD_UNUSED) {
        this.flags[frame] = f & ~READAHEAD_UNUSED;
        this.readaheadUsed++;
      }
      this.touch(frame, i);
      if (page === this.marker) this.asyncReadahead(i);
    } else {
      this.misses++;
      this.miss(page, i);
    }
    this.prevPage = page;
    if (this.events) {
      this.events[3 * i] = page;
      this.events[3 * i + 1] = hit ? 1 : 0;
      this.events[3 * i + 2] = this.lastEvicted;
    }
  }

  // ---- the loop

  /** The access loop, with cumulative-hit samples. */
  simulate(pattern: number, length: number, trace: Int32Array | null, stream: PatternStream): void {
    const points = this.samples.length;
    let nextSample = points > 0 ? Math.floor(length / points) : -1;
    let j = 0;
    for (let i = 0; i < length; i++) {
      const page = pattern === TRACE ? trace![i] : stream.next(pattern);
      this.access(page, i);
      if (i + 1 === nextSample) {
        this.samples[j] = this.hits;
        nextSample = j + 1 < points ? Math.floor(((j + 2) * length) / points) : -1;
        j++;
      }
    }
  }

  /** Counts readahead pages still unread at the end as wasted. */
  finish(): void {
    for (let frame = 0; frame < this.used; frame++) {
      if (this.flags[frame] & READAHEAD_UNUSED) this.readaheadWasted++;
    }
  }
}

/**
 * Runs the same simulation as the WebAssembly kernel, in plain TypeScript; inputs must already be
 * validated (src/model/page-cache.ts does that). Called by tests and by the benchmark.
 */
export function runPageCacheTwin(input: CacheRunInput): CacheRunOutput {
  const run = new PageCacheRun(input);
  const stream = new PatternStream(input.filePages, input.stride, input.seed);
  let pattern = patternId(input.pattern);
  let trace = input.trace ?? null;
  if (run.policy === OPT) {
    if (pattern !== TRACE) {
      trace = new Int32Array(input.accesses);
      for (let i = 0; i < input.accesses; i++) trace[i] = stream.next(pattern);
    }
    run.computeNextUse(trace!.subarray(0, input.accesses));
    pattern = TRACE;
  }
  run.simulate(pattern, input.accesses, trace, stream);
  run.finish();
  return {
    counters: {
      accesses: run.hits + run.misses,
      hits: run.hits,
      misses: run.misses,
      evictions: run.evictions,
      readaheadPages: run.readaheadPages,
      readaheadUsed: run.readaheadUsed,
      readaheadWasted: run.readaheadWasted,
      diskRequests: run.diskRequests,
      diskPages: run.diskPages,
      diskSeeks: run.diskSeeks,
      resident: run.used,
    },
    samples: run.samples,
    events: run.events,
    requests: run.requests ? Int32Array.from(run.requests) : null,
  };
}

/** What patternPages() needs: a generated pattern and its parameters (defaults as in CacheOptions). */
export interface PatternOptions {
  pattern: Exclude<PatternName, "trace">;
  accesses: number;
  filePages?: number;
  stride?: number;
  seed?: number;
}

/** The pages a generated pattern visits, in order; notebooks plot them, and tests replay them as traces. */
export function patternPages(options: PatternOptions): number[] {
  const input = normalizeCacheOptions({ ...options, capacity: 1, readaheadMax: 0 });
  const stream = new PatternStream(input.filePages, input.stride, input.seed);
  const id = patternId(input.pattern);
  return Array.from({ length: input.accesses }, () => stream.next(id));
}
