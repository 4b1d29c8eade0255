// The data an experiment sends or reads: a file of random bytes, with the length and CRC-32 the receiver
// must report back. Files run to tens of GiB, so every loop over one stops at a signal between chunks.
import * as fs from "fs";
import * as crypto from "crypto";
import { crc32 } from "./checksum";
import { MiB } from "../units/sizes";
import { signalCheckpoint } from "../cleanup/registry";

/** A file of random bytes and what the receiver must see: its length and CRC-32. */
export interface DataFile {
  path: string;
  bytes: number;
  checksum: number;
}

/** Bytes written or read between two looks for a pending signal (about 10 ms of work). */
const CHUNK_BYTES = 4 * MiB;

/** Writes `bytes` random bytes to `file` (fsynced, so DONTNEED can drop its pages) and returns its checksum.
 *  Between chunks it lets a pending SIGINT/SIGTERM/SIGHUP through: the run's cleanup removes the scratch folder
 *  and the process ends, instead of writing on to the end (a 64 GiB file is minutes of writing). */
export async function writeDataFile(file: string, bytes: number): Promise<DataFile> {
  const checkpoint = signalCheckpoint(`writing ${file}`);
  const chunk = Buffer.allocUnsafe(Math.min(bytes, CHUNK_BYTES) || 1);
  const fd = fs.openSync(file, "w");
  let checksum = 0;
  try {
    for (let done = 0; done < bytes; ) {
      await checkpoint();
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

/** Checksums an existing file once, the way the receiver will; stops at a signal between chunks like writeDataFile. */
export async function describeFile(file: string): Promise<DataFile> {
  const checkpoint = signalCheckpoint(`reading ${file}`);
  const fd = fs.openSync(file, "r");
  const buffer = Buffer.allocUnsafe(CHUNK_BYTES);
  let checksum = 0;
  let bytes = 0;
  try {
    for (let n; (await checkpoint(), (n = fs.readSync(fd, buffer, 0, buffer.length, bytes))) > 0; bytes += n) {
      checksum = crc32(buffer.subarray(0, n), checksum);
    }
  } finally {
    fs.closeSync(fd);
  }
  return { path: file, bytes, checksum };
}
