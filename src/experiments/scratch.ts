// Scratch space for experiments: a temp directory with a free-space check, and data files of known content.
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as crypto from "crypto";
import { track, release, Disposable } from "./cleanup";
import { crc32 } from "./checksum";
import { MiB, formatBytes } from "../units/sizes";

/** Headroom left free beyond what an experiment writes, so the machine keeps working. */
const SPARE_BYTES = 256 * MiB;

/** A temp directory registered for cleanup; remove() deletes it and everything in it. */
export interface ScratchDir extends Disposable {
  dir: string;
  remove(): void;
}

/** Free bytes for unprivileged writers on the filesystem holding `dir`. */
export function freeBytes(dir: string): number {
  const stats = fs.statfsSync(dir);
  return stats.bavail * stats.bsize;
}

/** Makes a temp directory under `parent` after checking `needBytes` (+ headroom) fit; removed at exit. */
export function makeScratchDir(prefix: string, needBytes: number, parent = os.tmpdir()): ScratchDir {
  if (!fs.existsSync(parent)) throw new Error(`scratch directory ${parent} does not exist; pass an existing directory`);
  const free = freeBytes(parent);
  if (free < needBytes + SPARE_BYTES) {
    throw new Error(
      `not enough free space in ${parent}: the experiment needs ${formatBytes(needBytes)} (+${formatBytes(SPARE_BYTES)} spare), ${formatBytes(free)} is free; use a smaller size or another directory`,
    );
  }
  const dir = fs.mkdtempSync(path.join(parent, `workbook-${prefix}-`));
  const scratch: ScratchDir = {
    label: `scratch dir ${dir}`,
    dir,
    dispose: () => fs.rmSync(dir, { recursive: true, force: true }),
    remove: () => release(scratch),
  };
  return track(scratch);
}

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
