// The cost model: turns a transfer's counters (transfer-model.ts) into modelled time, component by component,
// from a plain record of machine parameters. The defaults are order-of-magnitude figures for a current
// server; a calibration step (src/calibration) can replace any of them with measurements of the reader's
// machine through costParameters({...}). CPU time is kept apart from wall time: zero-copy saves CPU first.
import { TransferCounts } from "./transfer-model";
import { PATHS } from "./vocabulary";
import { PAGE_SIZE } from "../reference/linux";
import { requireChoice } from "../units/arguments";
import { DiskName, DiskProfile, diskProfile, estimateDiskSeconds, diskBytesPerSecond, DISK_PROFILES } from "./disk";

/** What the machine costs. Plain numbers in SI units (bytes, seconds, bytes per second); one disk profile. */
export interface CostParameters {
  /** CPU copy between kernel and user buffers or page cache and socket buffer (copy_to_user, memcpy), bytes/s. Default 8e9. */
  cpuCopyBytesPerSecond: number;
  /** Ceiling of a DMA engine between a device and RAM (the PCIe link), bytes/s; caps disk and NIC transfers. Default 16e9. */
  dmaBytesPerSecond: number;
  /** Kernel work of one system call besides its two mode switches (dispatch, fd lookup, checks), s. Default 100e-9. */
  syscallSeconds: number;
  /** One switch between user and kernel mode (entry or exit, with today's speculation mitigations), s. Default 50e-9. */
  modeSwitchSeconds: number;
  /** Kernel work per 4 KiB page handed on by reference instead of copied (page refcount, skb frag, pipe buffer), s. Default 20e-9. */
  descriptorSecondsPerPage: number;
  /** One page fault mapping cached file pages (mmap; fault-around maps 16 pages at once), s. Default 1e-6. */
  pageFaultSeconds: number;
  /** CPU of the network stack per byte sent or received (TCP/IP, segmentation, interrupts), s/byte. Default 0.15e-9. */
  networkStackSecondsPerByte: number;
  /** Line rate of the network interface, bytes/s. Default 1.25e9 (10 GbE). For loopback, use the measured loopback rate. */
  nicBytesPerSecond: number;
  /** The disk under the page cache (disk.ts): "hdd", "sata-ssd", "nvme" or a profile (e.g. measuredDisk(...)). Default nvme. */
  disk: DiskProfile;
  /** Size of one disk request of sequential file I/O (the readahead window; writeback clusters), bytes. Default 131072. */
  diskRequestBytes: number;
}

/** The documented defaults; every field can be overridden with costParameters({...}). */
export const DEFAULT_COST_PARAMETERS: Readonly<CostParameters> = Object.freeze({
  cpuCopyBytesPerSecond: 8e9,
  dmaBytesPerSecond: 16e9,
  syscallSeconds: 100e-9,
  modeSwitchSeconds: 50e-9,
  descriptorSecondsPerPage: 20e-9,
  pageFaultSeconds: 1e-6,
  networkStackSecondsPerByte: 0.15e-9,
  nicBytesPerSecond: 1.25e9,
  disk: DISK_PROFILES.nvme,
  diskRequestBytes: 131072,
});

/** The numeric fields, checked to be finite and > 0. */
const NUMERIC_FIELDS = [
  "cpuCopyBytesPerSecond", "dmaBytesPerSecond", "syscallSeconds", "modeSwitchSeconds", "descriptorSecondsPerPage",
  "pageFaultSeconds", "networkStackSecondsPerByte", "nicBytesPerSecond", "diskRequestBytes",
] as const;

/** Defaults overridden by `overrides` (a disk may be given by name), every field checked; calibration calls this. */
export function costParameters(overrides: Partial<Omit<CostParameters, "disk">> & { disk?: DiskName | DiskProfile } = {}): CostParameters {
  if (overrides === null || typeof overrides !== "object") throw new TypeError("cost parameters must be an object");
  const unknown = Object.keys(overrides).filter((k) => k !== "disk" && !(NUMERIC_FIELDS as readonly string[]).includes(k));
  if (unknown.length > 0) {
    throw new TypeError(`unknown cost parameter ${unknown.join(", ")}; known: ${[...NUMERIC_FIELDS, "disk"].join(", ")}`);
  }
  const params: CostParameters = { ...DEFAULT_COST_PARAMETERS, ...overrides, disk: diskProfile(overrides.disk ?? DEFAULT_COST_PARAMETERS.disk) };
  for (const name of NUMERIC_FIELDS) {
    const value = params[name];
    if (typeof value !== "number" || !Number.isFinite(value) || value <= 0) {
      throw new RangeError(`${name} must be a finite number > 0, got ${String(value)}`);
    }
  }
  return params;
}

/** How to run the estimate. */
export interface TimeOptions {
  /** "warm": the file is already in the page cache (no disk reads); "cold": every byte comes from disk. Default "warm". */
  cache?: "warm" | "cold";
  /** Overlap the stages chunk by chunk (disk readahead, CPU, NIC all busy at once) instead of adding them up. Default false. */
  pipelined?: boolean;
}

/** Modelled time of one transfer: CPU components, device components, and the totals. All times in seconds. */
export interface ModelTime {
  path: TransferCounts["path"];
  bytes: number;
  chunks: number;
  cache: "warm" | "cold";
  pipelined: boolean;
  /** CPU copies: cpuBytes at cpuCopyBytesPerSecond. */
  cpuCopySeconds: number;
  /** Syscall bodies: syscalls x syscallSeconds. */
  syscallSeconds: number;
  /** Mode switches: modeSwitches x modeSwitchSeconds. */
  modeSwitchSeconds: number;
  /** Descriptors: pages handed on by reference x descriptorSecondsPerPage. */
  descriptorSeconds: number;
  /** Page faults x pageFaultSeconds (mmap-write). */
  pageFaultSeconds: number;
  /** Network stack CPU: nicBytes x networkStackSecondsPerByte. */
  networkStackSeconds: number;
  /** Everything the CPU does: the sum of the six above. The zero-copy paths save here first. */
  cpuSeconds: number;
  /** Disk reads (cold cache only) and writeback the transfer waits for (fsync). */
  diskSeconds: number;
  /** Writeback the transfer does not wait for (recv-write without fsync): the flusher does it later. */
  deferredDiskSeconds: number;
  /** The NIC moving nicBytes at min(nicBytesPerSecond, dmaBytesPerSecond). */
  nicSeconds: number;
  /** Stages one after another: cpuSeconds + diskSeconds + nicSeconds. */
  serialSeconds: number;
  /** Stages overlapped chunk by chunk: sum of one chunk's stages + (chunks - 1) x the slowest stage's share. */
  pipelinedSeconds: number;
  /** The estimate asked for: pipelinedSeconds if pipelined, else serialSeconds. */
  wallSeconds: number;
  /** bytes / wallSeconds. */
  bytesPerSecond: number;
  /** The stage that bounds the pipelined time: "cpu", "disk" or "nic". */
  bottleneck: "cpu" | "disk" | "nic";
}

/** Checks that `counts` looks like a modelTransfer() record; modelTime() calls it. */
function requireCounts(counts: TransferCounts): void {
  if (counts === null || typeof counts !== "object") throw new TypeError("counts must be a record from modelTransfer()");
  requireChoice("counts.path", counts.path, PATHS);
  for (const key of ["bytes", "chunks", "cpuBytes", "syscalls", "modeSwitches", "descriptorBytes", "pageFaults", "nicBytes", "diskReadBytes", "diskWriteBytes", "callBytes"] as const) {
    const v = counts[key];
    if (typeof v !== "number" || !Number.isFinite(v) || v < 0) throw new RangeError(`counts.${key} must be a finite number >= 0, got ${String(v)}`);
  }
}

/**
 * One linear pipeline of equal chunks: with per-chunk stage times s_i, the first chunk takes sum(s_i) and
 * each further chunk leaves the pipeline max(s_i) later. Called by modelTime().
 */
export function pipelineSeconds(stageTotals: readonly number[], chunks: number): number {
  const perChunk = stageTotals.map((t) => t / chunks);
  return perChunk.reduce((a, b) => a + b, 0) + (chunks - 1) * Math.max(...perChunk);
}

/** Modelled time of a transfer from its counters and the machine's parameters (defaults unless given). */
export function modelTime(counts: TransferCounts, params: CostParameters = DEFAULT_COST_PARAMETERS, options: TimeOptions = {}): ModelTime {
  requireCounts(counts);
  const p = costParameters(params);
  const cache = (["warm", "cold"] as const)[requireChoice("cache", options.cache ?? "warm", ["warm", "cold"])];
  const pipelined = options.pipelined ?? false;
  if (typeof pipelined !== "boolean") throw new TypeError(`pipelined must be true or false; got ${JSON.stringify(pipelined)}`);

  const cpuCopySeconds = counts.cpuBytes / p.cpuCopyBytesPerSecond;
  const syscallSeconds = counts.syscalls * p.syscallSeconds;
  const modeSwitchSeconds = counts.modeSwitches * p.modeSwitchSeconds;
  const descriptorSeconds = (counts.descriptorBytes / PAGE_SIZE) * p.descriptorSecondsPerPage;
  const pageFaultSeconds = counts.pageFaults * p.pageFaultSeconds;
  const networkStackSeconds = counts.nicBytes * p.networkStackSecondsPerByte;
  const cpuSeconds = cpuCopySeconds + syscallSeconds + modeSwitchSeconds + descriptorSeconds + pageFaultSeconds + networkStackSeconds;

  // The disk moves bytes no faster than the DMA engine allows: scale its transfer time if the link is slower.
  const linkFactor = Math.max(1, diskBytesPerSecond(p.disk) / p.dmaBytesPerSecond);
  const diskTime = (bytes: number, requestBytes: number) => {
    const e = estimateDiskSeconds(p.disk, bytes, requestBytes, "sequential");
    return e.totalSeconds + e.transferSeconds * (linkFactor - 1);
  };
  // Cold reads come in readahead-sized requests, in the background while the reader works (readahead).
  const readSeconds = cache === "cold" ? diskTime(counts.diskReadBytes, p.diskRequestBytes) : 0;
  // fsync after every call writes at least that call's bytes: requests no larger than a call.
  const fsync = counts.path === "recv-write-fsync";
  const writeRequest = fsync ? Math.min(counts.callBytes, p.diskRequestBytes) : p.diskRequestBytes;
  const writeSeconds = diskTime(counts.diskWriteBytes, writeRequest);
  const diskSeconds = readSeconds + (fsync ? writeSeconds : 0);
  const deferredDiskSeconds = fsync ? 0 : writeSeconds;
  const nicSeconds = counts.nicBytes / Math.min(p.nicBytesPerSecond, p.dmaBytesPerSecond);

  const serialSeconds = cpuSeconds + diskSeconds + nicSeconds;
  // fsync blocks the loop: its disk time cannot overlap the CPU's next chunk, so it joins the CPU stage.
  const stages = fsync ? [cpuSeconds + diskSeconds, nicSeconds] : [cpuSeconds, diskSeconds, nicSeconds];
  const pipelinedSeconds = pipelineSeconds(stages, Math.max(1, counts.chunks));
  const wallSeconds = pipelined ? pipelinedSeconds : serialSeconds;
  const bottleneck = nicSeconds >= cpuSeconds && nicSeconds >= diskSeconds ? "nic" : diskSeconds >= cpuSeconds ? "disk" : "cpu";
  return {
    path: counts.path, bytes: counts.bytes, chunks: counts.chunks, cache, pipelined,
    cpuCopySeconds, syscallSeconds, modeSwitchSeconds, descriptorSeconds, pageFaultSeconds, networkStackSeconds, cpuSeconds,
    diskSeconds, deferredDiskSeconds, nicSeconds, serialSeconds, pipelinedSeconds, wallSeconds,
    bytesPerSecond: counts.bytes / wallSeconds,
    bottleneck,
  };
}
