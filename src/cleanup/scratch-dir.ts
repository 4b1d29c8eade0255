// Scratch space for experiments: a temp directory with a free-space check, removed at exit like everything
// registered for cleanup.
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { track, release, Disposable } from "./registry";
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
