// Disks under the page cache: profiles (HDD, SATA SSD, NVMe, and one measured on the reader's machine),
// the closed-form time of a request, and the request-by-request simulator of assembly/disk.ts (OSTEP's
// disk.py: seek, rotation, transfer; FIFO, SSTF and SATF scheduling). Plain records in and out.
import { loadModel } from "./wasm";
import { requireInteger, requireChoice } from "../units/arguments";
import { PAGE_SIZE } from "../reference/linux";
import { MiB } from "../units/sizes";

/** A disk with a head and platters: geometry and seek times (all times in seconds). */
export interface RotatingDisk {
  name: string;
  kind: "rotating";
  /** Spindle speed, revolutions per minute. */
  rpm: number;
  /** 4 KiB blocks per track; with rpm it sets the media rate (blocksPerTrack * 4096 bytes per revolution). */
  blocksPerTrack: number;
  tracks: number;
  /** Seek to the next track. */
  trackToTrackSeekSeconds: number;
  /** Seek across the whole disk; seeks in between rise with the square root of the distance. */
  fullStrokeSeekSeconds: number;
  /** Fixed command cost of every request (controller, interface). */
  overheadSeconds: number;
}

/** A disk without moving parts: a per-request latency and a bandwidth. */
export interface FlashDisk {
  name: string;
  kind: "flash";
  /** Sustained read rate, bytes/s. */
  bytesPerSecond: number;
  /** Time from command to first data of one request at queue depth 1 (the "4 KiB random read" latency). */
  latencySeconds: number;
  capacityBytes: number;
}

export type DiskProfile = RotatingDisk | FlashDisk;

/** Names of the built-in profiles. */
export const DISK_NAMES = ["hdd", "sata-ssd", "nvme"] as const;
export type DiskName = (typeof DISK_NAMES)[number];

/**
 * Typical drives of each kind, order-of-magnitude figures from data sheets and reviews, not any one model:
 * a 7200 rpm 2 TB HDD (~150 MB/s media rate, ~8.5 ms average seek, 4.2 ms average rotational wait);
 * a SATA SSD (~530 MB/s, ~100 us per 4 KiB read at queue depth 1); an NVMe SSD (~3 GB/s, ~60 us).
 */
export const DISK_PROFILES: Record<DiskName, DiskProfile> = {
  hdd: {
    name: "hdd",
    kind: "rotating",
    rpm: 7200,
    blocksPerTrack: 305, // 305 * 4096 B per 8.33 ms revolution = 150 MB/s
    tracks: 1_600_000, // 1.6 M tracks * 305 blocks * 4 KiB = 2 TB
    trackToTrackSeekSeconds: 1e-3,
    fullStrokeSeekSeconds: 15e-3, // average over random pairs: 1 + 14 * 8/15 = 8.5 ms
    overheadSeconds: 0.1e-3,
  },
  "sata-ssd": { name: "sata-ssd", kind: "flash", bytesPerSecond: 530e6, latencySeconds: 100e-6, capacityBytes: 1e12 },
  nvme: { name: "nvme", kind: "flash", bytesPerSecond: 3e9, latencySeconds: 60e-6, capacityBytes: 2e12 },
};

/** What a calibration measures of a disk: a cold sequential read rate and one cold 4 KiB random read. */
export interface DiskMeasurements {
  /** Cold-cache sequential read through the page cache, bytes/s. */
  sequentialBytesPerSecond: number;
  /** One cold-cache 4 KiB random read, seconds. */
  randomReadSeconds: number;
  capacityBytes?: number;
}

/** A profile from the reader's own measurements (src/calibration measures both figures); modelled as flash. */
export function measuredDisk(m: DiskMeasurements): FlashDisk {
  requirePositiveNumber("sequentialBytesPerSecond", m.sequentialBytesPerSecond);
  requirePositiveNumber("randomReadSeconds", m.randomReadSeconds);
  const transfer = PAGE_SIZE / m.sequentialBytesPerSecond;
  return {
    name: "measured",
    kind: "flash",
    bytesPerSecond: m.sequentialBytesPerSecond,
    latencySeconds: Math.max(0, m.randomReadSeconds - transfer),
    capacityBytes: m.capacityBytes ?? 2 ** 44,
  };
}

/** Checks a finite number > 0 (>= 0 if zeroOk); throws a RangeError naming it. */
function requirePositiveNumber(name: string, value: unknown, zeroOk = false): number {
  if (typeof value !== "number" || !Number.isFinite(value) || value < 0 || (!zeroOk && value === 0)) {
    throw new RangeError(`${name} must be a finite number ${zeroOk ? ">= 0" : "> 0"}, got ${String(value)}`);
  }
  return value;
}

/** Resolves a profile name or checks a profile record; every disk function calls it first. */
export function diskProfile(disk: DiskName | DiskProfile): DiskProfile {
  if (typeof disk === "string") return DISK_PROFILES[DISK_NAMES[requireChoice("disk", disk, DISK_NAMES)]];
  if (disk === null || typeof disk !== "object") throw new TypeError(`disk must be one of ${DISK_NAMES.join(", ")} or a profile record`);
  if (disk.kind === "flash") {
    requirePositiveNumber("disk.bytesPerSecond", disk.bytesPerSecond);
    requirePositiveNumber("disk.latencySeconds", disk.latencySeconds, true);
    requirePositiveNumber("disk.capacityBytes", disk.capacityBytes);
  } else if (disk.kind === "rotating") {
    requirePositiveNumber("disk.rpm", disk.rpm);
    requireInteger("disk.blocksPerTrack", disk.blocksPerTrack, 1, 1 * MiB);
    requireInteger("disk.tracks", disk.tracks, 1, Math.floor(0x7fffffff / disk.blocksPerTrack));
    requirePositiveNumber("disk.trackToTrackSeekSeconds", disk.trackToTrackSeekSeconds, true);
    requirePositiveNumber("disk.fullStrokeSeekSeconds", disk.fullStrokeSeekSeconds, true);
    if (disk.fullStrokeSeekSeconds < disk.trackToTrackSeekSeconds) {
      throw new RangeError("disk.fullStrokeSeekSeconds must be at least disk.trackToTrackSeekSeconds");
    }
    requirePositiveNumber("disk.overheadSeconds", disk.overheadSeconds, true);
  } else {
    throw new TypeError(`disk.kind must be "rotating" or "flash"; got ${JSON.stringify((disk as { kind?: unknown }).kind)}`);
  }
  return disk;
}

/** The media rate of a disk, bytes/s. */
export function diskBytesPerSecond(disk: DiskProfile): number {
  return disk.kind === "flash" ? disk.bytesPerSecond : (disk.blocksPerTrack * PAGE_SIZE * disk.rpm) / 60;
}

/** A disk's size in 4 KiB blocks, as far as the simulator addresses them (block numbers are i32: 8 TiB). */
export function diskBlocks(disk: DiskProfile): number {
  const blocks = disk.kind === "flash" ? Math.floor(disk.capacityBytes / PAGE_SIZE) : disk.blocksPerTrack * disk.tracks;
  return Math.min(blocks, 0x7fffffff);
}

/**
 * Average seek between two random positions: with seek(d) = t2t + (full - t2t) * sqrt(d / D) and d/D the
 * distance of two uniform points (E[sqrt|x - y|] = 8/15), it is t2t + (full - t2t) * 8/15.
 */
export function averageSeekSeconds(disk: RotatingDisk): number {
  return disk.trackToTrackSeekSeconds + ((disk.fullStrokeSeekSeconds - disk.trackToTrackSeekSeconds) * 8) / 15;
}

/**
 * Average wait to position the head for a random request within `spanBytes` of the disk (default: all of
 * it): seek plus half a revolution; 0 for flash. Seeks within a span of S of T tracks average
 * t2t + (full - t2t) * sqrt(S / T) * 8/15 under the same square-root seek curve.
 */
export function positioningSeconds(disk: DiskProfile, spanBytes?: number): number {
  if (disk.kind === "flash") return 0;
  const diskBytes = disk.blocksPerTrack * disk.tracks * PAGE_SIZE;
  const fraction = spanBytes === undefined ? 1 : Math.min(1, spanBytes / diskBytes);
  const seek = disk.trackToTrackSeekSeconds + ((disk.fullStrokeSeekSeconds - disk.trackToTrackSeekSeconds) * 8 * Math.sqrt(fraction)) / 15;
  return seek + 30 / disk.rpm;
}

/** Fixed cost of every request: command overhead, or flash read latency. */
export function requestOverheadSeconds(disk: DiskProfile): number {
  return disk.kind === "flash" ? disk.latencySeconds : disk.overheadSeconds;
}

/** Breakdown of a closed-form disk estimate, seconds. */
export interface DiskEstimate {
  requests: number;
  overheadSeconds: number;
  positioningSeconds: number;
  transferSeconds: number;
  totalSeconds: number;
}

/**
 * Closed-form time to read `bytes` in requests of `requestBytes`: every request pays the fixed overhead and
 * its transfer; a random pattern positions the head for every request (within `spanBytes`, default the
 * whole disk), a sequential one only for the first. Chapter 4 draws its model lines with it; the simulator (simulateDisk) gives the same answer request by request.
 */
export function estimateDiskSeconds(
  disk: DiskName | DiskProfile,
  bytes: number,
  requestBytes: number,
  pattern: "sequential" | "random",
  spanBytes?: number,
): DiskEstimate {
  const d = diskProfile(disk);
  requirePositiveNumber("bytes", bytes, true);
  requirePositiveNumber("requestBytes", requestBytes);
  requireChoice("pattern", pattern, ["sequential", "random"]);
  if (spanBytes !== undefined) requirePositiveNumber("spanBytes", spanBytes);
  const requests = bytes === 0 ? 0 : Math.ceil(bytes / requestBytes);
  const overheadSeconds = requests * requestOverheadSeconds(d);
  const positioning = (pattern === "random" ? requests : Math.min(requests, 1)) * positioningSeconds(d, spanBytes);
  const transferSeconds = bytes / diskBytesPerSecond(d);
  return { requests, overheadSeconds, positioningSeconds: positioning, transferSeconds, totalSeconds: overheadSeconds + positioning + transferSeconds };
}

/** Disk scheduling policies of the simulator (OSTEP 37.5). */
export const DISK_POLICIES = ["fifo", "sstf", "satf"] as const;
export type DiskPolicy = (typeof DISK_POLICIES)[number];

/** A request given to the simulator: 4 KiB blocks [firstPage, firstPage + pages); page-cache requests fit as they are. */
export interface BlockRequest {
  firstPage: number;
  pages: number;
}

/** One served request, in service order; times in seconds. */
export interface ServedRequest {
  /** Position of the request in the input list. */
  index: number;
  firstPage: number;
  pages: number;
  start: number;
  overhead: number;
  seek: number;
  rotate: number;
  transfer: number;
  end: number;
}

/** The simulator's record: totals by component and, if asked, every request. */
export interface DiskRun {
  disk: string;
  policy: DiskPolicy;
  window: number;
  requests: number;
  bytes: number;
  totalSeconds: number;
  overheadSeconds: number;
  seekSeconds: number;
  rotateSeconds: number;
  transferSeconds: number;
  /** bytes / totalSeconds. */
  bytesPerSecond: number;
  served?: ServedRequest[];
}

/** Options of simulateDisk. */
export interface DiskRunOptions {
  /** Scheduling: "fifo" (default), "sstf" or "satf". */
  policy?: DiskPolicy;
  /** Lookahead of SSTF/SATF: how many of the oldest pending requests they choose from (0 = all, default). */
  window?: number;
  /** Return every request's timing (default true up to 100,000 requests). */
  detail?: boolean;
}

/** Most requests one simulation takes. */
export const MAX_DISK_REQUESTS = 1 << 24;
/** Most (requests x lookahead) comparisons SSTF/SATF may make. */
const MAX_COMPARISONS = 2e9;

/** Passes a profile to the WebAssembly disk; called by simulateDisk(). */
function configureDisk(d: DiskProfile): void {
  const model = loadModel();
  const status =
    d.kind === "flash"
      ? model.diskConfigureFlash(d.bytesPerSecond, d.latencySeconds, Math.floor(d.capacityBytes / PAGE_SIZE))
      : model.diskConfigureRotating(d.rpm, d.blocksPerTrack, d.tracks, d.trackToTrackSeekSeconds, d.fullStrokeSeekSeconds, d.overheadSeconds);
  if (status !== 0) throw new RangeError(`disk profile ${d.name} rejected by the model (status ${status})`);
}

/**
 * Serves `requests` one at a time (queue depth 1, all queued at time 0, head on track 0) on the disk, in the
 * order of the scheduling policy, and returns the time spent on overhead, seeks, rotation and transfer.
 */
export function simulateDisk(disk: DiskName | DiskProfile, requests: readonly BlockRequest[], options: DiskRunOptions = {}): DiskRun {
  const d = diskProfile(disk);
  const policy = DISK_POLICIES[requireChoice("policy", options.policy ?? "fifo", DISK_POLICIES)];
  if (!Array.isArray(requests)) throw new TypeError("requests must be an array of { firstPage, pages }");
  const count = requireInteger("requests.length", requests.length, 1, MAX_DISK_REQUESTS);
  const window = requireInteger("window", options.window ?? 0, 0, MAX_DISK_REQUESTS);
  if (policy !== "fifo" && count * (window || count) > MAX_COMPARISONS) {
    throw new RangeError(`${policy} compares every pending request: requests x window must be at most ${MAX_COMPARISONS}; use a window of at most ${Math.floor(MAX_COMPARISONS / count)}`);
  }
  const blocks = diskBlocks(d);
  configureDisk(d);
  const model = loadModel();
  const ptr = model.diskRequestBuffer(count);
  if (!ptr) throw new Error("disk model could not allocate its request buffer");
  const input = new Int32Array(model.memory.buffer, ptr, 2 * count);
  let bytes = 0;
  requests.forEach((r, i) => {
    const first = requireInteger(`requests[${i}].firstPage`, r?.firstPage, 0, blocks - 1);
    const pages = requireInteger(`requests[${i}].pages`, r?.pages, 1, blocks - first);
    input[2 * i] = first;
    input[2 * i + 1] = pages;
    bytes += pages * PAGE_SIZE;
  });
  const status = model.diskRun(count, DISK_POLICIES.indexOf(policy), window);
  if (status !== 0) throw new Error(`disk model rejected the run (status ${status})`);
  const fields = (model.DISK_RESULT_FIELDS as { value: number }).value;
  const rows = new Float64Array(model.memory.buffer, model.diskResults(), fields * count);
  const run: DiskRun = {
    disk: d.name, policy, window, requests: count, bytes,
    totalSeconds: rows[fields * (count - 1) + 6],
    overheadSeconds: 0, seekSeconds: 0, rotateSeconds: 0, transferSeconds: 0, bytesPerSecond: 0,
  };
  const served: ServedRequest[] = [];
  for (let k = 0; k < count; k++) {
    const at = fields * k;
    run.overheadSeconds += rows[at + 2];
    run.seekSeconds += rows[at + 3];
    run.rotateSeconds += rows[at + 4];
    run.transferSeconds += rows[at + 5];
    if (options.detail ?? count <= 100_000) {
      const index = rows[at];
      served.push({
        index, firstPage: requests[index].firstPage, pages: requests[index].pages,
        start: rows[at + 1], overhead: rows[at + 2], seek: rows[at + 3], rotate: rows[at + 4], transfer: rows[at + 5], end: rows[at + 6],
      });
    }
  }
  run.bytesPerSecond = bytes / run.totalSeconds;
  if (options.detail ?? count <= 100_000) run.served = served;
  return run;
}
