// Child of the fresh-write calibration: a new process writes `bytes` of FILL_BYTE blocks to the receiver twice,
// each on a new connection, the way the experiment's read-write loop writes (wait for 'drain' when asked).
// Started by fresh-write.ts.
import { once } from "events";
import { connectLoopback, replyOf } from "../experiments/loopback";
import { cpuSeconds, nowSeconds } from "./measurement";
import { FILL_BYTE, WritePass } from "./fresh-write";

/** One connection: `bytes` in `chunk` blocks, end, wait for the receiver's "done". */
async function pass(port: number, bytes: number, chunk: number): Promise<WritePass> {
  const block = Buffer.alloc(chunk, FILL_BYTE); // never rewritten, so queued writes may share it
  const socket = await connectLoopback(port);
  const localPort = socket.localPort!;
  try {
    const reply = replyOf(socket);
    const cpu0 = cpuSeconds();
    const t0 = nowSeconds();
    for (let sent = 0; sent < bytes; sent += chunk) if (!socket.write(block)) await once(socket, "drain");
    socket.end();
    const answer = await reply;
    const cpu1 = cpuSeconds();
    if (answer !== "done\n") throw new Error(`receiver answered ${JSON.stringify(answer)}`);
    return { wallSeconds: nowSeconds() - t0, cpuSeconds: cpu1.user + cpu1.system - cpu0.user - cpu0.system, localPort };
  } finally {
    socket.destroy();
  }
}

process.once("message", async (job: { port: number; bytes: number; chunk: number }) => {
  try {
    const first = await pass(job.port, job.bytes, job.chunk);
    const second = await pass(job.port, job.bytes, job.chunk);
    process.send!({ type: "passes", first, second });
  } catch (error) {
    process.send!({ type: "error", message: (error as Error).message });
  }
});
