// Loopback TCP cost per byte and per send call, on the sending and on the receiving side: a C sender
// (loopback-sender.c) pushes one block of memory, over and over, to the transfer experiment's own receiver
// (src/experiments/receiver.ts: it reads into one 1 MiB buffer and CRC-32s every read) on 127.0.0.1.
// One 8 MiB block, over and over, so no transfer path runs: this is the socket half alone, in four variants, interleaved:
//   copy, 1 MiB writes, paced     write(2) copies into socket buffers: TCP's cost per byte on each side, for a
//                                 sender no faster than its receiver (the experiment's copy loops copy twice)
//   copy, 1 MiB and 32 KiB writes, as fast as the sender goes: the same bytes in 32x the calls; the difference
//                                 is the cost of one send call (32 KiB: one segment per write, below loopback's
//                                 MSS of 65,483 bytes; a 64 KiB write would end in a 53-byte runt segment, which
//                                 on this VM sometimes costs 20 µs more and sometimes nothing)
//   borrow, 1 MiB, paced          sendfile(2) of the block file, cached: the socket buffers reference its
//                                 page-cache pages instead of copying them
// Paced = a pause after every 1 MiB, so the receiver always keeps up: every segment goes out at once, and the
// loopback "receive" (the softirq that delivers it into the receiving socket) runs on the sender's core. A sender
// faster than its receiver closes the receive window instead, and the receiver's window updates release the
// segments: the delivery then runs on the receiver's core. Each side's cost per byte includes what lands on it;
// the sum of the two does not depend on where it landed.
// Each run is a new sender process (as in the experiment), verified byte-exact at the receiver.
import * as fs from "fs";
import * as path from "path";
import { startReceiver, awaitVerifiedReceipt, Receiver } from "../experiments/transfer-experiment";
import { crc32 } from "../experiments/checksum";
import { runBenchmark } from "./c-benchmark";
import { summarize, Spread } from "../statistics/spread";
import type { DataFile } from "../experiments/data-file";
import { KiB, MiB } from "../units/sizes";

/** The pause after each 1 MiB of a paced run: about four times what the receiver needs to drain 1 MiB here. */
export const PACE_MICROS = 2000;

/** A paced run moves this fraction of an unpaced run's bytes (its pauses, not its bytes, take the time). */
const PACED_SHARE = 1 / 4;

/** The sender variants; `writeBytes` is the size of one send call. */
export const LOOPBACK_VARIANTS = [
  { name: "copy-1MiB-paced", mode: "copy", writeBytes: MiB, pauseMicros: PACE_MICROS },
  { name: "copy-1MiB", mode: "copy", writeBytes: MiB, pauseMicros: 0 },
  { name: "copy-32KiB", mode: "copy", writeBytes: 32 * KiB, pauseMicros: 0 },
  { name: "borrow-1MiB-paced", mode: "borrow", writeBytes: MiB, pauseMicros: PACE_MICROS },
] as const;
export type LoopbackVariant = (typeof LOOPBACK_VARIANTS)[number]["name"];

/** Size of the block the sender repeats: larger than the L2 cache, so its bytes come from memory as a file's would. */
export const LOOPBACK_BLOCK_BYTES = 8 * MiB;

/** One verified run of one variant: both sides' CPU, per byte. */
export interface LoopbackCostRun {
  variant: LoopbackVariant;
  round: number;
  bytes: number;
  writeBytes: number;
  /** Send calls the sender made (write or sendfile). */
  calls: number;
  wallSeconds: number;
  senderCpuSeconds: number;
  receiverCpuSeconds: number;
}

/** Per-variant medians and spreads, in seconds per byte. */
export interface LoopbackCostSummary {
  variant: LoopbackVariant;
  writeBytes: number;
  senderSecondsPerByte: Spread;
  receiverSecondsPerByte: Spread;
  wallSecondsPerByte: Spread;
}

/** Writes the block the senders repeat (random bytes) and returns the data file the receiver must see for `repeats` copies. */
export function writeBlock(dir: string, repeats: number): { file: string; expected: DataFile } {
  const block = Buffer.alloc(LOOPBACK_BLOCK_BYTES);
  for (let i = 0; i < block.length; i += 4) block.writeUInt32LE((Math.imul(i + 1, 2654435761) ^ (i >>> 7)) >>> 0, i);
  const file = path.join(dir, "loopback-block.bin");
  fs.writeFileSync(file, block);
  let checksum = 0;
  for (let i = 0; i < repeats; i++) checksum = crc32(block, checksum);
  return { file, expected: { path: file, bytes: repeats * block.length, checksum } };
}

/** CRC-32 the receiver reports for `repeats` copies of the block in `file`. */
function blockChecksum(file: string, repeats: number): number {
  const block = fs.readFileSync(file);
  let checksum = 0;
  for (let i = 0; i < repeats; i++) checksum = crc32(block, checksum);
  return checksum;
}

/** Runs every variant `runs` times (after one unrecorded warm-up round), interleaved, `bytes` per run. Neither
 *  process is pinned: the experiment's are not, and a pinned process cannot move away from other work on its core. */
export async function measureLoopbackCost(binary: string, dir: string, bytes: number, runs: number): Promise<LoopbackCostRun[]> {
  const repeats = Math.max(1, Math.round(bytes / LOOPBACK_BLOCK_BYTES));
  const { file, expected: full } = writeBlock(dir, repeats);
  const pacedRepeats = Math.max(1, Math.round(repeats * PACED_SHARE));
  const paced: DataFile = { ...full, bytes: pacedRepeats * LOOPBACK_BLOCK_BYTES, checksum: blockChecksum(file, pacedRepeats) };
  let receiver: Receiver | undefined;
  const results: LoopbackCostRun[] = [];
  try {
    receiver = await startReceiver();
    for (let round = -1; round < runs; round++) {
      // rotate the order each round, so no variant always follows the same one
      const order = LOOPBACK_VARIANTS.map((_, i) => LOOPBACK_VARIANTS[(i + Math.max(0, round)) % LOOPBACK_VARIANTS.length]);
      for (const variant of order) {
        const expected = variant.pauseMicros > 0 ? paced : full;
        const args = [String(receiver.port), file, String(expected.bytes), String(variant.writeBytes), variant.mode, String(variant.pauseMicros)];
        const report = (await runBenchmark(binary, args, 60_000 + expected.bytes / 1e5)) as Record<string, number | string>;
        const receipt = await awaitVerifiedReceipt(receiver, report.localPort as number, expected, `loopback ${variant.name}`, round);
        if (report.reply !== "done") throw new Error(`loopback ${variant.name}: the receiver did not answer "done"`);
        if (round < 0) continue;
        results.push({
          variant: variant.name,
          round,
          bytes: expected.bytes,
          writeBytes: variant.writeBytes,
          calls: report.calls as number,
          wallSeconds: report.wallSeconds as number,
          senderCpuSeconds: (report.userSeconds as number) + (report.systemSeconds as number),
          receiverCpuSeconds: (receipt.cpuMs as number) / 1000,
        });
      }
    }
  } finally {
    await receiver?.handle.stop();
    fs.rmSync(file, { force: true });
  }
  return results;
}

/** Medians and spreads per variant; throws if a variant has no runs. */
export function summarizeLoopbackCost(runs: readonly LoopbackCostRun[]): LoopbackCostSummary[] {
  return LOOPBACK_VARIANTS.map((variant) => {
    const mine = runs.filter((r) => r.variant === variant.name);
    if (mine.length === 0) throw new Error(`loopback micro-benchmark has no ${variant.name} runs`);
    return {
      variant: variant.name,
      writeBytes: variant.writeBytes,
      senderSecondsPerByte: summarize(mine.map((r) => r.senderCpuSeconds / r.bytes)),
      receiverSecondsPerByte: summarize(mine.map((r) => r.receiverCpuSeconds / r.bytes)),
      wallSecondsPerByte: summarize(mine.map((r) => r.wallSeconds / r.bytes)),
    };
  });
}
