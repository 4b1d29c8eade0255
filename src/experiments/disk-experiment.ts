// The disk experiment: sequential vs random reads and writes in small and large blocks, buffered and
// O_DIRECT, with fsync none/end/each, reporting IOPS and MiB/s (median, min-max over n runs).
// On this machine kind the disk has no seek penalty; "sequential is fast" shows up in buffered reads,
// where readahead turns one small read into large device reads. Called by `workbook disk`, notebooks, the report.
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { requireBytes, requireInteger, requireChoice } from "../units/arguments";
import { requireNative } from "../native/addon";
import { prepareCache } from "./cache-state";
import { machineConditions } from "./conditions";
import { makeScratchDir } from "../cleanup/scratch-dir";
import { summarize } from "../statistics/spread";
import { writeResultFile } from "./result-file";
import { DISK_OPS, DISK_PATTERNS, DISK_IO_MODES, FSYNC_MODES, DiskOp, DiskPattern, DiskIoMode, FsyncMode, DiskCase, DiskSkip, DiskResult } from "./disk-records";
import { filesystemTypeOf } from "./block-device";
import { MiB, GiB } from "../units/sizes";
import { writeDataFile } from "./data-file";

/** O_DIRECT wants buffers, offsets and sizes aligned to the logical block size; 4 KiB covers it here. */
const DIRECT_ALIGNMENT = 4096;

export interface DiskOptions {
  /** Size of the test file (default 64 MiB; must be a multiple of 4 KiB). */
  fileBytes?: number;
  /** Block sizes (default 4 KiB and 1 MiB; multiples of 4 KiB). */
  blocks?: number[];
  /** Measured runs per case (default 3). */
  runs?: number;
  /** Calls per case at most (default 2048): keeps 4 KiB cases short. */
  maxOps?: number;
  /** Calls per case at most when fsync is "each" (default 128). */
  maxSyncOps?: number;
  /** Which fsync modes to measure for writes (default all three). */
  fsync?: FsyncMode[];
  /** Where the scratch file goes (default os.tmpdir()); its filesystem decides whether O_DIRECT works. */
  dir?: string;
  out?: string;
  onProgress?: (progress: { done: number; total: number; label: string }) => void;
}

/** One case to run. */
interface Plan {
  op: DiskOp;
  pattern: DiskPattern;
  io: DiskIoMode;
  fsync: FsyncMode;
  block: number;
  ops: number;
}

/** Checks the options and fills in defaults; throws RangeError/TypeError naming the bad one. */
function planDisk(options: DiskOptions) {
  const fileBytes = requireBytes("fileBytes", options.fileBytes ?? 64 * MiB, DIRECT_ALIGNMENT, 16 * GiB);
  if (fileBytes % DIRECT_ALIGNMENT) throw new RangeError(`fileBytes must be a multiple of ${DIRECT_ALIGNMENT}, got ${fileBytes}`);
  const blocks = options.blocks ?? [4096, MiB];
  if (blocks.length === 0) throw new RangeError("blocks must list at least one block size");
  for (const block of blocks) {
    requireBytes("block", block, DIRECT_ALIGNMENT, fileBytes);
    if (block % DIRECT_ALIGNMENT) throw new RangeError(`block must be a multiple of ${DIRECT_ALIGNMENT} (O_DIRECT alignment), got ${block}`);
  }
  const fsync = options.fsync ?? [...FSYNC_MODES];
  fsync.forEach((f) => requireChoice("fsync", f, FSYNC_MODES));
  return {
    fileBytes,
    blocks: [...new Set(blocks)],
    fsync: [...new Set(fsync)],
    runs: requireInteger("runs", options.runs ?? 3, 1, 100),
    maxOps: requireInteger("maxOps", options.maxOps ?? 2048, 1, 1e7),
    maxSyncOps: requireInteger("maxSyncOps", options.maxSyncOps ?? 128, 1, 1e7),
  };
}

/** Every combination, reads first; writes once per fsync mode. */
function cases(p: ReturnType<typeof planDisk>): Plan[] {
  const out: Plan[] = [];
  for (const op of DISK_OPS)
    for (const block of p.blocks)
      for (const pattern of DISK_PATTERNS)
        for (const io of DISK_IO_MODES)
          for (const fsync of op === "read" ? (["none"] as const) : p.fsync) {
            const cap = fsync === "each" ? p.maxSyncOps : p.maxOps;
            out.push({ op, pattern, io, fsync, block, ops: Math.min(p.fileBytes / block, cap) });
          }
  return out;
}

/** Block offsets to visit: 0, 1, 2... or a seeded shuffle of all blocks (same order every run). */
function offsets(pattern: DiskPattern, fileBytes: number, block: number, ops: number, seed: number): number[] {
  const count = fileBytes / block;
  const index = Array.from({ length: count }, (_, i) => i);
  if (pattern === "random") {
    let state = seed >>> 0 || 1;
    const next = () => ((state = (Math.imul(state, 1664525) + 1013904223) >>> 0) / 2 ** 32);
    for (let i = count - 1; i > 0; i--) {
      const j = Math.floor(next() * (i + 1));
      [index[i], index[j]] = [index[j], index[i]];
    }
  }
  return index.slice(0, ops).map((i) => i * block);
}

/** Whether O_DIRECT works on `file`'s filesystem (tmpfs refuses it with EINVAL). */
function probeDirect(file: string): string | null {
  let fd: number | undefined;
  try {
    fd = fs.openSync(file, fs.constants.O_RDONLY | fs.constants.O_DIRECT);
    fs.readSync(fd, requireNative().alignedBuffer(DIRECT_ALIGNMENT, DIRECT_ALIGNMENT), 0, DIRECT_ALIGNMENT, 0);
    return null;
  } catch (error) {
    return `O_DIRECT not supported here (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`;
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}

/** Times one run of one case; reads start from a cold cache. Returns seconds. */
function timeCase(file: string, c: Plan, fileBytes: number, buffer: Buffer, seed: number): number {
  const flags = (c.op === "read" ? fs.constants.O_RDONLY : fs.constants.O_WRONLY) | (c.io === "direct" ? fs.constants.O_DIRECT : 0);
  if (c.op === "read") {
    const fd = fs.openSync(file, fs.constants.O_RDONLY);
    try {
      prepareCache(fd, "cold"); // buffered reads must come from the disk, not from an earlier case's pages
    } finally {
      fs.closeSync(fd);
    }
  }
  const positions = offsets(c.pattern, fileBytes, c.block, c.ops, seed);
  const fd = fs.openSync(file, flags);
  try {
    const t0 = process.hrtime.bigint();
    for (const position of positions) {
      const n = c.op === "read" ? fs.readSync(fd, buffer, 0, c.block, position) : fs.writeSync(fd, buffer, 0, c.block, position);
      if (n !== c.block) throw new Error(`${c.op} of ${c.block} bytes at ${position} moved ${n}`);
      if (c.fsync === "each") fs.fsyncSync(fd);
    }
    if (c.fsync === "end") fs.fsyncSync(fd);
    const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
    // Untimed: flush what "none" left dirty, so it does not slow the next case.
    if (c.op === "write" && c.fsync === "none") fs.fdatasyncSync(fd);
    return seconds;
  } finally {
    fs.closeSync(fd);
  }
}

/** Runs every case n times (cases interleaved within a run) and summarises IOPS and MiB/s. */
export async function runDiskExperiment(options: DiskOptions = {}): Promise<DiskResult> {
  const plan = planDisk(options);
  const addon = requireNative();
  const machine = machineConditions();
  const parentFs = filesystemTypeOf(options.dir ?? os.tmpdir());
  if (parentFs === "tmpfs" || parentFs === "ramfs") {
    throw new RangeError(`${options.dir ?? os.tmpdir()} is on ${parentFs}: a RAM filesystem has no disk to measure; pass a directory on a disk filesystem`);
  }
  const scratch = makeScratchDir("disk", plan.fileBytes, options.dir);
  try {
    const file = (await writeDataFile(path.join(scratch.dir, "disk.bin"), plan.fileBytes)).path;
    const directReason = probeDirect(file);
    const all = cases(plan);
    const runnable = all.filter((c) => c.io === "buffered" || directReason === null);
    const skipped: DiskSkip[] = all.filter((c) => !runnable.includes(c)).map(({ ops, ...c }) => ({ ...c, reason: directReason! }));
    const buffer = addon.alignedBuffer(Math.max(...plan.blocks), DIRECT_ALIGNMENT);
    buffer.fill(0x5a);
    const seconds = runnable.map(() => [] as number[]);
    const total = plan.runs * runnable.length;
    for (let run = 0; run < plan.runs; run++) {
      for (const [i, c] of runnable.entries()) {
        seconds[i].push(timeCase(file, c, plan.fileBytes, buffer, 0x9e3779b9 + i));
        options.onProgress?.({ done: run * runnable.length + i + 1, total, label: `${c.op} ${c.pattern} ${c.io} ${c.block}B fsync ${c.fsync}` });
        await new Promise((resolve) => setImmediate(resolve)); // let a SIGINT or a progress bar through
      }
    }
    const result: DiskResult = {
      kind: "disk",
      conditions: {
        ...machine,
        fileBytes: plan.fileBytes,
        blocks: plan.blocks,
        runs: plan.runs,
        maxOps: plan.maxOps,
        maxSyncOps: plan.maxSyncOps,
        fsyncModes: plan.fsync,
        directSupported: directReason === null,
        directReason,
        filesystem: filesystemTypeOf(scratch.dir),
        scratchDir: path.dirname(scratch.dir),
        loadAverageEnd: machineConditions().loadAverage,
      },
      cases: runnable.map((c, i) => ({
        ...c,
        bytes: c.ops * c.block,
        cache: c.op === "read" ? "cold" : "n/a",
        seconds: summarize(seconds[i]),
        iops: summarize(seconds[i].map((s) => c.ops / s)),
        mibps: summarize(seconds[i].map((s) => (c.ops * c.block) / MiB / s)),
      })),
      skipped,
    };
    if (options.out) writeResultFile(options.out, result);
    return result;
  } finally {
    scratch.remove();
  }
}
