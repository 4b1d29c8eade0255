// Counting a transfer: walk a path's step table once, then scale by the number of calls (chunks).
import {
  DISK, NIC, ACTOR_CPU, ACTOR_DMA,
  KIND_TO_KERNEL, KIND_TO_USER, KIND_COPY, KIND_DESCRIPTOR, KIND_FAULT,
} from "./places";
import { PATH_COUNT, STEP_FIELDS, MAX_RW_COUNT, SPLICE, stepTable } from "./paths";

/** Counter slots filled by simulateTransfer(); src/model/vocabulary.ts names them in this order. */
export const CPU_COPIES: i32 = 0;
export const DMA_COPIES: i32 = 1;
export const MODE_SWITCHES: i32 = 2;
export const SYSCALLS: i32 = 3;
export const CPU_BYTES: i32 = 4;
export const DMA_BYTES: i32 = 5;
export const DESCRIPTORS: i32 = 6;
export const CHUNKS: i32 = 7;
export const DISK_READ_BYTES: i32 = 8; // DMA from the disk into the page cache (skipped when the cache is warm)
export const DISK_WRITE_BYTES: i32 = 9; // DMA from the page cache to the disk (writeback)
export const NIC_BYTES: i32 = 10; // DMA between memory and the NIC
export const DESCRIPTOR_BYTES: i32 = 11; // bytes described by descriptors instead of copied
export const PAGE_FAULTS: i32 = 12; // faults that map file pages into the process (mmap)
export const CALL_BYTES: i32 = 13; // bytes one call moves at most, after the kernel's caps
export const COUNTER_COUNT: i32 = 14;

/** Status codes of simulateTransfer(); the TS facade turns them into RangeErrors. */
export const OK: i32 = 0;
export const BAD_PATH: i32 = 1;
export const BAD_BYTES: i32 = 2;
export const BAD_CHUNK: i32 = 3;
export const BAD_PIPE: i32 = 4;

/** Linux's fault_around_bytes default: a read fault on a file mapping maps up to 64 KiB of cached pages at once. */
export const FAULT_AROUND_BYTES: f64 = 65536.0;

const counters = new StaticArray<f64>(COUNTER_COUNT);

/** Reads one counter of the last simulateTransfer(); called by the TS facade. */
export function counter(slot: i32): f64 {
  return counters[slot];
}

/** Adds the DMA bytes of one copy step to the device it touches; called by addSteps(). */
function addDeviceBytes(from: i32, to: i32, bytes: f64): void {
  if (from == DISK) counters[DISK_READ_BYTES] += bytes;
  if (to == DISK) counters[DISK_WRITE_BYTES] += bytes;
  if (from == NIC || to == NIC) counters[NIC_BYTES] += bytes;
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
      counters[DESCRIPTOR_BYTES] += bytesPerCopy;
    } else if (kind == KIND_FAULT) {
      // The mapping outlives the calls, so faults follow the bytes, not the chunks (simplified:
      // every fault maps one full, aligned fault-around window).
      counters[PAGE_FAULTS] += Math.ceil(bytesPerCopy / FAULT_AROUND_BYTES);
    } else if (kind == KIND_COPY && actor == ACTOR_CPU) {
      counters[CPU_COPIES] += times;
      counters[CPU_BYTES] += bytesPerCopy;
    } else if (kind == KIND_COPY && actor == ACTOR_DMA) {
      counters[DMA_COPIES] += times;
      counters[DMA_BYTES] += bytesPerCopy;
      addDeviceBytes(table[row + 2], table[row + 3], bytesPerCopy);
    }
    // KIND_WIRE (the NIC on the wire) counts nothing here: the DMA step beside it already carries nicBytes.
  }
}

/** True when x is a whole number in [1, 2^53); called by simulateTransfer() for its sizes. */
function isCount(x: f64): bool {
  return x >= 1 && x == Math.floor(x) && x <= 9007199254740991;
}

/**
 * Counts the work of moving `bytes` along `path`, issued in calls of at most `chunk` bytes; splice
 * moves at most `pipeSize` bytes per call. Called by the TS facade (src/model/transfer-model.ts).
 */
export function simulateTransfer(path: i32, bytes: f64, chunk: f64, pipeSize: f64): i32 {
  if (path < 0 || path >= PATH_COUNT) return BAD_PATH;
  if (!isCount(bytes)) return BAD_BYTES;
  if (!isCount(chunk)) return BAD_CHUNK;
  if (!isCount(pipeSize)) return BAD_PIPE;
  // read/write/sendfile/splice: "transfer at most 0x7ffff000 (2,147,479,552) bytes, returning the
  // number of bytes actually transferred" (read(2), sendfile(2)); a larger chunk takes several calls.
  let perCall = Math.min(chunk, MAX_RW_COUNT);
  // splice moves pages through a pipe: one call moves at most what the pipe holds (pipe(7): 16 pages,
  // 65,536 bytes, by default; F_SETPIPE_SZ changes it).
  if (path == SPLICE) perCall = Math.min(perCall, pipeSize);
  perCall = Math.min(perCall, bytes);
  const chunks = Math.ceil(bytes / perCall);
  for (let i = 0; i < COUNTER_COUNT; i++) counters[i] = 0;
  counters[CHUNKS] = chunks;
  counters[CALL_BYTES] = perCall;
  addSteps(stepTable(path, 0), 1, 0);
  addSteps(stepTable(path, 1), chunks, bytes);
  return OK;
}
