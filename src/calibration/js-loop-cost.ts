// What Node's JavaScript costs per chunk, measured without a socket: a new process (js-loop-child.ts) reads a
// cached file into a fresh Buffer per chunk, or streams it into a Writable that drops every chunk. The first pass
// shows how much fresh memory the heap takes before the collector recycles it (minor faults); the later passes
// give the steady cost per chunk. The machine profile subtracts the kernel's part (copy, system calls).
import { startChild } from "../experiments/child-process";
import { summarize, Spread } from "../experiments/statistics";
import type { JsLoopJob, JsLoopPass } from "./js-loop-child";

/** The child, relative to src/experiments/ (where the launcher lives). */
const CHILD = "../calibration/js-loop-child.ts";

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
  const child = startChild(CHILD, `${mode} loop`);
  try {
    const job: JsLoopJob = { type: "run", mode, file, bytes, chunk, passes };
    child.send(job);
    const reply = await child.next((m) => m.type === "result" || m.type === "error", 120_000, "its passes");
    if (reply.type === "error") throw new Error(`${mode} loop: ${reply.message}`);
    return { mode, bytes, chunk, passes: reply.passes as JsLoopPass[] };
  } finally {
    await child.stop();
  }
}

/**
 * CPU per chunk of each pass with its page faults taken out (faults x `faultSeconds`), over all passes: a new
 * process's first chunks run in the interpreter and later ones in compiled code, as in the experiment's sender,
 * which is a new process too; the faults come and go with the collector and are charged separately.
 */
export function cpuPerChunkWithoutFaults(run: JsLoopRun, faultSeconds: number): Spread {
  return summarize(run.passes.map((p) => (p.cpuSeconds - p.minorFaults * faultSeconds) / p.chunks));
}
