// The page cache: a fixed number of 4 KiB frames, a replacement policy, and Linux-style readahead.
// Like the OSTEP homework simulator paging-policy.py, it replays a stream of page accesses and counts
// hits and misses; unlike it, misses also start readahead and are turned into disk requests.
//
// Everything lives in preallocated parallel arrays in linear memory (no allocation per access):
//   framePage[f]       page held by frame f
//   prev[f], next[f]   doubly linked list, most recent first (LRU: recency, FIFO: arrival)
//   flags[f]           REFERENCED (CLOCK's use bit) | READAHEAD_UNUSED (brought in, not read yet)
//   heap[i], heapPos[f]   OPT: a max-heap of (next use, frame) pairs, and where each frame sits in it
// The index page -> frame is assembly/page-table.ts. src/model/page-cache-twin.ts is this file again
// in plain TypeScript; tests require both to agree exactly, so change them together.
import { tableReset, tableFind, tableRemove, tableSlot, slotUsed, slotValue, slotSet } from "./page-table";
import { seedRandom, nextRandom } from "./random";

/** Replacement policies; src/model/vocabulary.ts names them in this order. */
export const LRU: i32 = 0; // evict the least recently used page
export const CLOCK: i32 = 1; // second chance: sweep a hand, skip (and clear) pages used since its last pass
export const FIFO: i32 = 2; // evict the page that came in first, however often it is used
export const OPT: i32 = 3; // Belady's optimum: evict the page used farthest in the future (needs the whole trace)

/** Access patterns; src/model/vocabulary.ts names them in this order. */
export const SEQUENTIAL: i32 = 0; // 0, 1, 2, ... wrapping at the end of the file
export const RANDOM: i32 = 1; // uniform over the file, from the seeded xorshift32
export const STRIDED: i32 = 2; // 0, s, 2s, ... modulo the file size
export const HOT_COLD: i32 = 3; // 80% of accesses to the first 20% of the file (OSTEP's "80-20" workload)
export const TRACE: i32 = 4; // replay the pages the caller wrote into the trace buffer

/** Counter slots of the last run; src/model/vocabulary.ts names them in this order. */
export const C_ACCESSES: i32 = 0;
export const C_HITS: i32 = 1;
export const C_MISSES: i32 = 2;
export const C_EVICTIONS: i32 = 3;
export const C_READAHEAD_PAGES: i32 = 4; // pages brought in by readahead (not demanded)
export const C_READAHEAD_USED: i32 = 5; // ... of which later accessed
export const C_READAHEAD_WASTED: i32 = 6; // ... of which evicted unread, or still unread at the end
export const C_DISK_REQUESTS: i32 = 7; // contiguous runs of pages read from disk
export const C_DISK_PAGES: i32 = 8; // pages read from disk (misses + readahead pages)
export const C_DISK_SEEKS: i32 = 9; // requests that do not start where the previous one ended
export const C_RESIDENT: i32 = 10; // frames in use at the end
export const CACHE_COUNTER_COUNT: i32 = 11;

/** Status codes; the TS facade validates first, so these only guard direct callers. */
export const OK: i32 = 0;
export const BAD_POLICY: i32 = 1;
export const BAD_CAPACITY: i32 = 2;
export const BAD_READAHEAD: i32 = 3;
export const BAD_PATTERN: i32 = 4;
export const BAD_ACCESSES: i32 = 5;
export const BAD_FILE_PAGES: i32 = 6;
export const BAD_STRIDE: i32 = 7;
export const BAD_SAMPLES: i32 = 8;
export const BAD_TRACE: i32 = 9;
export const OPT_NEEDS_NO_READAHEAD: i32 = 10;

/** Limits, shared with the facade through exports. */
export const MAX_CAPACITY: i32 = 1 << 22; // 16 GiB of 4 KiB pages
export const MAX_FILE_PAGES: i32 = 1 << 30; // a 4 TiB file
export const MAX_ACCESSES: i32 = 0x7fffffff;
export const MAX_BUFFERED_ACCESSES: i32 = 1 << 25; // OPT, traces and logs keep 4-8 bytes per access
export const MAX_READAHEAD: i32 = 1 << 16;

const REFERENCED: u8 = 1;
const READAHEAD_UNUSED: u8 = 2;
const NEVER: i32 = 0x7fffffff; // OPT's next use of a page that is not used again

// --- configuration ---
let policy: i32 = LRU;
let capacity: i32 = 0;
let readaheadInit: i32 = 0; // first window on a sequential miss, pages
let readaheadMax: i32 = 0; // largest window, pages; 0 turns readahead off
let windowLimit: i32 = 0; // readahead never takes more than half the cache (see syncReadahead)

// --- buffers (pointers into linear memory, grown on demand, never shrunk) ---
let framePage: usize = 0;
let prevFrame: usize = 0;
let nextFrame: usize = 0;
let flags: usize = 0;
let heapArr: usize = 0; // 8 bytes per entry: i32 next use (the key), then i32 frame
let heapPos: usize = 0;
let framesAllocated: i32 = 0;
let trace: usize = 0; // i32 page per access (TRACE input, and OPT's materialised stream)
let nextUse: usize = 0; // i32 index of the next access to the same page (OPT)
let traceAllocated: i32 = 0;
let samples: usize = 0; // i32 cumulative hits at each sample point
let samplesAllocated: i32 = 0;
let events: usize = 0; // i32 triples per access: the page, 1 hit / 0 miss, the page its demand fetch evicted or -1
let eventsAllocated: i32 = 0;
let requests: usize = 0; // i32 pairs per disk request: first page, page count
let requestsAllocated: i32 = 0;

// --- state of one run ---
let used: i32 = 0; // frames holding a page
let head: i32 = -1; // most recent frame of the list
let tail: i32 = -1; // least recent frame
let hand: i32 = 0; // CLOCK's hand
let filePages: i32 = 1;
let hits: i32 = 0;
let misses: i32 = 0;
let evictions: f64 = 0;
let readaheadPages: f64 = 0;
let readaheadUsed: f64 = 0;
let readaheadWasted: f64 = 0;
let diskRequests: f64 = 0;
let diskPages: f64 = 0;
let diskSeeks: f64 = 0;
let lastDiskEnd: i32 = -1;
let windowStart: i32 = 0; // current readahead window [windowStart, windowStart + windowSize)
let windowSize: i32 = 0;
let marker: i32 = -1; // the page whose hit starts the next (asynchronous) readahead
let prevPage: i32 = -1;
let cursor: u32 = 0; // next page of the sequential and strided patterns
let hotPages: i32 = 1; // size of the hot set of the 80-20 pattern
let lastEvicted: i32 = -1;
let logEvents: bool = false;
let logRequests: bool = false;
let requestCount: i32 = 0;

const counters = new StaticArray<f64>(CACHE_COUNTER_COUNT);

// ---------------------------------------------------------------- raw arrays

/** Element i of the i32 array at `base`. */
// @ts-ignore: decorator
@inline function get(base: usize, i: i32): i32 {
  return load<i32>(base + (<usize>i << 2));
}

/** Sets element i of the i32 array at `base`. */
// @ts-ignore: decorator
@inline function put(base: usize, i: i32, value: i32): void {
  store<i32>(base + (<usize>i << 2), value);
}

/** The REFERENCED / READAHEAD_UNUSED bits of a frame. */
// @ts-ignore: decorator
@inline function flagsOf(frame: i32): u8 {
  return load<u8>(flags + <usize>frame);
}

/** Sets the bits of a frame. */
// @ts-ignore: decorator
@inline function setFlags(frame: i32, value: u8): void {
  store<u8>(flags + <usize>frame, value);
}

/** Frees `old` and returns a fresh buffer of `bytes`; called when a run needs more than was allocated. */
function regrow(old: usize, bytes: usize): usize {
  if (old) heap.free(old);
  return heap.alloc(bytes);
}

/** Makes the frame arrays hold `frames` entries; called by cacheConfigure(). */
function ensureFrames(frames: i32): void {
  if (frames <= framesAllocated) return;
  const bytes = <usize>frames << 2;
  framePage = regrow(framePage, bytes);
  prevFrame = regrow(prevFrame, bytes);
  nextFrame = regrow(nextFrame, bytes);
  heapArr = regrow(heapArr, bytes << 1);
  heapPos = regrow(heapPos, bytes);
  flags = regrow(flags, <usize>frames);
  framesAllocated = frames;
}

/** Makes the trace and next-use arrays hold `length` accesses; called by cacheTraceBuffer() and OPT runs. */
function ensureTrace(length: i32): void {
  if (length <= traceAllocated) return;
  trace = regrow(trace, <usize>length << 2);
  nextUse = regrow(nextUse, <usize>length << 2);
  traceAllocated = length;
}

// ---------------------------------------------------------------- the recency list (LRU, FIFO)

/** Puts `frame` at the most-recent end of the list. */
// @ts-ignore: decorator
@inline function pushFront(frame: i32): void {
  put(prevFrame, frame, -1);
  put(nextFrame, frame, head);
  if (head >= 0) put(prevFrame, head, frame);
  else tail = frame;
  head = frame;
}

/** Takes `frame` out of the list. */
// @ts-ignore: decorator
@inline function unlink(frame: i32): void {
  const p = get(prevFrame, frame);
  const n = get(nextFrame, frame);
  if (p >= 0) put(nextFrame, p, n);
  else head = n;
  if (n >= 0) put(prevFrame, n, p);
  else tail = p;
}

// ---------------------------------------------------------------- OPT's max-heap of next uses

// Each heap entry carries its key, so a comparison is one load, and siblings share a cache line.

/** The next use (key) of the heap entry at `pos`. */
// @ts-ignore: decorator
@inline function heapKey(pos: i32): i32 {
  return load<i32>(heapArr + (<usize>pos << 3));
}

/** The frame of the heap entry at `pos`. */
// @ts-ignore: decorator
@inline function heapFrame(pos: i32): i32 {
  return load<i32>(heapArr + (<usize>pos << 3), 4);
}

/** Writes the entry (key, frame) at `pos` and records where the frame now is. */
// @ts-ignore: decorator
@inline function heapSet(pos: i32, key: i32, frame: i32): void {
  store<i32>(heapArr + (<usize>pos << 3), key);
  store<i32>(heapArr + (<usize>pos << 3), frame, 4);
  put(heapPos, frame, pos);
}

/** Places (key, frame) at `pos` or above it: moves it up while its next use is later than its parent's. */
function siftUp(pos: i32, key: i32, frame: i32): void {
  while (pos > 0) {
    const parent = (pos - 1) >> 1;
    if (heapKey(parent) >= key) break;
    heapSet(pos, heapKey(parent), heapFrame(parent));
    pos = parent;
  }
  heapSet(pos, key, frame);
}

/** Places (key, frame) at `pos` or below it: moves it down while a child's next use is later. */
function siftDown(pos: i32, key: i32, frame: i32): void {
  while (true) {
    let child = 2 * pos + 1;
    if (child >= used) break;
    if (child + 1 < used && heapKey(child + 1) > heapKey(child)) child++;
    if (heapKey(child) <= key) break;
    heapSet(pos, heapKey(child), heapFrame(child));
    pos = child;
  }
  heapSet(pos, key, frame);
}

/**
 * Fills nextUse[i] with the index of the next access to trace[i]'s page (NEVER if none), walking the
 * trace backwards with the page table as "last seen at"; OPT's precomputation, called by cacheRun().
 */
function computeNextUse(length: i32): void {
  tableReset(length < filePages ? length : filePages);
  for (let i = length - 1; i >= 0; i--) {
    const page = get(trace, i);
    const slot = tableSlot(page);
    put(nextUse, i, slotUsed(slot) ? slotValue(slot) : NEVER);
    slotSet(slot, page, i);
  }
}

// ---------------------------------------------------------------- policies

/** Updates the policy's bookkeeping for a hit on `frame` at access `i`; called by access(). */
// @ts-ignore: decorator
@inline function touch(frame: i32, i: i32): void {
  if (policy == LRU) {
    if (frame != head) {
      unlink(frame);
      pushFront(frame);
    }
  } else if (policy == CLOCK) {
    setFlags(frame, flagsOf(frame) | REFERENCED);
  } else if (policy == OPT) {
    // The page was due now; its next use is later, so it rises in the max-heap.
    siftUp(get(heapPos, frame), get(nextUse, i), frame);
  }
  // FIFO: a hit changes nothing; the order is arrival order.
}

/** Picks the frame to reuse when all frames are full, and detaches it from the policy's structure. */
function victim(): i32 {
  if (policy == CLOCK) {
    // "When a replacement must occur, the OS checks if the currently-pointed to page P has a use bit
    // of 1 or 0. If 1 ... the use bit for P set to 0 (cleared), and the clock hand is incremented" (OSTEP 22.8).
    while (true) {
      const frame = hand;
      hand = hand + 1 == capacity ? 0 : hand + 1;
      const f = flagsOf(frame);
      if (f & REFERENCED) setFlags(frame, f & ~REFERENCED);
      else return frame;
    }
  }
  if (policy == OPT) return heapFrame(0); // farthest next use
  const frame = tail; // LRU: least recently used; FIFO: first in
  unlink(frame);
  return frame;
}

/** Brings `page` into a frame, evicting if the cache is full; `demanded` is false for readahead pages. */
function insertPage(page: i32, demanded: bool, i: i32): void {
  let frame: i32;
  let fresh = false;
  if (used < capacity) {
    frame = used++;
    fresh = true;
  } else {
    frame = victim();
    const old = get(framePage, frame);
    tableRemove(old);
    evictions += 1;
    if (flagsOf(frame) & READAHEAD_UNUSED) readaheadWasted += 1; // read ahead, never read
    if (demanded) lastEvicted = old;
  }
  put(framePage, frame, page);
  slotSet(tableSlot(page), page, frame);
  // A demanded page starts with its use bit set; a page read ahead has not been used yet
  // (Linux, too, marks a page accessed only when someone reads it).
  setFlags(frame, demanded ? REFERENCED : READAHEAD_UNUSED);
  if (policy == LRU || policy == FIFO) {
    pushFront(frame);
  } else if (policy == OPT) {
    // A fresh frame joins at the bottom; a reused one was the root (the victim) and sinks from there.
    if (fresh) siftUp(used - 1, get(nextUse, i), frame);
    else siftDown(0, get(nextUse, i), frame);
  }
  // CLOCK: the frame stays where it is on the clock face; the hand has already moved past it.
}

// ---------------------------------------------------------------- disk requests and readahead

/** Ends the current run of pages read from disk as one request; called by fetch(). */
function closeRun(start: i32, length: i32): void {
  if (length == 0) return;
  diskRequests += 1;
  diskPages += length;
  if (start != lastDiskEnd) diskSeeks += 1;
  lastDiskEnd = start + length;
  if (logRequests) {
    put(requests, 2 * requestCount, start);
    put(requests, 2 * requestCount + 1, length);
    requestCount++;
  }
}

/**
 * Reads pages [start, start + count) that are not cached yet (clipped to the file), as contiguous
 * disk requests; `demand` is the page the reader asked for (-1 for asynchronous readahead).
 */
function fetch(start: i32, count: i32, demand: i32, i: i32): void {
  const end = count > filePages - start ? filePages : start + count;
  let runStart = start;
  let runLength = 0;
  for (let page = start; page < end; page++) {
    if (page != demand && tableFind(page) >= 0) {
      // Already cached: readahead skips it, which splits the request.
      closeRun(runStart, runLength);
      runLength = 0;
      continue;
    }
    insertPage(page, page == demand, i);
    if (page != demand) readaheadPages += 1;
    if (runLength == 0) runStart = page;
    runLength++;
  }
  closeRun(runStart, runLength);
}

// Readahead, a simplified version of Linux's on-demand readahead (mm/readahead.c):
//  - A miss on the page after the previous one (or on page 0, "start of file") is sequential:
//    read a window starting at the missed page, 4 pages first (readaheadInit), doubling on every
//    further sequential miss, capped at readaheadMax (read_ahead_kb = 128 KiB = 32 pages by default).
//    The page after the missed one is marked (Linux's PG_readahead).
//  - A hit on the marked page reads the next window asynchronously, before the reader gets there:
//    it starts where the current window ends, is twice as large (capped), and its first page
//    becomes the new marker.
//  - Any other miss is random: read just that page and forget the stream.
// Simplified against Linux: one stream per file, no 4x growth for small windows, no look-back
// into the page cache to recover a lost stream, and a window never exceeds half the cache (so
// readahead cannot evict the page it was started for).

/** Sequential miss on `page`: reads it with a fresh or doubled window and sets the marker. */
function syncReadahead(page: i32, i: i32): void {
  let size = windowSize == 0 ? readaheadInit : windowSize * 2;
  if (size > readaheadMax) size = readaheadMax;
  if (size > windowLimit) size = windowLimit;
  windowStart = page;
  windowSize = size;
  marker = size > 1 && page + 1 < filePages ? page + 1 : -1;
  fetch(page, size, page, i);
}

/** Hit on the marker: reads the next window ahead of the reader and moves the marker to its start. */
function asyncReadahead(i: i32): void {
  const start = windowStart + windowSize;
  let size = windowSize * 2;
  if (size > readaheadMax) size = readaheadMax;
  if (size > windowLimit) size = windowLimit;
  windowStart = start;
  windowSize = size;
  marker = start < filePages ? start : -1;
  if (start < filePages) fetch(start, size, -1, i);
}

/** A miss on `page`: a demand fetch, with readahead if the access looks sequential. */
function miss(page: i32, i: i32): void {
  if (readaheadMax > 0 && (page == prevPage + 1 || page == 0)) {
    syncReadahead(page, i);
  } else {
    // A random miss reads just this page: one request of one page, and the stream is forgotten.
    windowSize = 0;
    marker = -1;
    insertPage(page, true, i);
    closeRun(page, 1);
  }
}

/** One access to `page` (the i-th): lookup, hit or miss bookkeeping, readahead; the simulation's inner step. */
// @ts-ignore: decorator
@inline function access(page: i32, i: i32): void {
  lastEvicted = -1;
  const frame = tableFind(page);
  const hit = frame >= 0;
  if (hit) {
    hits++;
    const f = flagsOf(frame);
    if (f & READAHEAD_UNUSED) {
      setFlags(frame, f & ~READAHEAD_UNUSED);
      readaheadUsed += 1;
    }
    touch(frame, i);
    if (page == marker) asyncReadahead(i);
  } else {
    misses++;
    miss(page, i);
  }
  prevPage = page;
  if (logEvents) {
    put(events, 3 * i, page);
    put(events, 3 * i + 1, hit ? 1 : 0);
    put(events, 3 * i + 2, lastEvicted);
  }
}

// ---------------------------------------------------------------- the run

/** Sets policy, capacity (pages) and readahead windows (pages) for the next runs; called by the TS facade. */
export function cacheConfigure(pol: i32, frames: i32, raInit: i32, raMax: i32): i32 {
  if (pol < LRU || pol > OPT) return BAD_POLICY;
  if (frames < 1 || frames > MAX_CAPACITY) return BAD_CAPACITY;
  if (raMax < 0 || raMax > MAX_READAHEAD || (raMax > 0 && (raInit < 1 || raInit > raMax))) return BAD_READAHEAD;
  if (pol == OPT && raMax > 0) return OPT_NEEDS_NO_READAHEAD;
  policy = pol;
  capacity = frames;
  readaheadInit = raInit;
  readaheadMax = raMax;
  windowLimit = frames >> 1 > 1 ? frames >> 1 : 1;
  ensureFrames(frames);
  return OK;
}

/** Returns a buffer for `length` trace pages (i32) the caller fills before a TRACE run; 0 if too long. */
export function cacheTraceBuffer(length: i32): usize {
  if (length < 1 || length > MAX_BUFFERED_ACCESSES) return 0;
  ensureTrace(length);
  return trace;
}

/** Empties the cache and zeroes every counter; called at the start of each run. */
function resetState(): void {
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
  requestCount = 0;
  tableReset(capacity);
}

/** Positions the pattern generator at the start of the file; called before generating a stream. */
function startPattern(): void {
  cursor = 0;
  hotPages = filePages / 5 > 0 ? filePages / 5 : 1;
}

/** The next page of a generated pattern (not TRACE); the twin draws the same numbers in the same order. */
// @ts-ignore: decorator
@inline function generatePage(pattern: i32, stride: i32): i32 {
  if (pattern == SEQUENTIAL) {
    const page = cursor;
    cursor = cursor + 1 == <u32>filePages ? 0 : cursor + 1;
    return <i32>page;
  }
  if (pattern == RANDOM) return <i32>(nextRandom() % <u32>filePages);
  if (pattern == STRIDED) {
    const page = cursor;
    cursor = (cursor + <u32>stride) % <u32>filePages;
    return <i32>page;
  }
  // HOT_COLD, OSTEP's 80-20 workload: 80% of accesses go to the first 20% of the pages.
  const cold = filePages - hotPages;
  if (cold == 0 || nextRandom() % 10 < 8) return <i32>(nextRandom() % <u32>hotPages);
  return hotPages + <i32>(nextRandom() % <u32>cold);
}

/** Writes `length` generated pages into the trace buffer; OPT needs the whole stream up front. */
function materialise(pattern: i32, length: i32, stride: i32): void {
  startPattern();
  for (let i = 0; i < length; i++) put(trace, i, generatePage(pattern, stride));
}

/** Records the cumulative hits after access `i` if it is a sample point; returns the next point. */
function sample(j: i32, points: i32, length: i32): i32 {
  put(samples, j, hits);
  return j + 1 < points ? <i32>Math.floor(<f64>(j + 2) * <f64>length / <f64>points) : -1;
}

/**
 * Runs `length` accesses of `pattern` over a file of `filePages` pages on an empty cache, and fills the
 * counters (cacheCounter), `points` samples of cumulative hits (cacheSamples), and optionally a per-access
 * event log and the list of disk requests. Called by the TS facade (src/model/page-cache.ts).
 */
export function cacheRun(
  pattern: i32, length: i32, pages: i32, stride: i32, seed: u32, points: i32, log: i32,
): i32 {
  if (capacity == 0) return BAD_CAPACITY;
  if (pattern < SEQUENTIAL || pattern > TRACE) return BAD_PATTERN;
  const buffered = pattern == TRACE || policy == OPT || log != 0;
  if (length < 1 || (buffered && length > MAX_BUFFERED_ACCESSES)) return BAD_ACCESSES;
  if (pattern == TRACE && length > traceAllocated) return BAD_ACCESSES;
  if (pages < 1 || pages > MAX_FILE_PAGES) return BAD_FILE_PAGES;
  if (stride < 1 || stride > MAX_FILE_PAGES) return BAD_STRIDE;
  if (points < 0 || points > length) return BAD_SAMPLES;
  filePages = pages;
  if (pattern == TRACE) {
    for (let i = 0; i < length; i++) {
      const page = get(trace, i);
      if (page < 0 || page >= filePages) return BAD_TRACE;
    }
  }
  logEvents = (log & 1) != 0;
  logRequests = (log & 2) != 0;
  if (points > samplesAllocated) {
    samples = regrow(samples, <usize>points << 2);
    samplesAllocated = points;
  }
  if (logEvents && length > eventsAllocated) {
    events = regrow(events, <usize>length * 12);
    eventsAllocated = length;
  }
  if (logRequests && length > requestsAllocated) {
    requests = regrow(requests, <usize>length << 3);
    requestsAllocated = length;
  }
  seedRandom(seed);
  let source = pattern;
  if (policy == OPT) {
    ensureTrace(length);
    if (pattern != TRACE) materialise(pattern, length, stride);
    computeNextUse(length);
    source = TRACE;
  }
  resetState();
  simulate(source, length, stride, points);
  finish();
  return OK;
}

/** The access loop: takes each page (generated or replayed) and feeds it to access(). */
function simulate(pattern: i32, length: i32, stride: i32, points: i32): void {
  let nextSample = points > 0 ? <i32>Math.floor(<f64>length / <f64>points) : -1;
  let j = 0;
  startPattern();
  for (let i = 0; i < length; i++) {
    const page = pattern == TRACE ? get(trace, i) : generatePage(pattern, stride);
    access(page, i);
    if (i + 1 == nextSample) nextSample = sample(j++, points, length);
  }
}

/** Counts readahead pages still unread at the end as wasted and publishes the counters. */
function finish(): void {
  for (let frame = 0; frame < used; frame++) {
    if (flagsOf(frame) & READAHEAD_UNUSED) readaheadWasted += 1;
  }
  counters[C_ACCESSES] = hits + misses;
  counters[C_HITS] = hits;
  counters[C_MISSES] = misses;
  counters[C_EVICTIONS] = evictions;
  counters[C_READAHEAD_PAGES] = readaheadPages;
  counters[C_READAHEAD_USED] = readaheadUsed;
  counters[C_READAHEAD_WASTED] = readaheadWasted;
  counters[C_DISK_REQUESTS] = diskRequests;
  counters[C_DISK_PAGES] = diskPages;
  counters[C_DISK_SEEKS] = diskSeeks;
  counters[C_RESIDENT] = used;
}

/** One counter of the last run; called by the TS facade. */
export function cacheCounter(slot: i32): f64 {
  return counters[slot];
}

/** Where the last run's samples (i32 cumulative hits) are. */
export function cacheSamples(): usize {
  return samples;
}

/** Where the last run's event log (i32 pairs: hit, evicted page) is. */
export function cacheEvents(): usize {
  return events;
}

/** Where the last run's disk requests (i32 pairs: first page, pages) are. */
export function cacheRequests(): usize {
  return requests;
}

/** How many disk requests the last run logged. */
export function cacheRequestCount(): i32 {
  return requestCount;
}
