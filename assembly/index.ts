// The model's WebAssembly exports. Only numbers cross the boundary; src/model/ names them.
export { PATH_COUNT, STEP_FIELDS, MAX_RW_COUNT } from "./paths";
export { COUNTER_COUNT, FAULT_AROUND_BYTES, counter, simulateTransfer } from "./transfer";
export {
  CACHE_COUNTER_COUNT, MAX_CAPACITY, MAX_FILE_PAGES, MAX_ACCESSES, MAX_BUFFERED_ACCESSES, MAX_READAHEAD,
  LRU, CLOCK, FIFO, OPT, SEQUENTIAL, RANDOM, STRIDED, HOT_COLD, TRACE,
  cacheConfigure, cacheTraceBuffer, cacheRun, cacheCounter, cacheSamples, cacheEvents, cacheRequests, cacheRequestCount,
} from "./page-cache";
import { STEP_FIELDS, stepTable } from "./paths";

/** Number of steps a path takes in one phase (0 = setup, 1 = per chunk); the TS facade reads tables with it. */
export function stepCount(path: i32, phase: i32): i32 {
  return stepTable(path, phase).length / STEP_FIELDS;
}

/** One field of one step (0 kind, 1 actor, 2 from, 3 to, 4 post step, 5 mode, 6 call); the TS facade reads tables with it. */
export function stepField(path: i32, phase: i32, step: i32, field: i32): i32 {
  return stepTable(path, phase)[step * STEP_FIELDS + field];
}
export {
  RESULT_FIELDS as DISK_RESULT_FIELDS,
  diskConfigureFlash, diskConfigureRotating, diskRequestBuffer, diskResults, diskRun, seekSeconds,
} from "./disk";
