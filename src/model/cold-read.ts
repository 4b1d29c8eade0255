// A cold read end to end: the page cache turns a reader's page accesses into disk requests (misses plus
// readahead), and the disk model times them. One call answers "how long does this pattern take on that disk?".
import { simulateCache, CacheResult } from "./page-cache";
import { CacheOptions } from "./page-cache-input";
import { simulateDisk, DiskName, DiskProfile, DiskPolicy, DiskRun, MAX_DISK_REQUESTS } from "./disk";
import { PAGE_SIZE } from "../reference/linux";

/** A cache run's options plus the disk to time its requests on. */
export type ColdReadOptions = Omit<CacheOptions, "logRequests" | "logEvents"> & {
  disk: DiskName | DiskProfile;
  /** Disk scheduling (default "fifo": one reader waits for each request, queue depth 1). */
  diskPolicy?: DiskPolicy;
};

/** The cache's counters, the disk's time by component, and the throughput the reader sees. */
export type ColdReadResult = Omit<CacheResult, "requests"> & {
  disk: Omit<DiskRun, "served">;
  /** Time the reader waits for the disk, seconds (CPU time of the hits is not modelled here). */
  diskSeconds: number;
  /** Bytes the reader asked for (accesses x 4 KiB) per second of disk time. */
  bytesPerSecond: number;
};

/** Most accesses of a cold read: each access may issue a disk request, and the disk model serves at most this many. */
export const MAX_COLD_READ_ACCESSES = MAX_DISK_REQUESTS;

/** Simulates the page cache, then serves its disk requests on the disk; notebooks and `workbook cache --disk` call it.
 *  The access count is checked first: a run the disk cannot serve fails before the cache is simulated. */
export function simulateColdRead(options: ColdReadOptions): ColdReadResult {
  const { disk, diskPolicy, ...cacheOptions } = options;
  const accesses = options.accesses ?? options.trace?.length;
  if (typeof accesses === "number" && accesses > MAX_COLD_READ_ACCESSES) {
    throw new RangeError(`accesses must be at most ${MAX_COLD_READ_ACCESSES} for a cold read (each may become a disk request, and the disk model serves at most ${MAX_DISK_REQUESTS}), got ${accesses}`);
  }
  const cache = simulateCache({ ...cacheOptions, logRequests: true });
  const { requests, ...counters } = cache;
  const { served, ...run } = simulateDisk(disk, requests!, { policy: diskPolicy, detail: false });
  return { ...counters, disk: run, diskSeconds: run.totalSeconds, bytesPerSecond: (counters.accesses * PAGE_SIZE) / run.totalSeconds };
}
