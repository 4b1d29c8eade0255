// Child process of the socket.write micro-benchmark (js-socket-cost.ts): a new Node process sends one block of
// memory, over and over, to the transfer experiment's receiver with net.Socket.write, in chunks that are views
// of the block (no file is read, no Buffer is allocated per chunk), waiting for 'drain' when write() says so,
// as the experiment's read-write loop does, as fast as it goes. Several connections one after another; the
// first warms the process up and is not measured. Reports the CPU of each measured connection, from the first write to the receiver's
// "done". Started through src/cleanup/child.cjs.
import * as fs from "fs";
import { once } from "events";
import { connectLoopback, replyOf } from "../experiments/loopback";
import { reportToParent } from "../cleanup/child-process";

/** The parent's order. */
export interface JsSocketJob {
  type: "run";
  port: number;
  /** The block to repeat; its bytes times `repeats` is what each connection sends. */
  blockFile: string;
  repeats: number;
  chunk: number;
  /** Measured connections, after one unmeasured. */
  connections: number;
}

/** One measured connection. */
export interface JsSocketPass {
  localPort: number;
  bytes: number;
  writes: number;
  cpuSeconds: number;
  wallSeconds: number;
}

/** Child -> parent: each connection (the warm-up first, flagged), or why it could not run. */
export type JsSocketReport =
  | { type: "connection"; warmup: boolean; pass: JsSocketPass }
  | { type: "result"; passes: number }
  | { type: "error"; message: string };

/** Sends the block `repeats` times over a new connection; returns what it cost. */
async function sendOnce(job: JsSocketJob, block: Buffer): Promise<JsSocketPass> {
  const socket = await connectLoopback(job.port);
  const localPort = socket.localPort ?? -1;
  try {
    const reply = replyOf(socket);
    const before = process.resourceUsage();
    const t0 = process.hrtime.bigint();
    let writes = 0;
    for (let r = 0; r < job.repeats; r++) {
      for (let offset = 0; offset < block.length; offset += job.chunk) {
        writes++;
        // a view: the block is never written, so the socket may keep a reference until the kernel has the bytes
        if (!socket.write(block.subarray(offset, offset + job.chunk))) await once(socket, "drain");
      }
    }
    socket.end();
    const answer = await reply;
    const t1 = process.hrtime.bigint();
    const after = process.resourceUsage();
    if (answer !== "done\n") throw new Error(`receiver answered ${JSON.stringify(answer)} instead of "done"`);
    return {
      localPort,
      bytes: job.repeats * block.length,
      writes,
      cpuSeconds: (after.userCPUTime + after.systemCPUTime - before.userCPUTime - before.systemCPUTime) / 1e6,
      wallSeconds: Number(t1 - t0) / 1e9,
    };
  } finally {
    socket.destroy();
  }
}

async function run(job: JsSocketJob): Promise<number> {
  const block = fs.readFileSync(job.blockFile);
  if (block.length % job.chunk !== 0) throw new Error(`the block (${block.length} bytes) is not a whole number of ${job.chunk}-byte chunks`);
  for (let i = 0; i <= job.connections; i++) {
    const pass = await sendOnce(job, block);
    reportToParent<JsSocketReport>({ type: "connection", warmup: i === 0, pass });
  }
  return job.connections;
}

process.once("message", (job: JsSocketJob) => {
  run(job).then(
    (passes) => reportToParent<JsSocketReport>({ type: "result", passes }, () => process.disconnect()),
    (error: Error) => reportToParent<JsSocketReport>({ type: "error", message: error.message }, () => process.disconnect()),
  );
});
