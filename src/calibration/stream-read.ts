// The cost per chunk of Node's idiomatic file stream: fs.createReadStream piped into a Writable that does nothing.
// Per chunk: a fresh Buffer, fs.read on libuv's thread pool and back (two thread hand-offs), the Readable and
// Writable state machines, backpressure. The transfer experiment's "stream" path is this with a socket as the
// Writable; here there is no socket, so what is timed is Node's machinery (plus the read copy, taken out below).
// The hand-off between the main thread and the pool thread costs more when they sit on different cores (a
// wake-up across cores is an inter-processor interrupt, and a VM exit in a VM): measured both ways.
// It runs in a new process, as the experiment's sender does. In the calibration's own long-lived process (whose heap
// holds the earlier measurements' large buffers, so each chunk's garbage is likely dearer to collect) a chunk cost
// about half as much again (measured: 80-86 µs per chunk there, 53-62 µs in a new process).
import * as fs from "fs";
import * as path from "path";
import { Writable } from "stream";
import { pipeline } from "stream/promises";
import { Measurement, measurementOf, nowSeconds, cpuSeconds } from "./measurement";
import { startChild } from "../cleanup/child-process";
import { allowedCpus, pin } from "./affinity";

/** What one stream pass cost: wall and process CPU seconds, and the chunks it delivered. */
export interface StreamPass {
  wall: number;
  cpu: number;
  chunks: number;
}

/** Streams `bytes` of the cached file at `file` (`fileBytes` long; read over again from the start when `bytes` is
 *  larger) in `chunk` reads into a no-op Writable; wall and CPU. Runs in the stream child (stream-child.ts). */
export async function streamOnce(file: string, fileBytes: number, bytes: number, chunk: number): Promise<StreamPass> {
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
  for (let sent = 0; sent < bytes; sent += fileBytes) {
    const end = Math.min(fileBytes, bytes - sent) - 1;
    await pipeline(fs.createReadStream(file, { start: 0, end, highWaterMark: chunk }), sink, { end: false });
  }
  const wall = nowSeconds() - t0;
  const cpu1 = cpuSeconds();
  sink.end();
  if (seen !== bytes) throw new Error(`stream delivered ${seen} of ${bytes} bytes`);
  return { wall, cpu: cpu1.user + cpu1.system - cpu0.user - cpu0.system, chunks };
}

/** Parent -> stream child: a first pass over `firstBytes`, then `runs` passes over the whole file. */
export interface StreamOrder {
  type: "run";
  file: string;
  fileBytes: number;
  chunk: number;
  firstBytes: number;
  runs: number;
}

/** Stream child -> parent. */
export type StreamReport = { type: "passes"; first: StreamPass; passes: StreamPass[] } | { type: "error"; message: string };

/** Runs the stream child on `job` (pinned to one CPU for "one-core") and returns its passes. */
async function streamChild(job: Omit<StreamOrder, "type">, placement: "one-core" | "two-cores"): Promise<{ first: StreamPass; passes: StreamPass[] }> {
  const child = startChild<StreamOrder, StreamReport>(path.join(__dirname, "stream-child.ts"), "stream child");
  try {
    if (placement === "one-core") pin(child.child.pid!, [allowedCpus()[0]]);
    child.send({ type: "run", ...job });
    const reply = await child.next(["passes", "error"], 60_000, "its stream passes");
    if (reply.type === "error") throw new Error(`stream child: ${reply.message}`);
    return { first: reply.first, passes: reply.passes };
  } finally {
    await child.stop();
  }
}

/** Wall and process CPU per chunk of a ReadStream into a no-op Writable, median of `runs`, in a new process after one
 *  untimed pass; the file must be cached. `placement`: "one-core" pins the child (all its threads) to our first CPU,
 *  "two-cores" leaves its main and pool threads to the scheduler. */
export async function measureStreamRead(
  file: string,
  bytes: number,
  chunk: number,
  runs: number,
  placement: "one-core" | "two-cores",
): Promise<{ wall: Measurement; cpu: Measurement }> {
  const { passes } = await streamChild({ file, fileBytes: bytes, chunk, firstBytes: bytes, runs }, placement);
  const where = placement === "one-core" ? "all threads pinned to one core" : "main and pool threads free on two cores";
  const how = `fs.createReadStream of a cached ${bytes}-byte file (highWaterMark ${chunk}) piped into a no-op Writable, in a new process after one pass, ${where}, median of ${runs}`;
  return {
    wall: measurementOf(`stream-${placement}-chunk-wall`, "s/chunk", passes.map((r) => r.wall / r.chunks), `wall per chunk; ${how}`),
    cpu: measurementOf(`stream-${placement}-chunk-cpu`, "s/chunk", passes.map((r) => r.cpu / r.chunks), `process CPU (all threads) per chunk; ${how}`),
  };
}

/** A new process's first stream pass at each size (the cached file read over again as needed), free on two cores:
 *  the interpreter and JIT warming up and the heap growing, on top of the steady per-chunk cost. One process per size. */
export async function measureFreshStream(file: string, fileBytes: number, sizes: readonly number[], chunk: number): Promise<Measurement[]> {
  const measurements: Measurement[] = [];
  for (const bytes of sizes) {
    const { first } = await streamChild({ file, fileBytes, chunk, firstBytes: bytes, runs: 0 }, "two-cores");
    const how = `a new process's first fs.createReadStream pass over ${bytes} bytes of a cached file (highWaterMark ${chunk}) into a no-op Writable, free on two cores`;
    measurements.push(
      measurementOf(`fresh-stream-wall-${bytes}`, "s", [first.wall], `wall; ${how}`),
      measurementOf(`fresh-stream-cpu-${bytes}`, "s", [first.cpu], `process CPU (all threads); ${how}`),
    );
  }
  return measurements;
}
