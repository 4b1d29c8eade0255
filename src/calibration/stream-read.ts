// The cost per chunk of Node's idiomatic file stream: fs.createReadStream piped into a Writable that does nothing.
// Per chunk: a fresh Buffer, fs.read on libuv's thread pool and back (two thread hand-offs), the Readable and
// Writable state machines, backpressure. The transfer experiment's "stream" path is this with a socket as the
// Writable; here there is no socket, so what is timed is Node's machinery (plus the read copy, taken out below).
// The hand-off between the main thread and the pool thread costs more when they sit on different cores (a
// wake-up across cores is an inter-processor interrupt, and a VM exit in a VM): measured both ways.
import * as fs from "fs";
import { Writable } from "stream";
import { pipeline } from "stream/promises";
import { Measurement, measurementOf, nowSeconds, cpuSeconds } from "./measurement";

/** Streams the first `bytes` of the cached file at `file` in `chunk` reads into a no-op Writable; wall and CPU. */
async function streamOnce(file: string, bytes: number, chunk: number): Promise<{ wall: number; cpu: number; chunks: number }> {
  let chunks = 0;
  let seen = 0;
  const sink = new Writable({
    write(data: Buffer, _encoding, done) {
      chunks++;
      seen += data.length;
      done();
    },
  });
  const cpu0 = cpuSeconds();
  const t0 = nowSeconds();
  await pipeline(fs.createReadStream(file, { start: 0, end: bytes - 1, highWaterMark: chunk }), sink);
  const wall = nowSeconds() - t0;
  const cpu1 = cpuSeconds();
  if (seen !== bytes) throw new Error(`stream delivered ${seen} of ${bytes} bytes`);
  return { wall, cpu: cpu1.user + cpu1.system - cpu0.user - cpu0.system, chunks };
}

/** Wall and process CPU per chunk of a ReadStream into a no-op Writable, median of `runs`; the file must be cached.
 *  `placement` names where this process's threads could run (the caller pins them): "one-core" or "two-cores". */
export async function measureStreamRead(
  file: string,
  bytes: number,
  chunk: number,
  runs: number,
  placement: "one-core" | "two-cores",
): Promise<{ wall: Measurement; cpu: Measurement }> {
  await streamOnce(file, bytes, chunk); // untimed warm-up: JIT, thread pool
  const wall: number[] = [];
  const cpu: number[] = [];
  for (let run = 0; run < runs; run++) {
    const r = await streamOnce(file, bytes, chunk);
    wall.push(r.wall / r.chunks);
    cpu.push(r.cpu / r.chunks);
  }
  const where = placement === "one-core" ? "all threads pinned to one core" : "main and pool threads free on two cores";
  const how = `fs.createReadStream of a cached ${bytes}-byte file (highWaterMark ${chunk}) piped into a no-op Writable, ${where}, median of ${runs}`;
  return {
    wall: measurementOf(`stream-${placement}-chunk-wall`, "s/chunk", wall, `wall per chunk; ${how}`),
    cpu: measurementOf(`stream-${placement}-chunk-cpu`, "s/chunk", cpu, `process CPU (all threads) per chunk; ${how}`),
  };
}
