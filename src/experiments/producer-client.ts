// Producer child process of the producer experiment (chapter 5): holds N random bytes in memory, and on
// each order sends them over loopback TCP to the sink and waits for its ack, like a Kafka producer waiting
// for a produce response. Its clock runs from the first byte offered to the ack read back.
// Started by producer.ts through child.cjs; exits when the parent goes away.
import * as net from "net";
import * as crypto from "crypto";
import { crc32, formatChecksum } from "./checksum";
import { readRusage, rusageDelta } from "./rusage";
import { connectLoopback } from "./loopback";
import { MiB } from "../units/sizes";
import { reportToParent, MessageOf } from "../cleanup/child-process";
import type { ProducerOrder, ProducerReport } from "./producer-messages";


let payload = Buffer.alloc(0);

/** Reports to the parent. */
function report(message: ProducerReport): void {
  reportToParent(message);
}

/** Fills the payload with random bytes (a misplaced or repeated block changes the CRC) and checksums it. */
function prepare(bytes: number): void {
  payload = Buffer.allocUnsafe(bytes);
  const piece = 16 * MiB;
  for (let offset = 0; offset < bytes; offset += piece) crypto.randomFillSync(payload, offset, Math.min(piece, bytes - offset));
  report({ type: "prepared", bytes, checksum: formatChecksum(crc32(payload)) });
}

/** Resolves with the sink's first line ("ack\n") as soon as it arrives, or whatever came before it closed. */
function replyOf(socket: net.Socket): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = "";
    socket.on("data", (d: Buffer) => {
      text += d.toString();
      if (text.includes("\n")) resolve(text); // the ack: the sink closes (and measures) after it
    });
    socket.once("end", () => resolve(text));
    socket.once("error", reject);
    socket.once("close", () => resolve(text));
  });
}

/** Resolves when the socket wants more data; rejects if it closes first. Called when write() says "wait". */
function drained(socket: net.Socket): Promise<void> {
  return new Promise((resolve, reject) => {
    const onDrain = () => {
      socket.off("close", onClose);
      resolve();
    };
    const onClose = () => {
      socket.off("drain", onDrain);
      reject(new Error("the sink closed the connection mid-send"));
    };
    socket.once("drain", onDrain);
    socket.once("close", onClose);
  });
}

/** Sends the payload in `chunk`-sized writes, respecting backpressure, and waits for the sink's ack. */
async function send(port: number, chunk: number): Promise<MessageOf<ProducerReport, "sent">> {
  const socket = await connectLoopback(port);
  const localPort = socket.localPort ?? -1; // read now: gone once both sides have closed
  try {
    const reply = replyOf(socket);
    reply.catch(() => undefined); // awaited after the send; a reset mid-send must not crash us before that
    const rusage0 = readRusage();
    const startNs = Number(process.hrtime.bigint());
    for (let offset = 0; offset < payload.length; offset += chunk) {
      // Slices of a buffer we never modify: socket.write() keeps a reference, it does not copy.
      const more = socket.write(payload.subarray(offset, Math.min(offset + chunk, payload.length)));
      if (!more) await drained(socket);
    }
    socket.end();
    const answer = await reply;
    const ackNs = Number(process.hrtime.bigint());
    const rusage = rusageDelta(rusage0, readRusage());
    if (answer !== "ack\n") throw new Error(`the sink answered ${JSON.stringify(answer)} instead of "ack"`);
    return { type: "sent", localPort, startNs, ackNs, userCpuMs: rusage.userMicros / 1000, systemCpuMs: rusage.systemMicros / 1000 };
  } finally {
    socket.destroy();
  }
}

process.on("message", (order: ProducerOrder) => {
  if (order?.type === "prepare") {
    try {
      prepare(order.bytes);
    } catch (error) {
      report({ type: "error", message: (error as Error).message });
    }
  } else if (order?.type === "send") {
    send(order.port, order.chunk).then(report, (error: Error) => report({ type: "error", message: error.message }));
  }
});
