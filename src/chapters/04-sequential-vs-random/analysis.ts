// Chapter 4's analysis: runs of the disk model (src/model/disk.ts) and what it takes to put this machine beside it:
// sequential vs random per profile, where a random read's time goes, throughput vs request size, the
// six-disk RAID-5 array of Kafka's design doc, a profile built from this machine's disk measurements,
// and the verdict on whether this machine's disk has a seek penalty. Plain records in and out.
import type { MachineProfile as MachineProfileRecord } from "../../calibration/profile-record";
import { profileLabel } from "../../calibration/profile-source";
import { formatParameter } from "../../calibration/describe-profile";
import {
  DiskName, DiskProfile, FlashDisk, DISK_NAMES, diskProfile, estimateDiskSeconds, simulateDisk, diskBlocks,
  diskBytesPerSecond, positioningSeconds, requestOverheadSeconds, measuredDisk,
} from "../../model/disk";
import { requireInteger } from "../../units/arguments";
import { Xorshift32 } from "../../random/xorshift";
import { DiskResult, DiskCase, DiskOp, DiskPattern, DiskIoMode, FsyncMode } from "../../experiments/disk-records";
import { MiB, GiB } from "../../units/sizes";
import { PAGE_SIZE } from "../../reference/linux";
import * as os from "os";
import { runDiskExperiment } from "../../experiments/disk-experiment";
import { blockDeviceOf } from "../../experiments/block-device";
import type { DiskPlan } from "./plan";

/** Sequential vs random throughput of one disk profile, from the closed-form estimate. */
export interface ProfileThroughput {
  disk: string;
  kind: "rotating" | "flash";
  sequentialRequestBytes: number;
  randomRequestBytes: number;
  /** Reading a large extent in requests of sequentialRequestBytes, bytes/s. */
  sequentialBytesPerSecond: number;
  /** Requests of randomRequestBytes at random places across the whole disk, queue depth 1, bytes/s. */
  randomBytesPerSecond: number;
  randomIops: number;
  /** sequential / random: "the famous ratio". */
  ratio: number;
}

/** The built-in profiles by name, plus any profile records passed in (e.g. this machine's). */
function profiles(list?: readonly (DiskName | DiskProfile)[]): DiskProfile[] {
  return (list ?? DISK_NAMES).map((d) => diskProfile(d));
}

/** Sequential (1 MiB requests) vs random 4 KiB throughput for each profile; notebook 4's first figure. */
export function profileThroughputs(
  list?: readonly (DiskName | DiskProfile)[],
  options: { sequentialRequestBytes?: number; randomRequestBytes?: number } = {},
): ProfileThroughput[] {
  const sequentialRequestBytes = options.sequentialRequestBytes ?? MiB;
  const randomRequestBytes = options.randomRequestBytes ?? PAGE_SIZE;
  return profiles(list).map((d) => {
    const extent = 256 * sequentialRequestBytes;
    const sequential = estimateDiskSeconds(d, extent, sequentialRequestBytes, "sequential");
    const random = estimateDiskSeconds(d, 1000 * randomRequestBytes, randomRequestBytes, "random");
    const sequentialBytesPerSecond = extent / sequential.totalSeconds;
    const randomBytesPerSecond = (1000 * randomRequestBytes) / random.totalSeconds;
    return {
      disk: d.name, kind: d.kind, sequentialRequestBytes, randomRequestBytes,
      sequentialBytesPerSecond, randomBytesPerSecond,
      randomIops: randomBytesPerSecond / randomRequestBytes,
      ratio: sequentialBytesPerSecond / randomBytesPerSecond,
    };
  });
}

/** Average time of one random 4 KiB read by component, from the request-by-request simulator. */
export interface RandomReadBreakdown {
  disk: string;
  requests: number;
  overheadSeconds: number;
  seekSeconds: number;
  rotateSeconds: number;
  transferSeconds: number;
  totalSeconds: number;
}

/**
 * Serves `requests` 4 KiB reads at seeded uniform random blocks (FIFO, queue depth 1) on each profile and
 * averages the time per request by component: where a random read's time goes.
 */
export function randomReadBreakdown(list?: readonly (DiskName | DiskProfile)[], requests = 2000, seed = 42): RandomReadBreakdown[] {
  requireInteger("requests", requests, 1, 1_000_000);
  return profiles(list).map((d) => {
    const random = new Xorshift32(seed);
    // The simulator's request buffer holds 32-bit block numbers: stay below 2^31 even on larger profiles.
    const blocks = Math.min(diskBlocks(d), 2 ** 31 - 1);
    const reqs = Array.from({ length: requests }, () => ({ firstPage: random.next() % blocks, pages: 1 }));
    const run = simulateDisk(d, reqs, { detail: false });
    return {
      disk: d.name,
      requests,
      overheadSeconds: run.overheadSeconds / requests,
      seekSeconds: run.seekSeconds / requests,
      rotateSeconds: run.rotateSeconds / requests,
      transferSeconds: run.transferSeconds / requests,
      totalSeconds: run.totalSeconds / requests,
    };
  });
}

/** One point of throughput vs request size for random requests on one profile. */
export interface RequestSizePoint {
  disk: string;
  requestBytes: number;
  randomBytesPerSecond: number;
  /** The profile's transfer rate (media rate of an HDD, bandwidth of flash): the ceiling random requests approach as they grow. */
  mediaBytesPerSecond: number;
}

/** Request sizes of the curve: 4 KiB to 16 MiB in powers of 4. */
export const REQUEST_SIZES = [4096, 16384, 65536, 262144, 1048576, 4194304, 16777216] as const;

/** Random-read throughput vs request size per profile: bigger requests amortise positioning (Kafka's batching). */
export function requestSizeCurves(list?: readonly (DiskName | DiskProfile)[], sizes: readonly number[] = REQUEST_SIZES): RequestSizePoint[] {
  return profiles(list).flatMap((d) =>
    sizes.map((size) => ({
      disk: d.name,
      requestBytes: size,
      randomBytesPerSecond: (100 * size) / estimateDiskSeconds(d, 100 * size, size, "random").totalSeconds,
      mediaBytesPerSecond: diskBytesPerSecond(d),
    })),
  );
}

/** Kafka's design doc, "Persistence", as quoted by the workbook. */
export const KAFKA_DISK_CLAIM = {
  quote:
    "the performance of linear writes on a JBOD configuration with six 7200rpm SATA RAID-5 array is about 600MB/sec " +
    "but the performance of random writes is only about 100k/sec—a difference of over 6000X.",
  disks: 6,
  sequentialBytesPerSecond: 600e6,
  randomBytesPerSecond: 100e3,
  ratio: 6000,
} as const;

/** The model's version of Kafka's array: six HDD-profile disks in RAID-5, sequential vs small random writes. */
export interface ArrayEstimate {
  disk: string;
  disks: number;
  writeBytes: number;
  /** Full-stripe writes: parity is computed, not read, so (disks - 1) disks' media rate carries data. */
  sequentialBytesPerSecond: number;
  /** One small write at a time: read old data and old parity (two disks, in parallel), then write both back a rotation later. */
  randomQd1BytesPerSecond: number;
  /** Many small writes in flight: each costs 2 random reads + 2 rewrites of disk time, spread over all disks. */
  randomBusyBytesPerSecond: number;
  ratioQd1: number;
  ratioBusy: number;
  /** Seconds of one random 4 KiB access and of one rewrite of the same block (a full rotation). */
  accessSeconds: number;
  rewriteSeconds: number;
}

/**
 * RAID-5 small-write penalty (Patterson, Gibson, Katz 1988): a write smaller than a stripe reads the old data
 * and the old parity and writes new data and new parity, 4 disk operations. The rewrite of a block just read
 * waits a full rotation instead of seeking. Sequential writes fill whole stripes and skip the reads.
 */
export function raid5Estimate(options: { disk?: DiskName | DiskProfile; disks?: number; writeBytes?: number } = {}): ArrayEstimate {
  const d = diskProfile(options.disk ?? "hdd");
  if (d.kind !== "rotating") throw new RangeError("raid5Estimate models Kafka's array of rotating disks; pass a rotating profile");
  const disks = requireInteger("disks", options.disks ?? KAFKA_DISK_CLAIM.disks, 3, 64);
  const writeBytes = requireInteger("writeBytes", options.writeBytes ?? PAGE_SIZE, 512, MiB);
  const media = diskBytesPerSecond(d);
  const transfer = writeBytes / media;
  const accessSeconds = requestOverheadSeconds(d) + positioningSeconds(d) + transfer;
  const rewriteSeconds = requestOverheadSeconds(d) + 60 / d.rpm + transfer;
  const sequentialBytesPerSecond = (disks - 1) * ((256 * MiB) / estimateDiskSeconds(d, 256 * MiB, MiB, "sequential").totalSeconds);
  const randomQd1BytesPerSecond = writeBytes / (accessSeconds + rewriteSeconds);
  const randomBusyBytesPerSecond = (writeBytes * disks) / (2 * accessSeconds + 2 * rewriteSeconds);
  return {
    disk: d.name, disks, writeBytes,
    sequentialBytesPerSecond, randomQd1BytesPerSecond, randomBusyBytesPerSecond,
    ratioQd1: sequentialBytesPerSecond / randomQd1BytesPerSecond,
    ratioBusy: sequentialBytesPerSecond / randomBusyBytesPerSecond,
    accessSeconds, rewriteSeconds,
  };
}

/** The case of a disk result with these coordinates, or undefined if it was not measured (or skipped). */
export function diskCase(result: DiskResult, op: DiskOp, pattern: DiskPattern, io: DiskIoMode, block: number, fsync: FsyncMode = "none"): DiskCase | undefined {
  return result.cases.find((c) => c.op === op && c.pattern === pattern && c.io === io && c.block === block && c.fsync === fsync);
}

/** This machine's disk as a model profile, and which measurements it came from. */
export interface MachineDisk {
  profile: FlashDisk;
  source: string;
}

/**
 * This machine's disk in the disk model, from the machine profile (chapter 7): its cold sequential read rate and
 * the time of one cold 4 KiB read at a random offset, each measured by the profile's own micro-benchmark, not by
 * this chapter's experiment. Flash-style because the model's measuredDisk has no head: see the seek verdict.
 */
export function machineDiskProfile(profile: MachineProfileRecord): MachineDisk {
  const p = profile.parameters;
  const disk = measuredDisk({ sequentialBytesPerSecond: p.diskSequentialBytesPerSecond, randomReadSeconds: p.diskRandomReadSeconds });
  return {
    profile: { ...disk, name: "this machine" },
    source: `${profileLabel(profile).replace(/^model, /, "")}: cold sequential reads ${formatParameter("diskSequentialBytesPerSecond", p.diskSequentialBytesPerSecond)}, one cold 4 KiB random read ${formatParameter("diskRandomReadSeconds", p.diskRandomReadSeconds)}`,
  };
}

/** The model's prediction for buffered cold reads on a profile: readahead-sized sequential requests vs 4 KiB random ones. */
export interface BufferedReadPrediction {
  disk: string;
  readaheadBytes: number;
  sequentialBytesPerSecond: number;
  randomBytesPerSecond: number;
  ratio: number;
}

/**
 * Buffered reads through the page cache as the model sees them: a sequential reader's 4 KiB calls become
 * disk requests the size of the readahead window; random 4 KiB calls stay 4 KiB requests (readahead does not
 * trigger). Queue depth 1: the model has no asynchronous overlap, so it is conservative for sequential reads.
 */
export function predictBufferedReads(disk: DiskName | DiskProfile, readaheadBytes: number): BufferedReadPrediction {
  const d = diskProfile(disk);
  requireInteger("readaheadBytes", readaheadBytes, PAGE_SIZE, GiB);
  const bytes = 64 * MiB;
  const sequentialBytesPerSecond = bytes / estimateDiskSeconds(d, bytes, readaheadBytes, "sequential").totalSeconds;
  const randomBytesPerSecond = (1000 * PAGE_SIZE) / estimateDiskSeconds(d, 1000 * PAGE_SIZE, PAGE_SIZE, "random").totalSeconds;
  return { disk: d.name, readaheadBytes, sequentialBytesPerSecond, randomBytesPerSecond, ratio: sequentialBytesPerSecond / randomBytesPerSecond };
}

/** Does this machine's disk pay for seeks? The ratios behind the answer, and the answer in words. */
export interface SeekVerdict {
  /** direct sequential 4 KiB / direct random 4 KiB MiB/s (null without O_DIRECT). */
  directRatio: number | null;
  /** buffered sequential 4 KiB / buffered random 4 KiB MiB/s, both cold. */
  bufferedRatio: number;
  seekPenalty: boolean | null;
  text: string;
}

/** Direct random reads within 2x of direct sequential ones = no seek penalty; then sequential wins only through the page cache. */
export const NO_SEEK_PENALTY_RATIO = 2;

/** The machine verdict notebook 4 prints (it is reported, not asserted: it differs from disk to disk). */
export function seekVerdict(result: DiskResult): SeekVerdict {
  const mibps = (pattern: DiskPattern, io: DiskIoMode) => diskCase(result, "read", pattern, io, PAGE_SIZE)?.mibps.median;
  const bs = mibps("sequential", "buffered");
  const br = mibps("random", "buffered");
  if (bs === undefined || br === undefined) throw new RangeError("the disk result has no buffered 4 KiB reads; run it with 4096 among its blocks");
  const ds = mibps("sequential", "direct");
  const dr = mibps("random", "direct");
  const directRatio = ds !== undefined && dr !== undefined ? ds / dr : null;
  const bufferedRatio = bs / br;
  const seekPenalty = directRatio === null ? null : directRatio > NO_SEEK_PENALTY_RATIO;
  const text =
    seekPenalty === null
      ? `O_DIRECT was not available, so the device alone was not measured; buffered sequential/random 4 KiB = ${bufferedRatio.toFixed(1)}x`
      : seekPenalty
        ? `seek penalty: direct sequential 4 KiB reads are ${directRatio!.toFixed(1)}x faster than direct random ones; buffered, the gap is ${bufferedRatio.toFixed(1)}x`
        : `no seek penalty: direct random 4 KiB reads run at ${(1 / directRatio!).toFixed(2)}x the speed of direct sequential ones; ` +
          `the ${bufferedRatio.toFixed(1)}x of buffered sequential over buffered random reads comes from the page cache's readahead`;
  return { directRatio, bufferedRatio, seekPenalty, text };
}

/** The machine's O_DIRECT sequential (largest block) and random 4 KiB reads as MiB/s spreads, for the profile figure. */
export function directReadPair(result: DiskResult): { label: string; sequential: DiskCase["mibps"]; random: DiskCase["mibps"] } | undefined {
  const large = Math.max(...result.conditions.blocks);
  const sequential = diskCase(result, "read", "sequential", "direct", large);
  const random = diskCase(result, "read", "random", "direct", PAGE_SIZE);
  return sequential && random ? { label: `O_DIRECT ${large / 1024} KiB / 4 KiB`, sequential: sequential.mibps, random: random.mibps } : undefined;
}

/** The machine's O_DIRECT random reads at every measured block size, for the request-size figure. */
export function directRandomPoints(result: DiskResult): { requestBytes: number; mibps: DiskCase["mibps"] }[] {
  return result.conditions.blocks
    .map((block) => ({ block, c: diskCase(result, "read", "random", "direct", block) }))
    .filter((p): p is { block: number; c: DiskCase } => p.c !== undefined)
    .map((p) => ({ requestBytes: p.block, mibps: p.c.mibps }))
    .sort((a, b) => a.requestBytes - b.requestBytes);
}

/**
 * Size of the disk requests a sequential buffered reader gets: the readahead window (read_ahead_kb), capped by
 * the largest request the device takes (max_sectors_kb); Linux's default 128 KiB when sysfs does not say.
 */
export function readaheadRequestBytes(device: { readAheadKiB: number | null; maxRequestKiB: number | null } | null): number {
  const window = device?.readAheadKiB || 128;
  return Math.min(window, device?.maxRequestKiB || window) * 1024;
}

/** The block device under the scratch folder, as chapter 4 reports it. */
export interface DeviceRecord {
  name: string;
  readAheadKiB: number | null;
  maxRequestKiB: number | null;
  rotational: boolean | null;
}

/** Chapter 4's result record: the measurement, and every model record the figures draw beside it. */
export interface DiskReport {
  plan: DiskPlan;
  measured: DiskResult;
  device: DeviceRecord | null;
  /** This machine's disk in the model, from the machine profile. */
  machine: MachineDisk;
  /** The machine profile the model of this disk comes from. */
  profile: MachineProfileRecord;
  throughputs: ProfileThroughput[];
  breakdown: RandomReadBreakdown[];
  curves: RequestSizePoint[];
  /** Kafka's six-disk RAID-5 array with 4 KiB and with 1 KiB random writes. */
  array: ArrayEstimate;
  array1k: ArrayEstimate;
  /** Buffered reads predicted for this machine's disk, in readahead-sized requests. */
  prediction: BufferedReadPrediction;
  readaheadBytes: number;
  verdict: SeekVerdict;
}

/** Runs chapter 4: this machine's disk experiment, then the model's disks and the model of this disk (from the
 *  machine profile) beside it. */
export async function runDiskChapter(plan: DiskPlan, profile: MachineProfileRecord, options: { dir?: string; onProgress?: (fraction: number, label: string) => void } = {}): Promise<DiskReport> {
  const measured = await runDiskExperiment({
    fileBytes: plan.fileBytes,
    runs: plan.runs,
    maxOps: plan.maxOps,
    blocks: plan.blocks,
    fsync: plan.fsync,
    dir: options.dir,
    onProgress: (p) => options.onProgress?.((0.9 * p.done) / p.total, p.label),
  });
  options.onProgress?.(0.9, "model");
  const found = blockDeviceOf(options.dir || os.tmpdir());
  const device = found && { name: found.name, readAheadKiB: found.readAheadKiB, maxRequestKiB: found.maxRequestKiB, rotational: found.rotational };
  const machine = machineDiskProfile(profile);
  const profiles = [...DISK_NAMES, machine.profile];
  const readaheadBytes = readaheadRequestBytes(device);
  return {
    plan,
    measured,
    device,
    machine,
    profile,
    throughputs: profileThroughputs(profiles),
    breakdown: randomReadBreakdown(profiles, plan.breakdownReads),
    curves: requestSizeCurves(profiles),
    array: raid5Estimate({ writeBytes: 4096 }),
    array1k: raid5Estimate({ writeBytes: 1024 }),
    prediction: predictBufferedReads(machine.profile, readaheadBytes),
    readaheadBytes,
    verdict: seekVerdict(measured),
  };
}
