// The receiver's own work per byte: the transfer experiment's receiver checksums every chunk it reads with
// CRC-32 (src/experiments/checksum.ts). One chunk-sized piece digested over and over: in the receiver the
// kernel has just copied the chunk into the read buffer, so the checksum reads it from the CPU cache.
import { crc32 } from "../experiments/checksum";
import { Measurement, measurementOf, timeSeconds } from "./measurement";

/** Bytes per second crc32 digests, `bytes` in total through one cache-hot `chunk`-byte piece, median of `runs`. */
export function measureChecksum(bytes: number, chunk: number, runs: number): Measurement {
  const piece = Buffer.allocUnsafeSlow(chunk).fill(0xa5);
  const count = Math.max(1, Math.round(bytes / chunk));
  let sink = 0;
  const digest = () => {
    let value = 0;
    for (let i = 0; i < count; i++) value = crc32(piece, value);
    sink ^= value;
  };
  digest(); // untimed warm-up
  const values: number[] = [];
  for (let run = 0; run < runs; run++) values.push((count * chunk) / timeSeconds(digest));
  if (!Number.isFinite(sink)) throw new Error("crc32 returned no number");
  return measurementOf(
    "checksum",
    "bytes/s",
    values,
    `crc32 of one cache-hot ${chunk}-byte piece, ${count} times (the receiver's check per read), median of ${runs}`,
  );
}
