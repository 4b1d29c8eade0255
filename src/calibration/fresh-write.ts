// What a new Node process pays extra for its first socket.write() calls, as the experiment's one-transfer sender
// does: V8 runs net.Socket's and stream.Writable's code in the interpreter first and compiles it only once it is
// hot, and the process's heap is still growing. A child process writes `bytes` in the experiment's chunk to the
// experiment's receiver twice, each time on a new connection: the first pass starts cold, the second runs warm;
// the difference is the warm-up. One child per repetition, since a process warms up only once.
import { startChild, ChildHandle } from "../experiments/child-process";
import { crc32, formatChecksum } from "../experiments/checksum";
import { crc32Combine } from "./loopback-tcp";
import { Measurement, measurementOf } from "./measurement";

/** One pass of the fresh-write child: wall and process CPU seconds, and the connection's local port. */
export interface WritePass {
  wallSeconds: number;
  cpuSeconds: number;
  localPort: number;
}

/** The byte every block of the fresh-write child holds; the parent checks the receiver's CRC-32 against it. */
export const FILL_BYTE = 0x5a;

/** Checks that the receiver got exactly `bytes` of FILL_BYTE on the connection from `localPort`. */
async function verifyReceipt(receiver: ChildHandle, localPort: number, bytes: number, chunk: number): Promise<void> {
  const ours = (m: { type: string; peerPort?: unknown }) => (m.type === "received" || m.type === "receive-error") && m.peerPort === localPort;
  const receipt = await receiver.next(ours, 30_000, "a receipt");
  const blockCrc = crc32(Buffer.alloc(chunk, FILL_BYTE));
  let expected = 0;
  for (let i = 0; i < bytes / chunk; i++) expected = crc32Combine(expected, blockCrc, chunk);
  if (receipt.type !== "received" || receipt.bytes !== bytes || receipt.checksum !== formatChecksum(expected)) {
    throw new Error(`fresh-write calibration lost data: the receiver got ${receipt.bytes} bytes (crc32 ${receipt.checksum ?? receipt.message}), ${bytes} were sent`);
  }
}

/** Runs one fresh-write child against `receiver`: its cold first pass and its warm second pass over `bytes`. */
async function freshWriteChild(receiver: ChildHandle, port: number, bytes: number, chunk: number): Promise<{ first: WritePass; second: WritePass }> {
  const child = startChild("../calibration/fresh-write-child.ts", "fresh-write child");
  try {
    child.send({ type: "run", port, bytes, chunk });
    const reply = await child.next((m) => m.type === "passes" || m.type === "error", 60_000, "its write passes");
    if (reply.type === "error") throw new Error(`fresh-write child: ${reply.message}`);
    const first = reply.first as WritePass;
    const second = reply.second as WritePass;
    await verifyReceipt(receiver, first.localPort, bytes, chunk);
    await verifyReceipt(receiver, second.localPort, bytes, chunk);
    return { first, second };
  } finally {
    await child.stop();
  }
}

/** For each size, `repeat` new processes write it twice to the experiment's receiver over loopback: the cold first
 *  pass's and the warm second pass's CPU (medians over the processes). */
export async function measureFreshWrites(sizes: readonly number[], chunk: number, repeat: number): Promise<Measurement[]> {
  const receiver = startChild("receiver.ts", "fresh-write receiver");
  const measurements: Measurement[] = [];
  try {
    const port = (await receiver.next((m) => m.type === "listening", 30_000, "its port")).port as number;
    for (const size of sizes) {
      const bytes = Math.max(1, Math.round(size / chunk)) * chunk;
      const passes: { first: WritePass; second: WritePass }[] = [];
      for (let i = 0; i < repeat; i++) passes.push(await freshWriteChild(receiver, port, bytes, chunk));
      const how = `socket.write of ${chunk}-byte blocks, ${bytes} bytes to the experiment's receiver over 127.0.0.1, in a new process, median of ${repeat} processes`;
      measurements.push(
        measurementOf(`fresh-write-cpu-${bytes}`, "s", passes.map((p) => p.first.cpuSeconds), `process CPU of the first (cold) pass; ${how}`),
        measurementOf(`warm-write-cpu-${bytes}`, "s", passes.map((p) => p.second.cpuSeconds), `process CPU of the second (warm) pass, new connection; ${how}`),
      );
    }
  } finally {
    await receiver.stop();
  }
  return measurements;
}
