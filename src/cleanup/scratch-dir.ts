// Scratch space for experiments: a temp folder with a free-space check, removed at exit like everything registered
// for cleanup. A run killed with SIGKILL runs no cleanup, so each folder's name says who owns it:
//   workbook-<prefix>-<owner pid>-<owner start time in clock ticks>-<6 random characters>
// and the next run that makes a scratch folder in the same place removes the folders whose owner is gone.
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { track, release, Disposable } from "./registry";
import { ownerTag, ownerAlive, Owner } from "./process-identity";
import { notice } from "./notices";
import { MiB, formatBytes } from "../units/sizes";
import { checkExistingDir } from "../files/output-path";

/** The least that must stay free beyond what an experiment writes, so the machine keeps working. */
const MIN_SPARE_BYTES = 256 * MiB;

/** A scratch folder's name, read back: its prefix and its owner. */
const SCRATCH_NAME = /^workbook-(.+)-(\d+)-(\d+)-[A-Za-z0-9]{6}$/;

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

/** What must stay free beyond `needBytes`: a tenth of it, and at least 256 MiB. A fixed margin alone lets a
 *  64 GiB file pass with 65 GiB free and leave a full disk behind; writers that grow with the file keep a share. */
export function spareBytes(needBytes: number): number {
  return Math.max(MIN_SPARE_BYTES, Math.ceil(needBytes / 10));
}

/** The owner written into a scratch folder's name, or undefined for any other name. */
export function scratchOwner(name: string): Owner | undefined {
  const match = SCRATCH_NAME.exec(name);
  return match ? { pid: Number(match[2]), startTicks: Number(match[3]) } : undefined;
}

/** Bytes a folder takes on disk (allocated blocks, so a sparse file counts as what it holds). */
function diskUsage(target: string): number {
  const stats = fs.lstatSync(target, { throwIfNoEntry: false });
  if (!stats) return 0;
  if (!stats.isDirectory()) return stats.blocks * 512;
  return fs.readdirSync(target).reduce((sum, name) => sum + diskUsage(path.join(target, name)), stats.blocks * 512);
}

/** Removes the scratch folders in `parent` whose owner is gone (killed before it could clean up); returns one line
 *  per folder removed, naming it, and sends the same line to the cleanup notices. A live owner's folder is never
 *  touched, nor anything not named like a scratch folder. Two runs sweeping at once: the one that loses is content. */
export function removeStaleScratchDirs(parent: string = os.tmpdir()): string[] {
  const lines: string[] = [];
  for (const name of fs.readdirSync(parent)) {
    const owner = scratchOwner(name);
    if (!owner || ownerAlive(owner)) continue;
    const dir = path.join(parent, name);
    try {
      const bytes = diskUsage(dir);
      if (!fs.existsSync(dir)) continue;
      fs.rmSync(dir, { recursive: true, force: true });
      lines.push(`removed stale scratch folder ${dir} (${formatBytes(bytes)}; its owner, pid ${owner.pid}, is gone)`);
    } catch {
      // another run removed it first, or it is not ours to remove
    }
  }
  lines.forEach(notice);
  return lines;
}

/** Throws one line (a RangeError: the size or the place must change) unless `needBytes` plus the spare fit in `dir`. */
export function requireFreeSpace(dir: string, needBytes: number, what: string): void {
  const free = freeBytes(dir);
  const spare = spareBytes(needBytes);
  if (needBytes > 0 && free < needBytes + spare) {
    throw new RangeError(
      `not enough free space in ${dir}: ${what} needs ${formatBytes(needBytes)} (+${formatBytes(spare)} spare), ${formatBytes(free)} is free; use a smaller size or another directory`,
    );
  }
}

/** Makes a temp directory under `parent` after removing stale ones there and checking `needBytes` (+ spare) fit;
 *  removed at exit and on SIGINT/SIGTERM/SIGHUP. A parent that does not exist is a PathError (bad input). */
export function makeScratchDir(prefix: string, needBytes: number, parent = os.tmpdir()): ScratchDir {
  checkExistingDir(parent, "scratch directory");
  removeStaleScratchDirs(parent);
  requireFreeSpace(parent, needBytes, "the experiment");
  const dir = fs.mkdtempSync(path.join(parent, `workbook-${prefix}-${ownerTag()}-`));
  const scratch: ScratchDir = {
    label: `scratch dir ${dir}`,
    dir,
    // A child killed a moment ago may still finish a write into the folder: retry what that leaves (ENOTEMPTY).
    dispose: () => fs.rmSync(dir, { recursive: true, force: true, maxRetries: 5, retryDelay: 20 }),
    remove: () => release(scratch),
  };
  return track(scratch);
}
