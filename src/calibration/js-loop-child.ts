// Child process of the JavaScript-loop micro-benchmarks (js-loop-cost.ts): a new Node process, like the transfer
// experiment's sender, reads a cached file several times over, with no socket anywhere:
//   "fresh-buffer"  fs.readSync into a fresh Buffer per chunk (the read-write loop's read half)
//   "stream"        fs.createReadStream piped into a Writable that drops every chunk (the stream path's read half)
// and reports each pass's CPU, wall time and minor faults. The first pass pays for the heap growing (and the JIT
// warming up); the later ones are the steady state. Started through src/experiments/child.cjs.
import * as fs from "fs";
import { Writable } from "stream";
import { pipeline } from "stream/promises";

/** The parent's order. */
export interface JsLoopJob {
  type: "run";
  mode: "fresh-buffer" | "stream";
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

/** One pass of fs.readSync into fresh Buffers; returns the chunk count. */
function freshBufferPass(fd: number, bytes: number, chunk: number): number {
  let chunks = 0;
  for (let position = 0; position < bytes; position += chunk) {
    // a fresh Buffer per chunk, as the experiment's read-write loop takes (socket.write keeps a reference)
    const buffer = Buffer.allocUnsafe(Math.min(chunk, bytes - position));
    if (fs.readSync(fd, buffer, 0, buffer.length, position) !== buffer.length) throw new Error(`short read at ${position}`);
    chunks++;
  }
  return chunks;
}

/** One pass of a ReadStream into a Writable that drops each chunk; resolves with the chunk count. */
async function streamPass(fd: number, bytes: number, chunk: number): Promise<number> {
  let chunks = 0;
  const source = fs.createReadStream("", { fd, start: 0, end: bytes - 1, autoClose: false, highWaterMark: chunk });
  const sink = new Writable({
    write(_data, _encoding, done) {
      chunks++;
      done();
    },
  });
  await pipeline(source, sink);
  return chunks;
}

/** Runs the passes and measures each. */
async function run(job: JsLoopJob): Promise<JsLoopPass[]> {
  const fd = fs.openSync(job.file, "r");
  const passes: JsLoopPass[] = [];
  try {
    for (let i = 0; i < job.passes; i++) {
      const before = process.resourceUsage();
      const t0 = process.hrtime.bigint();
      const chunks = job.mode === "stream" ? await streamPass(fd, job.bytes, job.chunk) : freshBufferPass(fd, job.bytes, job.chunk);
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
    (passes) => process.send!({ type: "result", passes }, () => process.disconnect()),
    (error: Error) => process.send!({ type: "error", message: error.message }, () => process.disconnect()),
  );
});
