// Disk read throughput through the page cache, cold: sequential (1 MiB reads, the kernel's readahead helps)
// and random (4 KiB reads at shuffled page offsets, readahead cannot guess them). Before each run the file's
// pages are dropped with posix_fadvise(DONTNEED) and mincore proves none is left (prepareCache("cold")).
// Buffered reads, not O_DIRECT: the transfer paths read through the page cache too.
import * as fs from "fs";
import { prepareCache } from "../experiments/cache-state";
import { summarize } from "../statistics/spread";
import type { BenchmarkResult } from "./profile-record";
import { MiB, formatBytes } from "../units/sizes";
import { PAGE_SIZE } from "../reference/linux";

const PAGE = PAGE_SIZE;
const SEQUENTIAL_READ = 1 * MiB;

/** Wall seconds of one call of `body` (the disk's time is not CPU time: the reader waits). */
function timeSeconds(body: () => void): number {
  const start = process.hrtime.bigint();
  body();
  return Number(process.hrtime.bigint() - start) / 1e9;
}

/** A benchmark result from repeated values. */
function resultOf(unit: string, values: readonly number[], method: string): BenchmarkResult {
  const s = summarize(values);
  return { unit, median: s.median, min: s.min, max: s.max, n: s.n, method };
}

/** Cold sequential read bandwidth of the whole file (bytes/s), median of `runs`. */
export function measureSequentialRead(fd: number, bytes: number, runs: number): BenchmarkResult {
  const buffer = Buffer.allocUnsafeSlow(SEQUENTIAL_READ).fill(0);
  const values: number[] = [];
  for (let run = 0; run < runs; run++) {
    prepareCache(fd, "cold");
    values.push(
      bytes /
        timeSeconds(() => {
          for (let position = 0; position < bytes; position += SEQUENTIAL_READ) {
            if (fs.readSync(fd, buffer, 0, Math.min(SEQUENTIAL_READ, bytes - position), position) <= 0) throw new Error("calibration file ended early");
          }
        }),
    );
  }
  return resultOf("bytes/s", values, `cold-cache sequential read(2) of a ${formatBytes(bytes)} file in 1 MiB calls (readahead on), wall time, median of ${runs}`);
}

/** Page offsets 0..pages-1 in a shuffled order from a fixed seed, so every calibration reads the same pattern. */
export function shuffledPages(pages: number, count: number, seed = 0x9e3779b9): number[] {
  const order = Array.from({ length: pages }, (_, i) => i);
  let state = seed >>> 0;
  const next = () => {
    // xorshift32: a tiny deterministic generator, enough to defeat readahead
    state ^= state << 13;
    state >>>= 0;
    state ^= state >>> 17;
    state ^= state << 5;
    state >>>= 0;
    return state;
  };
  for (let i = pages - 1; i > 0; i--) {
    const j = next() % (i + 1);
    [order[i], order[j]] = [order[j], order[i]];
  }
  return order.slice(0, Math.min(count, pages));
}

/** Cold random 4 KiB reads: seconds per read (median of `runs`), at `reads` distinct shuffled pages. */
export function measureRandomRead(fd: number, bytes: number, reads: number, runs: number): BenchmarkResult {
  const pages = shuffledPages(Math.floor(bytes / PAGE), reads);
  const buffer = Buffer.allocUnsafeSlow(PAGE).fill(0);
  const values: number[] = [];
  for (let run = 0; run < runs; run++) {
    prepareCache(fd, "cold");
    const seconds = timeSeconds(() => {
      for (const page of pages) if (fs.readSync(fd, buffer, 0, PAGE, page * PAGE) !== PAGE) throw new Error("short 4 KiB read");
    });
    values.push(seconds / pages.length);
  }
  return resultOf("s/read", values, `cold-cache read(2) of 4 KiB at ${pages.length} shuffled page offsets of a ${formatBytes(bytes)} file, wall time, median of ${runs}`);
}
