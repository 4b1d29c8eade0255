// What a new Node process pays to read a file into a fresh Buffer per chunk, as the experiment's JS read-write
// loop (and fs.ReadStream) does: Buffer.allocUnsafe(chunk), read(2) of a cached file into it, drop it.
// Measured in a fresh process, like the experiment's one-transfer sender: until the garbage collector first frees
// dropped buffers, every new one is new memory, and each of its pages costs a minor fault; how far the heap grows
// first depends on how fast the loop allocates, so the loop reads (a real read copy) between allocations.
// After that the allocator reuses freed memory and a chunk costs the copy, malloc and the collector's share.
import * as fs from "fs";
import * as path from "path";
import { startChild } from "../cleanup/child-process";
import { Measurement, measurementOf } from "./measurement";

/** One pass of a fresh-heap child: buffers read, wall seconds, process CPU (all threads) and minor faults. */
export interface FreshBufferPass {
  buffers: number;
  seconds: number;
  cpuSeconds: number;
  minorFaults: number;
}

/** Reads `count` chunks of the cached file `fd` (`fileBytes` long, wrapping around) into fresh Buffers; in the child. */
export function readPass(fd: number, fileBytes: number, count: number, chunk: number): FreshBufferPass {
  const faults0 = process.resourceUsage().minorPageFault;
  const cpu0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  const chunksInFile = Math.max(1, Math.floor(fileBytes / chunk));
  for (let i = 0; i < count; i++) {
    const buffer = Buffer.allocUnsafe(chunk);
    if (fs.readSync(fd, buffer, 0, chunk, (i % chunksInFile) * chunk) !== chunk) throw new Error("short read of the calibration file");
  }
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  const cpu = process.cpuUsage(cpu0);
  return { buffers: count, seconds, cpuSeconds: (cpu.user + cpu.system) / 1e6, minorFaults: process.resourceUsage().minorPageFault - faults0 };
}

/** Parent -> fresh-heap child: read `count` fresh `chunk` Buffers of `file`, `passes` times. */
export interface FreshHeapOrder {
  type: "run";
  file: string;
  count: number;
  chunk: number;
  passes: number;
}

/** Fresh-heap child -> parent. */
export type FreshHeapReport = { type: "passes"; passes: FreshBufferPass[] } | { type: "error"; message: string };

/** Runs `passes` passes of `bytes` read into fresh `chunk` Buffers in a new process; the first starts from a fresh heap. */
async function freshChild(file: string, bytes: number, chunk: number, passes: number): Promise<FreshBufferPass[]> {
  const child = startChild<FreshHeapOrder, FreshHeapReport>(path.join(__dirname, "fresh-heap-child.ts"), "fresh-heap child");
  try {
    child.send({ type: "run", file, count: Math.max(1, Math.round(bytes / chunk)), chunk, passes });
    const reply = await child.next(["passes", "error"], 60_000, "its passes");
    if (reply.type === "error") throw new Error(`fresh-heap child: ${reply.message}`);
    return reply.passes;
  } finally {
    child.stop();
  }
}

/** A new process per size reads its first `bytes` of the cached `file` into fresh Buffers: faults and CPU; the last
 *  one goes on for more passes, which give the steady state per chunk. */
export async function measureFreshBuffers(file: string, sizes: readonly number[], chunk: number, passes: number): Promise<Measurement[]> {
  if (fs.statSync(file).size < chunk) throw new RangeError(`the calibration file must hold at least one ${chunk}-byte chunk`);
  const measurements: Measurement[] = [];
  let steady: FreshBufferPass[] = [];
  for (const [i, bytes] of sizes.entries()) {
    const last = i === sizes.length - 1;
    const results = await freshChild(file, bytes, chunk, last ? passes : 1);
    const how = `while a fresh process reads ${bytes} bytes of a cached file into fresh ${chunk}-byte Buffers`;
    measurements.push(
      measurementOf(`fresh-heap-faults-${bytes}`, "faults", [results[0].minorFaults], `minor faults ${how}`),
      measurementOf(`fresh-heap-cpu-${bytes}`, "s", [results[0].cpuSeconds], `process CPU (read copy, malloc, faults, garbage collector) ${how}`),
    );
    if (last) steady = results.slice(1);
  }
  const how = `read(2) of a cached file into a fresh ${chunk}-byte Buffer, in a process past its first ${sizes[sizes.length - 1]} bytes, median of ${steady.length} passes`;
  measurements.push(
    measurementOf("fresh-buffer", "s/buffer", steady.map((p) => p.cpuSeconds / p.buffers), `process CPU per chunk (copy included); ${how}`),
    measurementOf("fresh-buffer-faults", "faults/buffer", steady.map((p) => p.minorFaults / p.buffers), `minor faults per chunk; ${how}`),
  );
  return measurements;
}
