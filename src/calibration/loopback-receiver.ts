// Receiver child of the loopback calibration: does per byte exactly what the transfer experiment's receiver
// does (count, CRC-32 of each chunk Node hands it), and also measures itself: CPU time, minor faults and reads
// from its first byte to the sender's end. Started by loopback-tcp.ts through src/experiments/child.cjs.
import * as net from "net";
import { crc32, formatChecksum } from "../experiments/checksum";

/** Sends one message to the parent over IPC. */
function report(message: object): void {
  if (process.send) process.send(message);
}

/** Drains one connection, then reports its bytes, checksum and own costs, and answers "done". */
function drain(socket: net.Socket): void {
  let bytes = 0;
  let checksum = 0;
  let reads = 0;
  let cpu0: NodeJS.CpuUsage | undefined;
  let faults0 = 0;
  let t0 = 0n;
  socket.on("data", (data: Buffer) => {
    if (!cpu0) {
      // the clock starts at the first byte: connection setup is not the per-byte cost we calibrate
      cpu0 = process.cpuUsage();
      faults0 = process.resourceUsage().minorPageFault;
      t0 = process.hrtime.bigint();
    }
    reads++;
    bytes += data.length;
    checksum = crc32(data, checksum);
  });
  socket.on("end", () => {
    const cpu = process.cpuUsage(cpu0);
    report({
      type: "received",
      bytes,
      reads,
      checksum: formatChecksum(checksum),
      userSeconds: cpu.user / 1e6,
      systemSeconds: cpu.system / 1e6,
      minorFaults: process.resourceUsage().minorPageFault - faults0,
      busySeconds: Number(process.hrtime.bigint() - t0) / 1e9,
    });
    socket.end("done\n");
  });
  socket.on("error", (error) => report({ type: "receive-error", bytes, message: error.message }));
}

const server = net.createServer(drain);
server.on("error", (error) => {
  report({ type: "fatal", message: error.message });
  process.exit(1);
});
server.listen(0, "127.0.0.1", () => report({ type: "listening", port: (server.address() as net.AddressInfo).port }));
