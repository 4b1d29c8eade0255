// Receiver child process: listens on 127.0.0.1 (ephemeral port), drains each connection, and reports the
// byte count and CRC-32 to the parent over IPC; then replies "done" so the sender can stop its clock.
// Started by transfer-experiment.ts through child.cjs; exits when the parent goes away.
import * as net from "net";
import { crc32, formatChecksum } from "./checksum";

/** Reports one finished connection to the parent. */
function report(message: object): void {
  if (process.send) process.send(message);
}

/** Counts and checksums one connection until the sender half-closes it. */
function drain(socket: net.Socket): void {
  const peerPort = socket.remotePort;
  let bytes = 0;
  let checksum = 0;
  socket.on("data", (data: Buffer) => {
    bytes += data.length;
    checksum = crc32(data, checksum);
  });
  socket.on("end", () => {
    report({ type: "received", peerPort, bytes, checksum: formatChecksum(checksum) });
    socket.end("done\n");
  });
  socket.on("error", (error) => report({ type: "receive-error", peerPort, bytes, message: error.message }));
}

const server = net.createServer(drain);
server.on("error", (error) => {
  report({ type: "fatal", message: error.message });
  process.exit(1);
});
server.listen(0, "127.0.0.1", () => report({ type: "listening", port: (server.address() as net.AddressInfo).port }));
