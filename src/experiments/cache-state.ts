// Page-cache state of one file: make it warm (every page resident) or cold (none), and check it with mincore.
// drop_caches is not permitted here; posix_fadvise(DONTNEED) on a clean file is. The machine's proactive
// reclaim evicts pages idle for about a minute, so a warm run re-warms and checks right before it starts.
import * as fs from "fs";
import { requireNative, Residency } from "../native/addon";
import { MiB } from "../units/sizes";
import type { CacheState } from "../vocabulary/transfer";


/** Pages of the file in the page cache right now. */
export function residency(fd: number): Residency {
  return requireNative().residentPages(fd);
}

/** Reads the whole file once so its pages are cached; called by prepareCache("warm"). */
function readThrough(fd: number): void {
  const buffer = Buffer.allocUnsafe(1 * MiB);
  for (let position = 0; ; position += buffer.length) {
    if (fs.readSync(fd, buffer, 0, buffer.length, position) < buffer.length) return;
  }
}

/** Blocks the thread for `ms` milliseconds (prepareCache is synchronous: it runs right before a measurement). */
function sleepSync(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/** How often prepareCache tries before giving up; the pauses add up to about 1.3 s. */
const ATTEMPTS = 8;

/** Puts the file in `state` and proves it: warm = every page resident, cold = zero. Throws if it cannot. */
export function prepareCache(fd: number, state: CacheState): Residency {
  const addon = requireNative();
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    // A page still referenced (e.g. by a socket buffer of an earlier sendfile/splice) cannot be dropped yet;
    // such references usually go away within milliseconds, so wait a little longer before each new try.
    if (attempt > 0) sleepSync(10 * 2 ** attempt);
    if (state === "warm") {
      readThrough(fd);
    } else {
      // "dirty pages which have not been synchronized will not be freed" (posix_fadvise(2)): sync first.
      fs.fdatasyncSync(fd);
      addon.fadviseDontNeed(fd);
    }
    const now = addon.residentPages(fd);
    if (state === "warm" ? now.resident === now.total : now.resident === 0) return now;
  }
  const now = addon.residentPages(fd);
  throw new Error(`could not make the file's cache ${state}: ${now.resident} of ${now.total} pages resident after ${ATTEMPTS} tries`);
}
