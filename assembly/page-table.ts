// The page-cache index: page number -> frame, an open-addressing hash table in linear memory.
// (The kernel keeps one xarray per file; any map with O(1) lookups teaches the same thing.)
// Linear probing with Fibonacci hashing; deletion shifts the following entries back instead of
// leaving tombstones (Knuth, TAOCP vol. 3, 6.4 Algorithm R), so lookups stay short however long a
// simulation runs. Load factor is at most 1/2. src/model/page-cache-twin.ts mirrors this file.

/** Key of a free slot; page numbers are never negative. */
export const EMPTY: i32 = -1;

// Slot s is 8 bytes at slots + 8s: the page (i32 key), then its value (a frame, or an access index while
// OPT precomputes). Keeping key and value side by side costs one cache line per probe, not two.
let slots: usize = 0;
let allocated: i32 = 0; // slots the buffer can hold
let mask: i32 = 0; // slots in use - 1 (a power of two minus one)
let shift: u32 = 32; // 32 - log2(slots in use)

/** Makes an empty table for up to `entries` pages, growing the buffers if needed; called before each run. */
export function tableReset(entries: i32): void {
  let count = 16;
  while (count < entries * 2) count <<= 1;
  if (count > allocated) {
    if (slots) heap.free(slots);
    slots = heap.alloc(<usize>count << 3);
    allocated = count;
  }
  mask = count - 1;
  shift = 32 - <u32>ctz(count);
  memory.fill(slots, 0xff, <usize>count << 3); // every key EMPTY (-1)
}

/** The home slot of a page: Fibonacci hashing, the top bits of page * 2^32/phi. */
// @ts-ignore: decorator
@inline function home(page: i32): i32 {
  return <i32>((<u32>page * 0x9e3779b1) >> shift);
}

/** The page in `slot`, or EMPTY. */
// @ts-ignore: decorator
@inline function keyAt(slot: i32): i32 {
  return load<i32>(slots + (<usize>slot << 3));
}

/** The slot holding `page`, or the free slot where it would go; called by the lookups below and by OPT's precomputation. */
// @ts-ignore: decorator
@inline export function tableSlot(page: i32): i32 {
  let slot = home(page);
  while (true) {
    const key = keyAt(slot);
    if (key == page || key == EMPTY) return slot;
    slot = (slot + 1) & mask;
  }
}

/** True when `slot` (from tableSlot) holds a page rather than being free. */
// @ts-ignore: decorator
@inline export function slotUsed(slot: i32): bool {
  return keyAt(slot) != EMPTY;
}

/** The value stored in `slot`. */
// @ts-ignore: decorator
@inline export function slotValue(slot: i32): i32 {
  return load<i32>(slots + (<usize>slot << 3), 4);
}

/** Stores `page` -> `value` in `slot` (from tableSlot). */
// @ts-ignore: decorator
@inline export function slotSet(slot: i32, page: i32, value: i32): void {
  store<i32>(slots + (<usize>slot << 3), page);
  store<i32>(slots + (<usize>slot << 3), value, 4);
}

/** The frame holding `page`, or -1 if it is not cached; the page cache's lookup on every access. */
// @ts-ignore: decorator
@inline export function tableFind(page: i32): i32 {
  const slot = tableSlot(page);
  return keyAt(slot) == EMPTY ? -1 : slotValue(slot);
}

/** Removes `page` (which must be present) and closes the gap behind it; called on every eviction. */
export function tableRemove(page: i32): void {
  let hole = tableSlot(page);
  let next = hole;
  while (true) {
    next = (next + 1) & mask;
    const key = keyAt(next);
    if (key == EMPTY) break;
    // The entry at `next` may move into the hole only if its home is not cyclically in (hole, next].
    const h = home(key);
    const stays = hole <= next ? h > hole && h <= next : h > hole || h <= next;
    if (!stays) {
      slotSet(hole, key, slotValue(next));
      hole = next;
    }
  }
  store<i32>(slots + (<usize>hole << 3), EMPTY);
}
