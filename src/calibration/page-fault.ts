// The cost of a minor page fault: touch one byte per page of a fresh, never-touched buffer, and divide the time by
// the minor faults getrusage counted (not by the page count: transparent huge pages or fault-around change it).
// Each fault includes what the kernel does for an anonymous page: allocate it, zero it, map it.
import { Measurement, measurementOf, nowSeconds } from "./measurement";
import { MiB } from "../units/sizes";

const PAGE = 4096;

/** glibc serves allocations above its mmap threshold (at most 32 MiB) with a fresh mmap: pages never touched. */
export const FRESH_MAPPING_BYTES = 64 * MiB;

/** Seconds per minor fault, touching a fresh `bytes` buffer page by page, median of `runs`. Below glibc's
 *  mmap threshold a buffer may reuse freed heap pages and fault less, so callers pass FRESH_MAPPING_BYTES. */
export function measurePageFault(bytes: number, runs: number): Measurement {
  const values: number[] = [];
  for (let run = 0; run < runs; run++) {
    // allocUnsafeSlow: a new allocation, not Node's pool; large sizes come from fresh mmap'ed memory.
    const buffer = Buffer.allocUnsafeSlow(bytes);
    const faults0 = process.resourceUsage().minorPageFault;
    const t0 = nowSeconds();
    for (let offset = 0; offset < bytes; offset += PAGE) buffer[offset] = 1;
    const t1 = nowSeconds();
    const faults = process.resourceUsage().minorPageFault - faults0;
    if (faults > 0) values.push((t1 - t0) / faults);
  }
  if (values.length === 0) throw new Error("touching fresh memory caused no page faults; cannot calibrate the fault cost");
  return measurementOf(
    "page-fault",
    "s/fault",
    values,
    `touch one byte per 4 KiB page of a fresh ${bytes}-byte Buffer, time / minor faults counted, median of ${values.length}`,
  );
}
