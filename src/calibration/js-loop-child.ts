// Child process of the JavaScript-loop micro-benchmarks (js-loop-cost.ts): a new Node process, like the transfer
// experiment's sender, reads a cached file several times over into a Writable that drops every chunk, so the
// JavaScript runs as it does in the experiment but no byte reaches a socket:
//   "read-write"  fs.readSync into a fresh Buffer per chunk, written to the Writable, waiting for 'drain' when
//                 write() says so (the experiment's read-write loop, src/experiments/transfer-paths.ts)
//   "stream"      fs.createReadStream piped into the Writable (the experiment's stream path)
// The Writable has Node's default high-water mark, as a socket has: a 64 KiB chunk fills it, so every write waits
// for 'drain', as it does on the socket. Reports each pass's CPU, wall time and minor faults. Started through
// src/experiments/child.cjs.
import * as fs from "fs";
import { once } from "events";
import { Writable } from "stream";
import { pipeline } from "stream/promises";
import { reportToParent } from "../cleanup/child-process";

/** The parent's order. */
export interface JsLoopJob {
  type: "run";
  mode: "read-write" | "stream";
  file: string;
  bytes: number;
  chunk: number;
  passes: number;
}

/** What one pass cost this process. */
export interface JsLoopPass {
  chunks: number;
  cpuSeconds: number;
  wallSeconds: number;
  minorFaults: number;
}

/** Child -> parent: every pass, or why it could not run. */
export type JsLoopReport = { type: "result"; passes: JsLoopPass[] } | { type: "error"; message: string };

/** A Writable that drops every chunk at once; `chunks` counts them. */
function droppingSink(): Writable & { chunks: number } {
  const sink = new Writable({
    write(_data, _encoding, done) {
      sink.chunks++;
      done();
    },
  }) as Writable & { chunks: number };
  sink.chunks = 0;
  return sink;
}

/** One pass of the read-write loop into a dropping Writable; resolves with the chunk count. */
async function readWritePass(fd: number, bytes: number, chunk: number): Promise<number> {
  const sink = droppingSink();
  for (let position = 0; position < bytes; ) {
    // a fresh Buffer per chunk, as the experiment's loop takes (socket.write keeps a reference until it is sent)
    const buffer = Buffer.allocUnsafe(Math.min(chunk, bytes - position));
    const n = fs.readSync(fd, buffer, 0, buffer.length, position);
    if (n !== buffer.length) throw new Error(`short read at ${position}`);
    position += n;
    if (!sink.write(buffer)) await once(sink, "drain");
  }
  return sink.chunks;
}

/** One pass of a ReadStream into a dropping Writable; resolves with the chunk count. */
async function streamPass(fd: number, bytes: number, chunk: number): Promise<number> {
  const sink = droppingSink();
  const source = fs.createReadStream("", { fd, start: 0, end: bytes - 1, autoClose: false, highWaterMark: chunk });
  await pipeline(source, sink);
  return sink.chunks;
}

/** Runs the passes and measures each. */
async function run(job: JsLoopJob): Promise<JsLoopPass[]> {
  const fd = fs.openSync(job.file, "r");
  const passes: JsLoopPass[] = [];
  try {
    for (let i = 0; i < job.passes; i++) {
      const before = process.resourceUsage();
      const t0 = process.hrtime.bigint();
      const chunks = await (job.mode === "stream" ? streamPass : readWritePass)(fd, job.bytes, job.chunk);
      const t1 = process.hrtime.bigint();
      const after = process.resourceUsage();
      passes.push({
        chunks,
        cpuSeconds: (after.userCPUTime + after.systemCPUTime - before.userCPUTime - before.systemCPUTime) / 1e6,
        wallSeconds: Number(t1 - t0) / 1e9,
        minorFaults: after.minorPageFault - before.minorPageFault,
      });
    }
  } finally {
    fs.closeSync(fd);
  }
  return passes;
}

process.once("message", (job: JsLoopJob) => {
  run(job).then(
    (passes) => reportToParent<JsLoopReport>({ type: "result", passes }, () => process.disconnect()),
    (error: Error) => reportToParent<JsLoopReport>({ type: "error", message: error.message }, () => process.disconnect()),
  );
});
