// Chapter 3's analysis: the machine's page-cache measurements (src/experiments/cache-reads.ts) and the runs of the
// page-cache model (src/model/page-cache.ts) that pair with them, as plain records the figures and claims read.
import { simulateCache, capacitySweep, SweepPoint, CacheResult } from "../../model/page-cache";
import { requireInteger } from "../../units/arguments";
import { Xorshift32 } from "../../random/xorshift";
import { PatternName } from "../../model/vocabulary";
import { PAGE_SIZE } from "../../reference/linux";
import { smallReadOffsets, runCacheReads } from "../../experiments/cache-reads";
import type { CacheReadsResult } from "../../experiments/cache-reads-records";
import type { PageCachePlan } from "./plan";
import { DEFAULT_READAHEAD_PAGES } from "../../model/page-cache-input";
import { MiB } from "../../units/sizes";
import type { Spread } from "../../statistics/spread";
import { readCost, ReadKind } from "../../model/cost/storage";
import type { MachineProfile } from "../../calibration/profile-record";

/** One hit-ratio-vs-capacity sweep: every policy over the same access stream. */
export interface HitRatioSweep {
  /** Short name: "loop", "random", "hot-cold". */
  key: string;
  /** What the figure calls it. */
  label: string;
  pattern: PatternName;
  filePages: number;
  accesses: number;
  points: SweepPoint[];
}

/** Cache sizes of the sweeps as fractions of the file: dense just below 1, where the looping scan breaks LRU. */
export const SWEEP_FRACTIONS = [0.1, 0.25, 0.5, 0.75, 0.9, 0.95, 0.99, 1, 1.1, 1.25] as const;

/**
 * Hit ratio vs cache size for LRU, CLOCK, FIFO and OPT on three patterns over a file of `filePages` pages,
 * `passes` times its size in accesses: a looping scan (the sequential pattern wraps at the end of the file),
 * uniform random pages, and OSTEP's 80-20 hot-cold workload. Readahead is off: OPT is defined for demand paging.
 */
export function hitRatioSweeps(options: { filePages?: number; passes?: number; fractions?: readonly number[] } = {}): HitRatioSweep[] {
  const filePages = requireInteger("filePages", options.filePages ?? 1000, 10, 1 * MiB);
  const passes = requireInteger("passes", options.passes ?? 10, 2, 1000);
  const fractions = options.fractions ?? SWEEP_FRACTIONS;
  const capacities = [...new Set(fractions.map((f) => Math.max(1, Math.round(f * filePages))))];
  const accesses = passes * filePages;
  const runs: { key: string; label: string; pattern: PatternName }[] = [
    { key: "loop", label: "looping scan", pattern: "sequential" },
    { key: "random", label: "uniform random pages", pattern: "random" },
    { key: "hot-cold", label: "80-20 hot-cold", pattern: "hot-cold" },
  ];
  return runs.map((r) => ({
    ...r,
    filePages,
    accesses,
    points: capacitySweep({ pattern: r.pattern, accesses, filePages, capacities, readaheadMax: 0 }),
  }));
}

/** Readahead counters of one model run, and pages per disk request. */
export interface ReadaheadScenario {
  key: string;
  label: string;
  accesses: number;
  filePages: number;
  capacity: number;
  readaheadMax: number;
  hits: number;
  misses: number;
  /** Pages read ahead of any request; used = later hit, wasted = never used (evicted or still unused at the end). */
  readaheadPages: number;
  readaheadUsed: number;
  readaheadWasted: number;
  diskRequests: number;
  diskPages: number;
  /** diskPages / diskRequests: how large the model's disk requests are. */
  pagesPerRequest: number;
}

/** The page list of short sequential runs at random offsets: `runs` runs of `runPages` pages each. */
export function shortRunsTrace(filePages: number, runs: number, runPages: number, seed = 7): number[] {
  const random = new Xorshift32(seed);
  const pages: number[] = [];
  for (let r = 0; r < runs; r++) {
    const start = random.next() % (filePages - runPages + 1);
    for (let k = 0; k < runPages; k++) pages.push(start + k);
  }
  return pages;
}

/** Turns a model run into a readahead scenario record. */
function scenario(key: string, label: string, r: CacheResult): ReadaheadScenario {
  return {
    key, label,
    accesses: r.accesses, filePages: r.filePages, capacity: r.capacity, readaheadMax: r.readaheadMax,
    hits: r.hits, misses: r.misses,
    readaheadPages: r.readaheadPages, readaheadUsed: r.readaheadUsed, readaheadWasted: r.readaheadWasted,
    diskRequests: r.diskRequests, diskPages: r.diskPages,
    pagesPerRequest: r.diskRequests ? r.diskPages / r.diskRequests : 0,
  };
}

/**
 * Readahead at work in the model, with LRU: a sequential read of `reads` pages, the same number of 4 KiB reads
 * at distinct shuffled pages (the machine's random pass), short 4-page runs at random offsets (readahead starts on the second page and
 * reads past the run), and a sequential read in a cache only two windows large. With `machineWindowPages`
 * (read_ahead_kb / 4 of the reader's disk) the sequential read is repeated with that window.
 */
export function readaheadScenarios(options: { filePages?: number; reads?: number; readaheadMax?: number; machineWindowPages?: number | null } = {}): ReadaheadScenario[] {
  const filePages = requireInteger("filePages", options.filePages ?? 16384, 64, 1 << 24);
  const reads = requireInteger("reads", options.reads ?? 2048, 16, filePages);
  const window = requireInteger("readaheadMax", options.readaheadMax ?? DEFAULT_READAHEAD_PAGES, 1, 1 << 16);
  const roomy = filePages; // the whole file fits: nothing is evicted, readahead can only be used or left unused
  const out: ReadaheadScenario[] = [
    scenario("sequential", `sequential (window ${window} pages)`, simulateCache({ pattern: "sequential", accesses: reads, filePages, capacity: roomy, readaheadMax: window })),
  ];
  if (options.machineWindowPages) {
    const machine = requireInteger("machineWindowPages", options.machineWindowPages, 1, 1 << 16);
    out.push(scenario("sequential-machine", `sequential (window ${machine} pages, this disk)`, simulateCache({ pattern: "sequential", accesses: reads, filePages, capacity: roomy, readaheadMax: machine })));
  }
  out.push(
    // The same distinct shuffled pages the machine's random pass reads (cache-reads.ts).
    scenario("random", "random 4 KiB", simulateCache({ trace: smallReadOffsets("random", filePages, reads).map((o) => o / PAGE_SIZE), filePages, capacity: roomy, readaheadMax: window })),
    scenario("short-runs", "4-page runs at random offsets", simulateCache({ trace: shortRunsTrace(filePages, Math.floor(reads / 4), 4), filePages, capacity: roomy, readaheadMax: window })),
    scenario("small-cache", `sequential, cache of ${2 * window} pages`, simulateCache({ pattern: "sequential", accesses: reads, filePages, capacity: 2 * window, readaheadMax: window })),
  );
  return out;
}

/** The model's readahead window for a device's read_ahead_kb (KiB -> 4 KiB pages, within the model's range), or null. */
export function readaheadWindowPages(readAheadKiB: number | null | undefined): number | null {
  return readAheadKiB ? Math.min(1 << 16, Math.max(1, Math.floor(readAheadKiB / 4))) : null;
}

/** Pages one whole-file read fetched from disk, and its hits and misses, in the model. */
export interface RereadModelPass {
  read: number;
  diskPages: number;
  hits: number;
  misses: number;
}

/**
 * The model's answer to "read the same cold file k times": a sequential pattern of k x filePages accesses
 * (it wraps at the end of the file), cut into passes by differencing runs of 1, 2, ..., k passes.
 */
export function rereadModel(options: { filePages: number; reads: number; capacity?: number; readaheadMax?: number }): RereadModelPass[] {
  const filePages = requireInteger("filePages", options.filePages, 1, 1 << 24);
  const reads = requireInteger("reads", options.reads, 1, 100);
  const capacity = options.capacity ?? filePages;
  const passes: RereadModelPass[] = [];
  let previous = { diskPages: 0, hits: 0, misses: 0 };
  for (let k = 1; k <= reads; k++) {
    const r = simulateCache({ pattern: "sequential", accesses: k * filePages, filePages, capacity, readaheadMax: options.readaheadMax });
    passes.push({ read: k, diskPages: r.diskPages - previous.diskPages, hits: r.hits - previous.hits, misses: r.misses - previous.misses });
    previous = r;
  }
  return passes;
}

/** Chapter 3's result record: the machine's measurements and the model's runs that pair with them, and the
 *  machine profile the time model is drawn from. */
export interface PageCacheReport {
  plan: PageCachePlan;
  machine: CacheReadsResult;
  profile: MachineProfile;
  /** The model's pass over a cold file, then over the warm one: the cold/warm figure's dashed bars. */
  coldWarmModel: RereadModelPass[];
  sweeps: HitRatioSweep[];
  scenarios: ReadaheadScenario[];
  rereads: RereadModelPass[];
}

/** Runs chapter 3: the machine's cold/warm reads, readahead and re-reads, then the model beside each. */
export async function runPageCacheChapter(
  plan: PageCachePlan,
  profile: MachineProfile,
  options: { dir?: string; onProgress?: (fraction: number, label: string) => void } = {},
): Promise<PageCacheReport> {
  const machine = await runCacheReads({
    fileBytes: plan.fileBytes,
    runs: plan.runs,
    chunk: plan.chunk,
    rereads: plan.rereads,
    smallReads: plan.smallReads,
    dir: options.dir,
    onProgress: (p) => options.onProgress?.((0.9 * p.done) / p.total, p.label),
  });
  options.onProgress?.(0.9, "model");
  const filePages = plan.fileBytes / PAGE_SIZE;
  return {
    plan,
    machine,
    profile,
    coldWarmModel: rereadModel({ filePages, reads: 2 }),
    sweeps: hitRatioSweeps({ filePages: plan.modelFilePages, passes: plan.modelPasses }),
    scenarios: readaheadScenarios({ filePages, reads: plan.smallReads, machineWindowPages: readaheadWindowPages(machine.conditions.device?.readAheadKiB) }),
    rereads: rereadModel({ filePages, reads: plan.rereads }),
  };
}

/** One of the machine's read passes beside the storage equations (src/model/cost/storage.ts) on the profile. */
export interface ReadSpeedRow {
  key: "cold" | "warm" | "sequential" | "random";
  label: string;
  /** The read kind the model prices it as. */
  kind: ReadKind;
  bytes: number;
  callBytes: number;
  measured: Spread;
  modelMiBps: number;
  /** model / measured - 1 at the median. */
  residual: number;
}

/** The four passes the chapter measures, each priced by the storage model: cold and warm whole-file reads in the
 *  plan's calls, and 4 KiB reads in order and at shuffled pages from a cold cache. */
export function readSpeedRows(report: PageCacheReport): ReadSpeedRow[] {
  const m = report.machine;
  const c = m.conditions;
  const small = m.readahead.calls * PAGE_SIZE;
  const rows: Omit<ReadSpeedRow, "modelMiBps" | "residual">[] = [
    { key: "cold", label: `cold file, ${c.chunk / 1024} KiB calls`, kind: "cold-sequential", bytes: c.fileBytes, callBytes: c.chunk, measured: m.coldWarm.cold.mibps },
    { key: "warm", label: `warm file, ${c.chunk / 1024} KiB calls`, kind: "warm", bytes: c.fileBytes, callBytes: c.chunk, measured: m.coldWarm.warm.mibps },
    { key: "sequential", label: "cold, 4 KiB in order", kind: "cold-sequential", bytes: small, callBytes: PAGE_SIZE, measured: m.readahead.sequential.mibps },
    { key: "random", label: "cold, 4 KiB shuffled", kind: "cold-random", bytes: small, callBytes: PAGE_SIZE, measured: m.readahead.random.mibps },
  ];
  return rows.map((r) => {
    const modelMiBps = r.bytes / readCost(report.profile.parameters, r.kind, r.bytes, r.callBytes).seconds / MiB;
    return { ...r, modelMiBps, residual: modelMiBps / r.measured.median - 1 };
  });
}
