// Counting a transfer: walk a path's step table once, then scale by the number of chunks.
import { ACTOR_CPU, ACTOR_DMA, KIND_TO_KERNEL, KIND_TO_USER, KIND_COPY, KIND_DESCRIPTOR } from "./places";
import { PATH_COUNT, STEP_FIELDS, MAX_RW_COUNT, stepTable } from "./paths";

/** Counter slots filled by simulateTransfer(); src/model/vocabulary.ts names them in this order. */
export const CPU_COPIES: i32 = 0;
export const DMA_COPIES: i32 = 1;
export const MODE_SWITCHES: i32 = 2;
export const SYSCALLS: i32 = 3;
export const CPU_BYTES: i32 = 4;
export const DMA_BYTES: i32 = 5;
export const DESCRIPTORS: i32 = 6;
export const CHUNKS: i32 = 7;
export const COUNTER_COUNT: i32 = 8;

/** Status codes of simulateTransfer(); the TS facade turns them into RangeErrors. */
export const OK: i32 = 0;
export const BAD_PATH: i32 = 1;
export const BAD_BYTES: i32 = 2;
export const BAD_CHUNK: i32 = 3;

const counters = new StaticArray<f64>(COUNTER_COUNT);

/** Reads one counter of the last simulateTransfer(); called by the TS facade. */
export function counter(slot: i32): f64 {
  return counters[slot];
}

/** Adds the steps of one table, repeated `times`, each copy moving `bytesPerCopy`; called by simulateTransfer(). */
function addSteps(table: StaticArray<i32>, times: f64, bytesPerCopy: f64): void {
  for (let row = 0; row < table.length; row += STEP_FIELDS) {
    const kind = table[row];
    const actor = table[row + 1];
    if (kind == KIND_TO_KERNEL) {
      // Every syscall is one user->kernel switch, answered by one kernel->user switch.
      counters[SYSCALLS] += times;
      counters[MODE_SWITCHES] += times;
    } else if (kind == KIND_TO_USER) {
      counters[MODE_SWITCHES] += times;
    } else if (kind == KIND_DESCRIPTOR) {
      counters[DESCRIPTORS] += times;
    } else if (kind == KIND_COPY && actor == ACTOR_CPU) {
      counters[CPU_COPIES] += times;
      counters[CPU_BYTES] += bytesPerCopy;
    } else if (kind == KIND_COPY && actor == ACTOR_DMA) {
      counters[DMA_COPIES] += times;
      counters[DMA_BYTES] += bytesPerCopy;
    }
  }
}

/** Counts the work of moving `bytes` along `path`, issued in calls of at most `chunk` bytes; called by the TS facade. */
export function simulateTransfer(path: i32, bytes: f64, chunk: f64): i32 {
  if (path < 0 || path >= PATH_COUNT) return BAD_PATH;
  if (!(bytes >= 1) || bytes != Math.floor(bytes) || bytes > 9007199254740991) return BAD_BYTES;
  if (!(chunk >= 1) || chunk != Math.floor(chunk)) return BAD_CHUNK;
  // Linux caps one call at MAX_RW_COUNT bytes, so a larger chunk is issued as several calls.
  const perCall = Math.min(chunk, MAX_RW_COUNT);
  const chunks = Math.ceil(bytes / perCall);
  for (let i = 0; i < COUNTER_COUNT; i++) counters[i] = 0;
  counters[CHUNKS] = chunks;
  addSteps(stepTable(path, 0), 1, 0);
  addSteps(stepTable(path, 1), chunks, bytes);
  return OK;
}
