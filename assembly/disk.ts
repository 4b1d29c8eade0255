// The disk under the page cache, like OSTEP's disk.py homework simulator: a rotating disk has a head
// that seeks between tracks and waits for the platter to bring the block round, then transfers at the
// media rate; flash (SATA SSD, NVMe) has no moving parts, only a per-request latency and a bandwidth.
// Requests are 4 KiB blocks (the page cache's pages) numbered from 0, all queued at time 0 and served one
// at a time (queue depth 1) in the order the scheduling policy picks. src/model/disk.ts is the facade.

/** Disk kinds. */
export const ROTATING: i32 = 0;
export const FLASH: i32 = 1;

/** Scheduling policies (OSTEP 37.5): first come first served, shortest seek first, shortest access (positioning) time first. */
export const FIFO: i32 = 0;
export const SSTF: i32 = 1;
export const SATF: i32 = 2;

/** Fields of one served request in the result buffer, in service order. */
export const R_INDEX: i32 = 0; // arrival index of the request
export const R_START: i32 = 1; // when the disk starts on it, seconds
export const R_OVERHEAD: i32 = 2; // fixed command cost (flash: the read latency)
export const R_SEEK: i32 = 3;
export const R_ROTATE: i32 = 4;
export const R_TRANSFER: i32 = 5; // the bytes at the media rate
export const R_END: i32 = 6;
export const RESULT_FIELDS: i32 = 7;

/** Status codes. */
export const OK: i32 = 0;
export const BAD_KIND: i32 = 1;
export const BAD_GEOMETRY: i32 = 2;
export const BAD_REQUEST: i32 = 3;
export const BAD_POLICY: i32 = 4;

const BLOCK_BYTES: f64 = 4096;

// --- the disk's parameters (diskConfigure) ---
let kind: i32 = FLASH;
let bytesPerSecond: f64 = 1e9; // media rate (rotating: derived from rpm and blocksPerTrack)
let overheadSeconds: f64 = 0; // fixed cost of a request: controller/command time, flash read latency
let rotationSeconds: f64 = 0; // one revolution
let blocksPerTrack: i32 = 1;
let tracks: i32 = 1;
let trackToTrackSeconds: f64 = 0; // seek of one track
let fullStrokeSeconds: f64 = 0; // seek across the whole disk

// --- buffers ---
let requestsIn: usize = 0; // i32 pairs: first block, blocks
let results: usize = 0; // f64 x RESULT_FIELDS per request
let after: usize = 0; // i32 next pending request in arrival order (-1 at the end): a linked list of the queue
let allocated: i32 = 0;
let queueHead: i32 = -1; // oldest pending request

/** Sets a flash disk: every request costs `latency` seconds plus its bytes at `rate` bytes/s; called by the facade. */
export function diskConfigureFlash(rate: f64, latency: f64, blocks: f64): i32 {
  if (!(rate > 0) || !(latency >= 0) || !(blocks >= 1)) return BAD_GEOMETRY;
  kind = FLASH;
  bytesPerSecond = rate;
  overheadSeconds = latency;
  tracks = 1;
  blocksPerTrack = <i32>Math.min(blocks, 2147483647);
  return OK;
}

/**
 * Sets a rotating disk from its geometry: `rpm`, `perTrack` 4 KiB blocks per track, `trackCount` tracks,
 * seek times for one track and for the full stroke, and a fixed per-request overhead; called by the facade.
 */
export function diskConfigureRotating(
  rpm: f64, perTrack: i32, trackCount: i32, trackToTrack: f64, fullStroke: f64, overhead: f64,
): i32 {
  if (!(rpm > 0) || perTrack < 1 || trackCount < 1 || !(trackToTrack >= 0) || !(fullStroke >= trackToTrack) || !(overhead >= 0)) {
    return BAD_GEOMETRY;
  }
  if (<f64>perTrack * <f64>trackCount > 2147483647) return BAD_GEOMETRY;
  kind = ROTATING;
  rotationSeconds = 60 / rpm;
  blocksPerTrack = perTrack;
  tracks = trackCount;
  trackToTrackSeconds = trackToTrack;
  fullStrokeSeconds = fullStroke;
  overheadSeconds = overhead;
  bytesPerSecond = <f64>perTrack * BLOCK_BYTES / rotationSeconds;
  return OK;
}

/** Returns a buffer for `count` requests (i32 pairs: first block, blocks) the caller fills; 0 if too many. */
export function diskRequestBuffer(count: i32): usize {
  if (count < 1 || count > (1 << 24)) return 0;
  if (count > allocated) {
    if (requestsIn) heap.free(requestsIn);
    if (results) heap.free(results);
    if (after) heap.free(after);
    requestsIn = heap.alloc(<usize>count << 3);
    results = heap.alloc(<usize>count * RESULT_FIELDS << 3);
    after = heap.alloc(<usize>count << 2);
    allocated = count;
  }
  return requestsIn;
}

/** Where the results of the last diskRun are (f64, RESULT_FIELDS per request, in service order). */
export function diskResults(): usize {
  return results;
}

/** First block of request r. */
// @ts-ignore: decorator
@inline function firstBlock(r: i32): i32 {
  return load<i32>(requestsIn + (<usize>r << 3));
}

/** Blocks of request r. */
// @ts-ignore: decorator
@inline function blockCount(r: i32): i32 {
  return load<i32>(requestsIn + (<usize>r << 3) + 4);
}

/** Seek time over `distance` tracks: track-to-track plus a square-root rise to the full stroke (Ruemmler and Wilkes 1994, simplified). */
export function seekSeconds(distance: i32): f64 {
  if (distance == 0) return 0;
  const span = tracks > 1 ? <f64>(distance - 1) / <f64>(tracks - 1) : 0;
  return trackToTrackSeconds + (fullStrokeSeconds - trackToTrackSeconds) * Math.sqrt(span);
}

/** Time the platter needs from angle position at `time` to bring `block` under the head. */
function rotationWait(block: i32, time: f64): f64 {
  // Fraction of a turn done at `time`, and the fraction at which the block's sector starts.
  const turns = time / rotationSeconds;
  const angle = turns - Math.floor(turns);
  const target = <f64>(block % blocksPerTrack) / <f64>blocksPerTrack;
  let wait = target - angle;
  if (wait < 0) wait += 1;
  // Rounding can leave a hair below a full turn where the block is exactly under the head.
  if (wait > 1 - 1e-9) wait = 0;
  return wait * rotationSeconds;
}

// --- the head (state of a run) ---
let headTrack: i32 = 0;
let now: f64 = 0;
let lastEnd: i32 = -1; // block after the last one read

// Cost of serving request r next, filled by cost().
let costSeek: f64 = 0;
let costRotate: f64 = 0;
let costTransfer: f64 = 0;

/** Seek, rotation and transfer of request `r` if it were served next, from the head's track and the time now. */
function cost(r: i32): void {
  const block = firstBlock(r);
  if (kind == FLASH || block == lastEnd) {
    // Flash has no head. On a rotating disk, a request that continues where the last one ended is
    // served from the drive's track buffer, which kept reading while the next command came in.
    costSeek = 0;
    costRotate = 0;
  } else {
    const track = block / blocksPerTrack;
    costSeek = seekSeconds(track > headTrack ? track - headTrack : headTrack - track);
    costRotate = rotationWait(block, now + overheadSeconds + costSeek);
  }
  // Transfer at the media rate; a request spanning tracks is assumed to cross them without losing a turn
  // (track skew hides the head switch), a simplification OSTEP's simulator also makes.
  costTransfer = <f64>blockCount(r) * BLOCK_BYTES / bytesPerSecond;
}

/** The request queued after r, -1 if none. */
// @ts-ignore: decorator
@inline function nextInQueue(r: i32): i32 {
  return load<i32>(after + (<usize>r << 2));
}

/**
 * Picks the request to serve next among the `window` oldest pending ones (all if window <= 0);
 * returns the request before it in the queue (-1 if it is the oldest), so it can be unlinked.
 */
function pickPredecessor(policy: i32, window: i32): i32 {
  if (policy == FIFO || kind == FLASH) return -1; // flash: no head, so the order changes nothing
  let best = -1;
  let bestCost = Infinity;
  let before = -1;
  let looked = 0;
  for (let r = queueHead; r >= 0 && (window <= 0 || looked < window); r = nextInQueue(r)) {
    let c: f64;
    if (policy == SSTF) {
      const track = firstBlock(r) / blocksPerTrack;
      c = <f64>(track > headTrack ? track - headTrack : headTrack - track);
    } else {
      cost(r);
      c = costSeek + costRotate; // SATF: positioning time, seek plus rotation
    }
    if (c < bestCost) {
      bestCost = c;
      best = before;
    }
    before = r;
    looked++;
  }
  return best;
}

/**
 * Serves `count` requests from the request buffer, starting with the head on track 0 at angle 0 at time 0,
 * in the order `policy` picks with a lookahead of `window` requests; writes one result row per request.
 */
export function diskRun(count: i32, policy: i32, window: i32): i32 {
  if (policy < FIFO || policy > SATF) return BAD_POLICY;
  if (count < 1 || count > allocated) return BAD_REQUEST;
  const capacityBlocks = <f64>blocksPerTrack * <f64>tracks;
  for (let r = 0; r < count; r++) {
    const first = firstBlock(r);
    const n = blockCount(r);
    if (first < 0 || n < 1 || <f64>first + <f64>n > capacityBlocks) return BAD_REQUEST;
    store<i32>(after + (<usize>r << 2), r + 1 < count ? r + 1 : -1);
  }
  queueHead = 0;
  headTrack = 0;
  now = 0;
  lastEnd = -1;
  for (let served = 0; served < count; served++) {
    const before = pickPredecessor(policy, window);
    const r = before < 0 ? queueHead : nextInQueue(before);
    if (before < 0) queueHead = nextInQueue(r);
    else store<i32>(after + (<usize>before << 2), nextInQueue(r));
    cost(r);
    const row = results + (<usize>served * RESULT_FIELDS << 3);
    store<f64>(row + (<usize>R_INDEX << 3), <f64>r);
    store<f64>(row + (<usize>R_START << 3), now);
    store<f64>(row + (<usize>R_OVERHEAD << 3), overheadSeconds);
    store<f64>(row + (<usize>R_SEEK << 3), costSeek);
    store<f64>(row + (<usize>R_ROTATE << 3), costRotate);
    store<f64>(row + (<usize>R_TRANSFER << 3), costTransfer);
    now += overheadSeconds + costSeek + costRotate + costTransfer;
    store<f64>(row + (<usize>R_END << 3), now);
    lastEnd = firstBlock(r) + blockCount(r);
    if (kind == ROTATING) headTrack = (lastEnd - 1) / blocksPerTrack;
  }
  return OK;
}
