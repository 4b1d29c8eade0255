// The raw baseline of the broker benchmark: one plain sendfile(2) of each segment file to a receiver, no
// protocol at all, timed and charged (getrusage of this process) like the broker. Uses the addon's
// sendfile loop (src/native). Messages: kafka-child-messages.ts.
import * as fs from "fs";
import * as net from "net";
import { transferToSocket } from "../native/zero-copy";
import type { ToRawSender, FromRawSender } from "./kafka-child-messages";

function send(message: FromRawSender): void {
  process.send?.(message);
}

async function sendFiles(port: number, files: Array<{ path: string; bytes: number }>): Promise<void> {
  const socket = net.connect({ port, host: "127.0.0.1", noDelay: true });
  await new Promise<void>((resolve, reject) => {
    socket.once("connect", () => resolve());
    socket.once("error", reject);
  });
  const fds = files.map((f) => fs.openSync(f.path, "r"));
  try {
    const usage0 = process.resourceUsage();
    const t0 = process.hrtime.bigint();
    let bytes = 0;
    let calls = 0;
    for (const [i, f] of files.entries()) {
      const counts = await transferToSocket("sendfile", fds[i], socket, 0, f.bytes);
      bytes += counts.bytes;
      calls += counts.calls + counts.polls;
    }
    const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
    const usage = process.resourceUsage();
    const cpuSeconds = (usage.userCPUTime - usage0.userCPUTime + usage.systemCPUTime - usage0.systemCPUTime) / 1e6;
    // The clock stops when the receiver says it has everything (it closes the connection).
    await new Promise<void>((resolve) => {
      socket.once("close", () => resolve());
      socket.end();
      socket.resume();
    });
    send({ type: "sent", bytes, seconds, cpuSeconds, calls });
  } finally {
    for (const fd of fds) fs.closeSync(fd);
    socket.destroy();
  }
}

process.on("message", (raw) => {
  const message = raw as ToRawSender;
  if (message.type === "send") sendFiles(message.port, message.files).catch((error: Error) => send({ type: "failed", message: error.message }));
});
send({ type: "ready" });
