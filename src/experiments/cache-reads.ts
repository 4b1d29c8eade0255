// The cache-reads experiment (chapter 3): what the page cache does to read(2), measured.
//  - cold vs warm: the same file read whole from a cold cache (0 pages resident) and a warm one (all);
//  - re-reads: the file read k times from a cold start, Kafka's "data is copied into pagecache exactly
//    once and reused on each consumption" (Kafka design doc, "Efficiency");
//  - readahead: 4 KiB read(2) calls in file order vs at shuffled distinct pages, each from a cold cache.
// Every pass records mincore residency before and after, the time inside read(2), /proc/self/io read_bytes
// (what the process caused to be fetched from storage) and the device's request counters.
// Called by notebook 3 and the page-cache report experiment.
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { requireBytes, requireInteger } from "../units/arguments";
import { Xorshift32 } from "../random/xorshift";
import { prepareCache, residency } from "./cache-state";
import { machineConditions } from "./conditions";
import { makeScratchDir } from "../cleanup/scratch-dir";
import { summarize, Spread } from "../statistics/spread";
import { readProcIo, procIoDelta } from "./proc-io";
import { crc32 } from "./checksum";
import { writeResultFile } from "./result-file";
import { BlockDevice, blockDeviceOf, deviceReads, deviceReadsDelta, filesystemTypeOf } from "./block-device";
import { CacheReadsResult, ReadPass, ColdWarmRecord, ReadaheadRecord } from "./cache-reads-records";
import { MiB, GiB } from "../units/sizes";
import { writeDataFile } from "./data-file";

const PAGE = 4096;

export interface CacheReadsOptions {
  /** Size of the test file (default 64 MiB; a multiple of 4 KiB, at least 1 MiB). */
  fileBytes?: number;
  /** Cold/warm pairs and sequential/random pairs to measure (default 3). */
  runs?: number;
  /** Bytes per read(2) of whole-file passes (default 1 MiB, multiple of 4 KiB). */
  chunk?: number;
  /** Whole-file reads in the re-read measurement (default 4, at least 2). */
  rereads?: number;
  /** 4 KiB calls per readahead pass (default 2048, at most the file's pages). */
  smallReads?: number;
  /** Where the scratch file goes (default os.tmpdir()); must be a disk filesystem, not tmpfs. */
  dir?: string;
  out?: string;
  onProgress?: (progress: { done: number; total: number; label: string }) => void;
}

/** Checks the options and fills in defaults; throws RangeError/TypeError naming the bad one. */
function planCacheReads(options: CacheReadsOptions) {
  const fileBytes = requireBytes("fileBytes", options.fileBytes ?? 64 * MiB, MiB, 16 * GiB);
  if (fileBytes % PAGE) throw new RangeError(`fileBytes must be a multiple of ${PAGE}, got ${fileBytes}`);
  const chunk = requireBytes("chunk", options.chunk ?? MiB, PAGE, fileBytes);
  if (chunk % PAGE) throw new RangeError(`chunk must be a multiple of ${PAGE}, got ${chunk}`);
  // Whole-file passes read in equal calls, so every call must come back full.
  if (fileBytes % chunk) throw new RangeError(`fileBytes must be a multiple of chunk (${chunk}), got ${fileBytes}`);
  return {
    fileBytes,
    chunk,
    runs: requireInteger("runs", options.runs ?? 3, 1, 100),
    rereads: requireInteger("rereads", options.rereads ?? 4, 2, 50),
    smallReads: requireInteger("smallReads", options.smallReads ?? Math.min(2048, fileBytes / PAGE), 1, fileBytes / PAGE),
  };
}

/** Offsets of the readahead passes: the first n pages in order, or n distinct pages in a seeded shuffle. */
export function smallReadOffsets(pattern: "sequential" | "random", filePages: number, n: number, seed = 0x9e3779b9): number[] {
  const pages = Array.from({ length: filePages }, (_, i) => i);
  if (pattern === "random") {
    // Fisher-Yates with a fixed seed: same pages every run, no page twice (a repeat would be a cache hit).
    const random = new Xorshift32(seed);
    for (let i = filePages - 1; i > 0; i--) {
      const j = random.next() % (i + 1);
      [pages[i], pages[j]] = [pages[j], pages[i]];
    }
  }
  return pages.slice(0, n).map((page) => page * PAGE);
}

/** What a pass is asked to do. */
interface PassPlan {
  label: string;
  offsets: number[];
  callBytes: number;
  /** CRC-32 the whole pass must produce (whole-file passes in file order), or null. */
  checksum: number | null;
}

/**
 * Runs one pass of pread(2) calls at `offsets` and records residency, time, /proc/self/io and device counters.
 * Only the read calls are timed; the CRC of what they returned is computed between them, outside the clock.
 */
function readPass(fd: number, plan: PassPlan, buffer: Buffer, device: BlockDevice | null): ReadPass {
  const before = residency(fd);
  const io0 = readProcIo();
  const dev0 = device ? deviceReads(device) : null;
  let crc = 0;
  let complete = true;
  let nanos = 0n;
  for (const offset of plan.offsets) {
    const t0 = process.hrtime.bigint();
    const n = fs.readSync(fd, buffer, 0, plan.callBytes, offset);
    nanos += process.hrtime.bigint() - t0;
    if (n !== plan.callBytes) complete = false;
    if (plan.checksum !== null) crc = crc32(buffer.subarray(0, n), crc);
  }
  const io = procIoDelta(io0, readProcIo());
  const device1 = device && dev0 ? deviceReadsDelta(dev0, deviceReads(device)) : null;
  const after = residency(fd);
  const seconds = Number(nanos) / 1e9;
  const bytes = plan.offsets.length * plan.callBytes;
  return {
    label: plan.label,
    cache: before.resident === 0 ? "cold" : before.resident === before.total ? "warm" : "partial",
    residentBefore: before.resident,
    residentAfter: after.resident,
    totalPages: before.total,
    bytes,
    calls: plan.offsets.length,
    callBytes: plan.callBytes,
    seconds,
    mibps: bytes / MiB / seconds,
    readBytes: io.readBytes,
    syscr: io.syscr,
    device: device1,
    verified: complete && (plan.checksum === null || crc === plan.checksum),
  };
}

/** Median and range of one field over passes. */
function spreadOf(passes: ReadPass[], field: (p: ReadPass) => number): Spread {
  return summarize(passes.map(field));
}

/** Device KiB per request of each pass, or null when no pass has device counters with requests. */
function deviceKiBPerRequest(passes: ReadPass[]): Spread | null {
  const values = passes.filter((p) => p.device && p.device.requests > 0).map((p) => p.device!.bytes / 1024 / p.device!.requests);
  return values.length === passes.length ? summarize(values) : null;
}

/** Measures the three things chapter 3 needs on one scratch file; the scratch file is removed on every exit. */
export async function runCacheReads(options: CacheReadsOptions = {}): Promise<CacheReadsResult> {
  const plan = planCacheReads(options);
  const parent = options.dir ?? os.tmpdir();
  const parentFs = filesystemTypeOf(parent);
  if (parentFs === "tmpfs" || parentFs === "ramfs") {
    throw new RangeError(`${parent} is on ${parentFs}: its pages never leave memory, so a cold read is impossible; pass a directory on a disk filesystem`);
  }
  const machine = machineConditions();
  const scratch = makeScratchDir("cache-reads", plan.fileBytes, parent);
  try {
    const data = await writeDataFile(path.join(scratch.dir, "cache-reads.bin"), plan.fileBytes);
    const device = blockDeviceOf(data.path);
    const fd = fs.openSync(data.path, fs.constants.O_RDONLY);
    try {
      const buffer = Buffer.alloc(plan.chunk);
      const whole: PassPlan = {
        label: "",
        offsets: Array.from({ length: plan.fileBytes / plan.chunk }, (_, i) => i * plan.chunk),
        callBytes: plan.chunk,
        checksum: data.checksum,
      };
      const total = 2 * plan.runs + plan.rereads + 2 * plan.runs;
      let done = 0;
      const step = async (label: string) => {
        options.onProgress?.({ done: ++done, total, label });
        await new Promise((resolve) => setImmediate(resolve)); // let a SIGINT or a progress bar through
      };

      const coldWarm: ReadPass[] = [];
      for (let run = 0; run < plan.runs; run++) {
        prepareCache(fd, "cold");
        coldWarm.push(readPass(fd, { ...whole, label: "cold" }, buffer, device));
        await step("cold read");
        prepareCache(fd, "warm"); // the machine's proactive reclaim may have taken pages: re-warm, check, then time
        coldWarm.push(readPass(fd, { ...whole, label: "warm" }, buffer, device));
        await step("warm read");
      }

      const rereads: ReadPass[] = [];
      prepareCache(fd, "cold");
      for (let k = 1; k <= plan.rereads; k++) {
        rereads.push(readPass(fd, { ...whole, label: `read ${k}` }, buffer, device));
        await step(`read ${k} of ${plan.rereads}`);
      }

      const filePages = plan.fileBytes / PAGE;
      const small: ReadPass[] = [];
      for (let run = 0; run < plan.runs; run++) {
        for (const pattern of ["sequential", "random"] as const) {
          prepareCache(fd, "cold");
          const offsets = smallReadOffsets(pattern, filePages, plan.smallReads);
          small.push(readPass(fd, { label: `${pattern} 4 KiB`, offsets, callBytes: PAGE, checksum: null }, buffer, device));
          await step(`${pattern} 4 KiB reads`);
        }
      }

      const cold = coldWarm.filter((p) => p.label === "cold");
      const warm = coldWarm.filter((p) => p.label === "warm");
      const summary = (passes: ReadPass[]) => ({
        seconds: spreadOf(passes, (p) => p.seconds),
        mibps: spreadOf(passes, (p) => p.mibps),
        readBytes: spreadOf(passes, (p) => p.readBytes),
      });
      const coldWarmRecord: ColdWarmRecord = { passes: coldWarm, cold: summary(cold), warm: summary(warm) };
      const smallSummary = (passes: ReadPass[]) => ({
        mibps: spreadOf(passes, (p) => p.mibps),
        readBytesPerByte: spreadOf(passes, (p) => p.readBytes / p.bytes),
        deviceKiBPerRequest: deviceKiBPerRequest(passes),
      });
      const sequential = small.filter((p) => p.label.startsWith("sequential"));
      const random = small.filter((p) => p.label.startsWith("random"));
      const readahead: ReadaheadRecord = { calls: plan.smallReads, passes: small, sequential: smallSummary(sequential), random: smallSummary(random) };

      const result: CacheReadsResult = {
        kind: "cache-reads",
        conditions: {
          ...machine,
          fileBytes: plan.fileBytes,
          runs: plan.runs,
          chunk: plan.chunk,
          filesystem: filesystemTypeOf(data.path),
          scratchDir: parent,
          device: device && { name: device.name, readAheadKiB: device.readAheadKiB, rotational: device.rotational, maxRequestKiB: device.maxRequestKiB },
          loadAverageEnd: machineConditions().loadAverage,
        },
        coldWarm: coldWarmRecord,
        rereads: { reads: plan.rereads, passes: rereads },
        readahead,
      };
      if (options.out) writeResultFile(options.out, result);
      return result;
    } finally {
      fs.closeSync(fd);
    }
  } finally {
    scratch.remove();
  }
}
