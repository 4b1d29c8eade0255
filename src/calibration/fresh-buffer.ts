// The cost of a fresh buffer per chunk, as Node's read-write loop and fs.ReadStream allocate one for every read:
// Buffer.allocUnsafe of a chunk, every page written once (as the kernel's copy into it will), then dropped.
// Measured in a fresh process, like the experiment's sender: until the garbage collector first frees the
// dropped buffers, every new one is new memory, and each of its pages costs a minor fault. After that the
// allocator reuses freed memory and a buffer costs only malloc and the collector's share.
import { startChild } from "../experiments/child-process";
import { Measurement, measurementOf } from "./measurement";

const PAGE = 4096;

/** One pass of a fresh-heap child: buffers allocated, wall seconds, process CPU (all threads) and minor faults. */
export interface FreshBufferPass {
  buffers: number;
  seconds: number;
  cpuSeconds: number;
  minorFaults: number;
}

/** Allocates `count` fresh `chunk`-byte buffers, writing each page once; called in the child by fresh-heap-child.ts. */
export function allocatePass(count: number, chunk: number): FreshBufferPass {
  let sink = 0;
  const faults0 = process.resourceUsage().minorPageFault;
  const cpu0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < count; i++) {
    const buffer = Buffer.allocUnsafe(chunk);
    for (let offset = 0; offset < chunk; offset += PAGE) buffer[offset] = i;
    sink += buffer[0];
  }
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  const cpu = process.cpuUsage(cpu0);
  if (!Number.isFinite(sink)) throw new Error("fresh buffers were not written");
  return { buffers: count, seconds, cpuSeconds: (cpu.user + cpu.system) / 1e6, minorFaults: process.resourceUsage().minorPageFault - faults0 };
}

/** Runs `passes` passes of `bytes` in fresh `chunk`-byte buffers in a new process; the first starts from a fresh heap. */
async function freshChild(bytes: number, chunk: number, passes: number): Promise<FreshBufferPass[]> {
  const child = startChild("../calibration/fresh-heap-child.ts", "fresh-heap child");
  try {
    child.send({ type: "run", count: Math.max(1, Math.round(bytes / chunk)), chunk, passes });
    const reply = await child.next((m) => m.type === "passes" || m.type === "error", 60_000, "its passes");
    if (reply.type === "error") throw new Error(`fresh-heap child: ${reply.message}`);
    return reply.passes as FreshBufferPass[];
  } finally {
    child.stop();
  }
}

/** Faults of a fresh process's first `bytes` of fresh buffers, one new process per size; then the steady state. */
export async function measureFreshBuffers(sizes: readonly number[], chunk: number, passes: number): Promise<Measurement[]> {
  const measurements: Measurement[] = [];
  let steady: FreshBufferPass[] = [];
  for (const [i, bytes] of sizes.entries()) {
    const last = i === sizes.length - 1;
    const results = await freshChild(bytes, chunk, last ? passes : 1);
    const how = `while a fresh process allocates ${bytes} bytes as Buffer.allocUnsafe(${chunk}), one write per page`;
    measurements.push(
      measurementOf(`fresh-heap-faults-${bytes}`, "faults", [results[0].minorFaults], `minor faults ${how}`),
      measurementOf(`fresh-heap-cpu-${bytes}`, "s", [results[0].cpuSeconds], `process CPU (malloc, faults, garbage collector) ${how}`),
    );
    if (last) steady = results.slice(1);
  }
  const how = `Buffer.allocUnsafe(${chunk}) with one write per page, in a process past its first ${sizes[sizes.length - 1]} bytes, median of ${steady.length} passes`;
  measurements.push(
    measurementOf("fresh-buffer", "s/buffer", steady.map((p) => p.seconds / p.buffers), `wall per buffer; ${how}`),
    measurementOf("fresh-buffer-faults", "faults/buffer", steady.map((p) => p.minorFaults / p.buffers), `minor faults per buffer; ${how}`),
  );
  return measurements;
}
