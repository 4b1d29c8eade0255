// The page-cache experiment of `workbook run` (chapter 3): the model's hit-ratio sweeps, readahead scenarios
// and re-reads beside the machine's cold/warm reads, readahead and re-reads, with notebook 3's figures.
import { runCacheReads } from "../../experiments/cache-reads";
import { CacheReadsResult } from "../../experiments/cache-reads-records";
import {
  hitRatioSweeps, readaheadScenarios, rereadModel, readaheadWindowPages, HitRatioSweep, ReadaheadScenario, RereadModelPass,
} from "../../experiments/cache-model-runs";
import { coldWarmFigure, hitRatioFigure, readaheadModelFigure, readaheadMachineFigure, rereadsFigure } from "../../figures/page-cache";
import { MiB, formatBytes } from "../../units/sizes";
import { Experiment, Scale } from "../experiment";

/** Sizes per scale: quick is CI-sized (seconds), default well under a minute on 2 cores, full reads a 512 MiB file. */
export const PAGE_CACHE_SIZES: Record<Scale, { fileBytes: number; runs: number; rereads: number; smallReads: number; modelPasses: number }> = {
  quick: { fileBytes: 16 * MiB, runs: 2, rereads: 3, smallReads: 1024, modelPasses: 5 },
  default: { fileBytes: 128 * MiB, runs: 5, rereads: 4, smallReads: 4096, modelPasses: 20 },
  full: { fileBytes: 512 * MiB, runs: 9, rereads: 6, smallReads: 8192, modelPasses: 50 },
};

/** Result record: the machine's measurements and the model's runs that pair with them. */
export interface PageCacheReport {
  machine: CacheReadsResult;
  sweeps: HitRatioSweep[];
  scenarios: ReadaheadScenario[];
  rereads: RereadModelPass[];
}

export const pageCacheExperiment: Experiment<PageCacheReport> = {
  name: "page-cache",
  title: "3. The page cache (model and machine)",
  diskBytes: (scale) => PAGE_CACHE_SIZES[scale].fileBytes,
  async run(ctx) {
    const size = PAGE_CACHE_SIZES[ctx.scale];
    const machine = await runCacheReads({
      fileBytes: size.fileBytes,
      runs: ctx.runs ?? size.runs,
      rereads: size.rereads,
      smallReads: size.smallReads,
      dir: ctx.tmpDir,
      onProgress: (p) => ctx.progress((0.9 * p.done) / p.total, p.label),
    });
    ctx.progress(0.9, "model");
    const filePages = size.fileBytes / 4096;
    const result: PageCacheReport = {
      machine,
      sweeps: hitRatioSweeps({ filePages: 1000, passes: size.modelPasses }),
      scenarios: readaheadScenarios({ filePages, reads: size.smallReads, machineWindowPages: readaheadWindowPages(machine.conditions.device?.readAheadKiB) }),
      rereads: rereadModel({ filePages, reads: size.rereads }),
    };
    ctx.progress(1, "done");
    return result;
  },
  sections(result) {
    const m = result.machine;
    const c = m.conditions;
    const where = `${formatBytes(c.fileBytes)} file on ${c.filesystem}, device ${c.device?.name ?? "none"} (read_ahead_kb ${c.device?.readAheadKiB ?? "?"}), median of ${c.runs}`;
    return [
      {
        title: "3. The page cache: cold vs warm, and Kafka's \"copied into pagecache exactly once\"",
        text:
          `The same file read cold (0 pages resident, after fdatasync + POSIX_FADV_DONTNEED) and warm, then read ${m.rereads.reads} times ` +
          `from one cold start; read_bytes from /proc/self/io beside the model's disk pages (${where}).`,
        figures: [coldWarmFigure(m.coldWarm, result.rereads, c.fileBytes), rereadsFigure(m.rereads, result.rereads)],
      },
      {
        title: "3. The page cache: which pages stay (model)",
        text: "Hit ratio vs cache size for LRU, CLOCK, FIFO and Belady's OPT on a looping scan, uniform random pages and the 80-20 workload.",
        figures: result.sweeps.map(hitRatioFigure),
      },
      {
        title: "3. The page cache: readahead (model and machine)",
        text: `What readahead does with 4 KiB reads in order and at shuffled pages: the model's fetched pages by fate, then the machine (${where}).`,
        figures: [readaheadModelFigure(result.scenarios), readaheadMachineFigure(m.readahead, result.scenarios, c.device?.readAheadKiB ?? null)],
      },
    ];
  },
};
