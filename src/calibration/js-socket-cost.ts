// What Node's net.Socket.write costs per call beyond the kernel's work: a new process (js-socket-child.ts) sends
// one block of memory in 64 KiB views to the transfer experiment's receiver, over several connections. No file is
// read and no Buffer is allocated per chunk, so no transfer path runs: this is the write half of the JavaScript
// read-write loop alone. The machine profile subtracts the kernel's part (the copy into socket buffers, loopback
// TCP, the system call); what is left is Node's: the stream's bookkeeping, the binding, libuv's write, the callback.
import * as fs from "fs";
import * as path from "path";
import { startChild } from "../cleanup/child-process";
import { startReceiver, awaitVerifiedReceipt, Receiver } from "../experiments/transfer-experiment";
import { summarize, Spread } from "../statistics/spread";
import { writeBlock, LOOPBACK_BLOCK_BYTES } from "./loopback-tcp-cost";
import type { JsSocketJob, JsSocketPass, JsSocketReport } from "./js-socket-child";

/** The child: a new process, as the experiment's sender is. */
const CHILD = path.join(__dirname, "js-socket-child.ts");

/** Sends about `bytes` per connection in `chunk`-byte writes, `connections` measured connections after one
 *  unmeasured; every connection verified byte-exact at the receiver. */
export async function measureSocketWrites(dir: string, bytes: number, chunk: number, connections: number): Promise<JsSocketPass[]> {
  if (connections < 1) throw new RangeError("the socket.write benchmark needs at least one measured connection");
  const repeats = Math.max(1, Math.round(bytes / LOOPBACK_BLOCK_BYTES));
  const { file, expected } = writeBlock(dir, repeats);
  let receiver: Receiver | undefined;
  const child = startChild<JsSocketJob, JsSocketReport>(CHILD, "socket.write loop");
  const passes: JsSocketPass[] = [];
  try {
    receiver = await startReceiver();
    child.send({ type: "run", port: receiver.port, blockFile: file, repeats, chunk, connections });
    for (let i = 0; i <= connections; i++) {
      const reply = await child.next(["connection", "error"], 60_000, "a connection's report");
      if (reply.type === "error") throw new Error(`socket.write loop: ${reply.message}`);
      await awaitVerifiedReceipt(receiver, reply.pass.localPort, expected, "socket.write loop", i);
      if (!reply.warmup) passes.push(reply.pass);
    }
    return passes;
  } finally {
    await child.stop();
    await receiver?.handle.stop();
    fs.rmSync(file, { force: true });
  }
}

/** CPU per write over the measured connections. */
export function cpuPerWrite(passes: readonly JsSocketPass[]): Spread {
  return summarize(passes.map((p) => p.cpuSeconds / p.writes));
}
