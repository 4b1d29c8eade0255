// What Node's JavaScript costs per chunk, measured without a socket: a new process (js-loop-child.ts) runs the
// read-write loop or the stream into a Writable that drops every chunk, several passes over a cached file. Two
// figures come out of it: the steady cost per chunk of the later passes (the machine profile subtracts the
// kernel's part, the copy and the system calls: what is left is Node's allocation, stream machinery and
// collector), and how far the first pass grows the heap before the collector recycles chunks (its extra faults).
import * as path from "path";
import { startChild } from "../cleanup/child-process";
import { summarize, median, Spread } from "../statistics/spread";
import { PAGE_SIZE } from "../reference/linux";
import type { JsLoopJob, JsLoopPass, JsLoopReport } from "./js-loop-child";

/** The child: a new process with a heap that never held buffers, like the experiment's sender. */
const CHILD = path.join(__dirname, "js-loop-child.ts");

/** One loop's passes in one new process. */
export interface JsLoopRun {
  mode: JsLoopJob["mode"];
  bytes: number;
  chunk: number;
  passes: JsLoopPass[];
}

/** Runs `passes` passes of `mode` over the first `bytes` of the cached `file` in a new process. */
export async function measureJsLoop(mode: JsLoopJob["mode"], file: string, bytes: number, chunk: number, passes: number): Promise<JsLoopRun> {
  if (passes < 2) throw new RangeError("a JS loop needs at least 2 passes: the first grows the heap, the rest are steady");
  const child = startChild<JsLoopJob, JsLoopReport>(CHILD, `${mode} loop`);
  try {
    const job: JsLoopJob = { type: "run", mode, file, bytes, chunk, passes };
    child.send(job);
    const reply = await child.next(["result", "error"], 120_000, "its passes");
    if (reply.type === "error") throw new Error(`${mode} loop: ${reply.message}`);
    return { mode, bytes, chunk, passes: reply.passes };
  } finally {
    await child.stop();
  }
}

/** Node's steady cost per chunk: CPU per chunk over every pass after the first, in every process (the collector
 *  and the faults of recycled memory included; the first pass's heap growth is measured apart, by heapGrowth). */
export function steadyCpuPerChunk(runs: readonly JsLoopRun[]): Spread {
  return summarize(runs.flatMap((r) => r.passes.slice(1).map((p) => p.cpuSeconds / p.chunks)));
}

/** How far a new process's heap grows before the collector recycles its chunks, bytes, per process: the first
 *  pass's minor faults beyond the rate of that process's later passes, times the page size. */
export function heapGrowth(runs: readonly JsLoopRun[]): Spread {
  return summarize(
    runs.map((r) => {
      const [first, ...steady] = r.passes;
      const steadyRate = median(steady.map((p) => p.minorFaults / p.chunks));
      return Math.max(0, first.minorFaults - steadyRate * first.chunks) * PAGE_SIZE;
    }),
  );
}
