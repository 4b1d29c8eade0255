// Short loops in this process whose cost is CPU work: the copy between kernel and user memory, CRC-32, a minor
// page fault. Each is timed in this process's CPU seconds, not wall seconds: on a shared machine the wall clock
// also counts the time the scheduler gave our core to someone else, the CPU clock does not. (getrusage's total,
// user + system, is the scheduler's own runtime count; only its split into user and system is sampled per tick.)
import * as fs from "fs";
import { crc32 } from "../experiments/checksum";
import { summarize } from "../statistics/spread";
import type { BenchmarkResult } from "./profile-record";

/** This process's CPU seconds (all threads, user + system). */
function cpuNow(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
}

/** CPU seconds of one call of `body`. */
function cpuSeconds(body: () => void): number {
  const start = cpuNow();
  body();
  return cpuNow() - start;
}

/** A benchmark result from values. */
function resultOf(unit: string, values: readonly number[], method: string): BenchmarkResult {
  const s = summarize(values);
  return { unit, median: s.median, min: s.min, max: s.max, n: s.n, method };
}

/** Bytes per CPU second read(2) copies from the page cache into one reused `chunk`-byte buffer (copy_to_user);
 *  the file (`bytes` long, open as `fd`) must be cached. */
export function measureCopy(fd: number, bytes: number, chunk: number, runs: number): BenchmarkResult {
  const buffer = Buffer.allocUnsafeSlow(chunk).fill(0);
  const readAll = () => {
    for (let position = 0; position < bytes; position += chunk) {
      if (fs.readSync(fd, buffer, 0, Math.min(chunk, bytes - position), position) <= 0) throw new Error("profile file ended early");
    }
  };
  readAll(); // untimed: every page cached, the read path compiled
  const values = Array.from({ length: runs }, () => bytes / cpuSeconds(readAll));
  return resultOf("bytes/s", values, `read(2) of a cached ${bytes}-byte file in ${chunk}-byte calls into one reused buffer, bytes per CPU second, median of ${runs}`);
}

/** Bytes per CPU second zlib.crc32 digests one cache-hot `chunk`-byte piece, `bytes` in all (the receiver checks
 *  each read right after the kernel copied it in, so the data is in the cache). */
export function measureChecksum(bytes: number, chunk: number, runs: number): BenchmarkResult {
  const piece = Buffer.allocUnsafeSlow(chunk).fill(0xa5);
  const count = Math.max(1, Math.round(bytes / chunk));
  let sink = 0;
  const digest = () => {
    let value = 0;
    for (let i = 0; i < count; i++) value = crc32(piece, value);
    sink ^= value;
  };
  digest();
  const values = Array.from({ length: runs }, () => (count * chunk) / cpuSeconds(digest));
  if (!Number.isFinite(sink)) throw new Error("crc32 returned no number");
  return resultOf("bytes/s", values, `crc32 of one cache-hot ${chunk}-byte piece, ${count} times, bytes per CPU second, median of ${runs}`);
}

/** CPU seconds per minor fault: touch one byte per 4 KiB page of a fresh `bytes` buffer, divided by the faults
 *  getrusage counted (huge pages or fault-around change the count, not the cost per fault). Large buffers come
 *  from a fresh mmap (glibc's threshold is at most 32 MiB), so every touch faults. */
export function measurePageFault(bytes: number, runs: number): BenchmarkResult {
  const values: number[] = [];
  for (let run = 0; run < runs; run++) {
    const buffer = Buffer.allocUnsafeSlow(bytes);
    const faults0 = process.resourceUsage().minorPageFault;
    const seconds = cpuSeconds(() => {
      for (let offset = 0; offset < bytes; offset += 4096) buffer[offset] = 1;
    });
    const faults = process.resourceUsage().minorPageFault - faults0;
    if (faults > 0) values.push(seconds / faults);
  }
  if (values.length === 0) throw new Error("touching fresh memory caused no page faults; cannot measure the fault cost");
  return resultOf("s/fault", values, `touch one byte per 4 KiB page of a fresh ${bytes}-byte Buffer, CPU seconds / minor faults counted, median of ${values.length}`);
}
