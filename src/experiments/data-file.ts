// The data an experiment sends or reads: a file of random bytes, with the length and CRC-32 the receiver
// must report back.
import * as fs from "fs";
import * as crypto from "crypto";
import { crc32 } from "./checksum";
import { MiB } from "../units/sizes";

/** A file of random bytes and what the receiver must see: its length and CRC-32. */
export interface DataFile {
  path: string;
  bytes: number;
  checksum: number;
}

/** Writes `bytes` random bytes to `file` (fsynced, so DONTNEED can drop its pages) and returns its checksum. */
export function writeDataFile(file: string, bytes: number): DataFile {
  const chunk = Buffer.allocUnsafe(Math.min(bytes, 4 * MiB) || 1);
  const fd = fs.openSync(file, "w");
  let checksum = 0;
  try {
    for (let done = 0; done < bytes; ) {
      const n = Math.min(chunk.length, bytes - done);
      crypto.randomFillSync(chunk, 0, n); // random content: a misplaced or repeated block changes the CRC
      const piece = chunk.subarray(0, n);
      checksum = crc32(piece, checksum);
      for (let written = 0; written < n; ) written += fs.writeSync(fd, piece, written, n - written, done + written);
      done += n;
    }
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  return { path: file, bytes, checksum };
}
