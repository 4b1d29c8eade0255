// What Node's JavaScript costs per chunk, measured without a socket: a new process (js-loop-child.ts) runs the
// read-write loop or the stream into a Writable that drops every chunk. The machine profile subtracts the kernel's
// part (the copy, the system calls); what is left is Node's: allocation, the stream machinery, the collector, the
// page faults of a heap that grows and shrinks.
import * as path from "path";
import { startChild } from "../cleanup/child-process";
import { summarize, Spread } from "../statistics/spread";
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

/** CPU per chunk over all passes: a new process's first chunks run in the interpreter and later ones in compiled
 *  code, its heap grows and the collector frees it, as in the experiment's sender (a new process too). */
export function cpuPerChunk(run: JsLoopRun): Spread {
  return summarize(run.passes.map((p) => p.cpuSeconds / p.chunks));
}

/** Minor faults per chunk over all passes. */
export function faultsPerChunk(run: JsLoopRun): Spread {
  return summarize(run.passes.map((p) => p.minorFaults / p.chunks));
}
