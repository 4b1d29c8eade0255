// Loopback TCP between two processes: this process sends to a receiver child on 127.0.0.1 -- the transfer
// experiment's own receiver (src/experiments/receiver.ts), which checksums every chunk and reports its CPU time
// per connection, so the calibration prices exactly the receiver the experiment uses. Two senders:
//  - "memory": socket.write() of one in-memory block: the classic socket throughput, with the copy into the
//    socket buffer (copy_from_user) on the sender;
//  - "sendfile": sendfile(2) of a cached file, several times over: on loopback the socket buffer only references
//    the page-cache pages (lo does scatter-gather), so the sender pays the TCP stack alone.
// Both run twice: with the two processes pinned (taskset) to ONE core, and free on TWO cores (not pinned, as the
// transfer experiment runs them; pinning each to its own core makes every wake-up cross cores, which costs more
// than the scheduler's own placement). Where they run changes who pays for what (on two cores the sender's CPU
// also runs much of the receive side of loopback TCP, in softirq) and whether their work overlaps.
import * as path from "path";
import * as net from "net";
import * as crypto from "crypto";
import { allowedCpus, pin } from "./affinity";
import { once } from "events";
import { transferToSocket } from "../native/zero-copy";
import { startChild, ChildHandle } from "../cleanup/child-process";
import type { ReceiverOrder, ReceiverReport } from "../experiments/transfer-messages";

/** The transfer experiment's receiver: the calibration measures against the same process. */
const RECEIVER_SCRIPT = path.join(__dirname, "..", "experiments", "receiver.ts");
import { crc32, formatChecksum } from "../experiments/checksum";
import { readProcIo } from "../experiments/proc-io";
import { Measurement, measurementOf, nowSeconds, cpuSeconds } from "./measurement";
import { connectLoopback, replyOf } from "../experiments/loopback";
import { MiB } from "../units/sizes";

/** Where the two processes run: both on one core, or one core each. */
export const PLACEMENTS = ["one-core", "two-cores"] as const;
export type Placement = (typeof PLACEMENTS)[number];

/** What one loopback run cost each side. */
export interface LoopbackRun {
  placement: Placement;
  /** The sender's label: "memory-1MiB", "sendfile" (the file several times over), "sendfile-once". */
  sender: string;
  bytes: number;
  wallSeconds: number;
  senderUserSeconds: number;
  senderSystemSeconds: number;
  /** write(2)-like calls the sender made (/proc/self/io syscw; sendfile counts there too). */
  senderWrites: number;
  /** CPU (user + system) the receiver reported for this connection. */
  receiverCpuSeconds: number;
}

/** Where the sender takes its bytes from: socket.write() of a `writeBytes` block, or sendfile of a cached file. */
export type LoopbackSender =
  | { kind: "memory"; bytes: number; writeBytes: number }
  /** `repeat` times the whole cached file `fd` of `fileBytes` bytes with `fileChecksum`. */
  | { kind: "sendfile"; fd: number; fileBytes: number; fileChecksum: number; repeat: number };

/** What the sender will push: a send function, total bytes and the CRC-32 the receiver must report. */
interface Plan {
  bytes: number;
  checksum: string;
  send(socket: net.Socket): Promise<void>;
}

/** The label runs and measurements carry: "memory-1MiB", "sendfile" or "sendfile-once" (a single pass). */
export function senderLabel(sender: LoopbackSender): string {
  if (sender.kind === "sendfile") return sender.repeat === 1 ? "sendfile-once" : "sendfile";
  const b = sender.writeBytes;
  return `memory-${b % MiB === 0 ? `${b / MiB}MiB` : b % 1024 === 0 ? `${b / 1024}KiB` : `${b}B`}`;
}

/** Builds the send loop of a sender kind; the expected checksum is computed here, before any clock runs. */
function planOf(sender: LoopbackSender): Plan {
  if (sender.kind === "memory") {
    const block = crypto.randomBytes(Math.min(sender.writeBytes, sender.bytes));
    const blocks = Math.max(1, Math.round(sender.bytes / block.length));
    let checksum = 0;
    for (let i = 0; i < blocks; i++) checksum = crc32(block, checksum);
    return {
      bytes: blocks * block.length,
      checksum: formatChecksum(checksum),
      async send(socket) {
        // The same block again and again: socket.write keeps a reference, which is safe because the block is
        // never rewritten (reusing a buffer is only unsafe when its content changes while queued). The loop is the
        // experiment's read-write loop without the read: write, and wait for 'drain' when write() says so.
        for (let i = 0; i < blocks; i++) if (!socket.write(block)) await once(socket, "drain");
      },
    };
  }
  const { fd, fileBytes, fileChecksum, repeat } = sender;
  let checksum = 0;
  for (let i = 0; i < repeat; i++) checksum = crc32Combine(checksum, fileChecksum, fileBytes);
  return {
    bytes: fileBytes * repeat,
    checksum: formatChecksum(checksum),
    async send(socket) {
      for (let i = 0; i < repeat; i++) {
        const counts = await transferToSocket("sendfile", fd, socket, 0, fileBytes);
        if (counts.bytes !== fileBytes) throw new Error(`sendfile sent ${counts.bytes} of ${fileBytes} bytes`);
      }
    },
  };
}

/** CRC-32 of A followed by B, from crc(A), crc(B) and B's length (zlib's crc32_combine); crc(empty) = 0. */
export function crc32Combine(crcA: number, crcB: number, lengthB: number): number {
  // Appending B to A: crc(AB) = shift(crc(A), len B) ^ crc(B), where shift applies len(B) zero bytes to A's register
  // without the init/final xor; done with GF(2) matrix squaring as in zlib's crc32_combine.
  const times = (mat: Uint32Array, vec: number) => {
    let sum = 0;
    for (let i = 0; vec; vec >>>= 1, i++) if (vec & 1) sum ^= mat[i];
    return sum >>> 0;
  };
  const square = (out: Uint32Array, mat: Uint32Array) => {
    for (let n = 0; n < 32; n++) out[n] = times(mat, mat[n]);
  };
  let odd = new Uint32Array(32);
  let even = new Uint32Array(32);
  odd[0] = 0xedb88320;
  for (let n = 1, row = 1; n < 32; n++, row <<= 1) odd[n] = row >>> 0;
  square(even, odd); // 2 zero bits
  square(odd, even); // 4 zero bits
  let a = crcA >>> 0;
  let len = lengthB;
  do {
    square(even, odd);
    if (len % 2) a = times(even, a);
    len = Math.floor(len / 2);
    if (len === 0) break;
    square(odd, even);
    if (len % 2) a = times(odd, a);
    len = Math.floor(len / 2);
  } while (len !== 0);
  return (a ^ crcB) >>> 0;
}

/** One measured transfer to the receiver, verified by length and CRC-32. */
async function runOnce(receiver: ChildHandle<ReceiverOrder, ReceiverReport>, port: number, label: string, plan: Plan, placement: Placement): Promise<LoopbackRun> {
  const socket = await connectLoopback(port);
  const localPort = socket.localPort; // read now: a closed socket no longer has one
  try {
    const reply = replyOf(socket);
    const io0 = readProcIo();
    const cpu0 = cpuSeconds();
    const t0 = nowSeconds();
    await plan.send(socket);
    socket.end();
    const answer = await reply; // the clock stops when the receiver has every byte
    const t1 = nowSeconds();
    const cpu1 = cpuSeconds();
    const io1 = readProcIo();
    if (answer !== "done\n") throw new Error(`calibration receiver answered ${JSON.stringify(answer)} instead of "done"`);
    const receipt = await receiver.next(["received", "receive-error"], 30_000, "a receipt", (m) => m.peerPort === localPort);
    if (receipt.type !== "received" || receipt.bytes !== plan.bytes || receipt.checksum !== plan.checksum) {
      throw new Error(
        `loopback calibration lost data: the receiver got ${receipt.bytes} bytes with crc32 ${receipt.type === "received" ? receipt.checksum : receipt.message}, ` +
          `${plan.bytes} bytes with crc32 ${plan.checksum} were sent`,
      );
    }
    return {
      placement,
      sender: label,
      bytes: plan.bytes,
      wallSeconds: t1 - t0,
      senderUserSeconds: cpu1.user - cpu0.user,
      senderSystemSeconds: cpu1.system - cpu0.system,
      senderWrites: io1.syscw - io0.syscw,
      receiverCpuSeconds: receipt.cpuMs / 1000,
    };
  } finally {
    socket.destroy();
  }
}

/** Runs each sender `runs` times (after one untimed warm-up each), interleaved, against one receiver process:
 *  "one-core" pins both processes to our first CPU (our own affinity is restored afterwards), "two-cores" leaves
 *  them to the scheduler on all our CPUs. */
export async function runLoopback(senders: readonly LoopbackSender[], runs: number, placement: Placement): Promise<LoopbackRun[]> {
  const plans = senders.map(planOf);
  const cpus = allowedCpus();
  if (placement === "two-cores" && cpus.length < 2) throw new Error(`placement two-cores needs two CPUs; this process may use ${cpus.join(",")}`);
  const receiver = startChild<ReceiverOrder, ReceiverReport>(RECEIVER_SCRIPT, "calibration receiver");
  const results: LoopbackRun[] = [];
  try {
    const listening = await receiver.next(["listening"], 30_000, "its port");
    const port = listening.port;
    if (placement === "one-core") {
      pin(process.pid, [cpus[0]]);
      pin(receiver.child.pid!, [cpus[0]]);
    }
    for (let round = -1; round < runs; round++) {
      for (const [i, plan] of plans.entries()) {
        const run = await runOnce(receiver, port, senderLabel(senders[i]), plan, placement);
        if (round >= 0) results.push(run); // round -1 is the warm-up: JIT, socket buffers, receiver heap
      }
    }
  } finally {
    receiver.stop();
    pin(process.pid, cpus);
  }
  return results;
}

/** The calibration's view of loopback runs of one sender and placement: throughput and each side's CPU per byte. */
export function loopbackMeasurements(sender: LoopbackSender, placement: Placement, all: readonly LoopbackRun[]): Measurement[] {
  const label = senderLabel(sender);
  const runs = all.filter((r) => r.sender === label && r.placement === placement);
  if (runs.length === 0) return [];
  const per = (f: (r: LoopbackRun) => number) => runs.map(f);
  const source = sender.kind === "memory" ? `from memory (${sender.writeBytes}-byte socket.write)` : "by sendfile(2) of a cached file";
  const where = placement === "one-core" ? "both pinned to one core" : "both free on two cores";
  const how = `${runs[0].bytes} bytes ${source} to a receiver process on 127.0.0.1 that crc32s each chunk, ${where}, median of ${runs.length}`;
  const name = (what: string) => `loopback-${placement}-${label}-${what}`;
  return [
    measurementOf(name("sender-cpu"), "s/byte", per((r) => (r.senderUserSeconds + r.senderSystemSeconds) / r.bytes), `sender user+system CPU per byte; ${how}`),
    measurementOf(name("sender-writes"), "calls", per((r) => r.senderWrites), `write-type system calls of the sender (/proc/self/io syscw); ${how}`),
    measurementOf(name("receiver-cpu"), "s/byte", per((r) => r.receiverCpuSeconds / r.bytes), `receiver user+system CPU per byte (as it reports it); ${how}`),
    measurementOf(name("throughput"), "bytes/s", per((r) => r.bytes / r.wallSeconds), how),
    measurementOf(name("bytes"), "bytes", per((r) => r.bytes), `bytes per connection; ${how}`),
    measurementOf(name("sender-user"), "s/byte", per((r) => r.senderUserSeconds / r.bytes), `sender user CPU per byte; ${how}`),
    measurementOf(name("sender-system"), "s/byte", per((r) => r.senderSystemSeconds / r.bytes), `sender system CPU per byte; ${how}`),
  ];
}

/** Each call's cost from two memory senders that moved the same bytes in different write sizes, paired round by round
 *  (the runs are interleaved, so each pair ran within a second of each other and a slow spell of the machine hits both):
 *  per byte x(w) = x(infinite writes) + perWrite / w, so perWrite = (x(small) - x(large)) / (1/small - 1/large).
 *  Gives the sender's CPU per write ("socket-write") and the receiver's ("receiver-per-write"), seconds per write. */
export function perWriteMeasurements(small: number, large: number, placement: Placement, all: readonly LoopbackRun[]): Measurement[] {
  const label = (writeBytes: number) => senderLabel({ kind: "memory", bytes: 0, writeBytes });
  const smallRuns = all.filter((r) => r.placement === placement && r.sender === label(small));
  const largeRuns = all.filter((r) => r.placement === placement && r.sender === label(large));
  const rounds = Math.min(smallRuns.length, largeRuns.length);
  if (rounds === 0) return [];
  const paired = (cost: (r: LoopbackRun) => number) =>
    Array.from({ length: rounds }, (_, i) => (cost(smallRuns[i]) / smallRuns[i].bytes - cost(largeRuns[i]) / largeRuns[i].bytes) / (1 / small - 1 / large));
  const where = placement === "one-core" ? "both pinned to one core" : "both free on two cores";
  const how = `${label(small)} against ${label(large)} socket.write to the receiver over 127.0.0.1, same bytes, paired by round, ${where}, median of ${rounds}`;
  return [
    measurementOf(`loopback-${placement}-socket-write`, "s/write", paired((r) => r.senderUserSeconds + r.senderSystemSeconds), `sender CPU per write; ${how}`),
    measurementOf(`loopback-${placement}-receiver-per-write`, "s/write", paired((r) => r.receiverCpuSeconds), `receiver CPU per write of the sender; ${how}`),
  ];
}
