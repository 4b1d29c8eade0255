// Receiver child process: listens on 127.0.0.1 (ephemeral port), drains each connection, and reports the
// byte count, CRC-32 and its own CPU time to the parent over IPC; then replies "done" so the sender can stop
// its clock. On loopback the receiver's copy and checksum are most of the wall time: its CPU is recorded too.
// Started by transfer-experiment.ts through child.cjs; exits when the parent goes away.
import * as net from "net";
import { crc32, formatChecksum } from "./checksum";
import { reportToParent } from "../cleanup/child-process";
import type { ReceiverReport } from "./transfer-messages";
import { MiB } from "../units/sizes";

/** Reports to the parent. */
function report(message: ReceiverReport): void {
  reportToParent(message);
}

/** One buffer for every read: no allocation per chunk, so the receiver is not the bottleneck it measures. */
const READ_BUFFER = Buffer.allocUnsafe(1 * MiB);

/** Counts and checksums one connection until the sender half-closes it. */
function drain(accepted: net.Socket): void {
  const peerPort = accepted.remotePort ?? -1; // -1: the peer was gone before we looked; matches no sender
  let bytes = 0;
  let checksum = 0;
  const cpu0 = process.cpuUsage(); // one connection at a time, so this delta is this transfer's receiving cost
  // Re-wrap the accepted handle with `onread`, which reads into READ_BUFFER (net.Server has no such option;
  // `handle` is an undocumented Socket option, the counterpart of the `_handle.fd` the sender uses).
  // The server's connection count is not decremented for re-wrapped sockets: harmless, the receiver is killed, never closed.
  const socket = new net.Socket({
    handle: (accepted as unknown as { _handle: unknown })._handle,
    onread: {
      buffer: READ_BUFFER,
      callback: (n: number, buffer: Uint8Array) => {
        bytes += n;
        checksum = crc32(buffer.subarray(0, n), checksum);
        return true;
      },
    },
  } as net.SocketConstructorOpts);
  socket.on("end", () => {
    const cpu = process.cpuUsage(cpu0);
    report({ type: "received", peerPort, bytes, checksum: formatChecksum(checksum), cpuMs: (cpu.user + cpu.system) / 1000 });
    socket.end("done\n");
  });
  socket.on("error", (error) => report({ type: "receive-error", peerPort, bytes, message: error.message }));
}

const server = net.createServer({ pauseOnConnect: true }, drain);
server.on("error", (error) => {
  report({ type: "fatal", message: error.message });
  process.exit(1);
});
server.listen(0, "127.0.0.1", () => report({ type: "listening", port: (server.address() as net.AddressInfo).port }));
