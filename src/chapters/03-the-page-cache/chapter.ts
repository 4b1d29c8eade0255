// Chapter 3 in `workbook run`: the model's hit-ratio sweeps, readahead scenarios and re-reads beside the
// machine's cold/warm reads, readahead and re-reads, with notebook 3's figures and claims.
import type { Step } from "../chapter";
import { formatBytes } from "../../units/sizes";
import { PLANS, PageCachePlan } from "./plan";
import { runPageCacheChapter, readSpeedRows, PageCacheReport } from "./analysis";
import { coldWarmFigure, hitRatioFigure, readaheadModelFigure, readaheadMachineFigure, rereadsFigure, readSpeedFigure, passesTable, scenariosTable } from "./figures";
import { coldWarmMarkdown, readaheadMarkdown, readSpeedMarkdown } from "./prose";
import { profileFor } from "../chapter-profile";
import { profileLabel } from "../../calibration/profile-source";
import { chapterClaims } from "./claims";

export const pageCacheChapter: Step<PageCachePlan, PageCacheReport> = {
  name: "page-cache",
  title: "3. The page cache (model and machine)",
  plans: PLANS,
  diskBytes: (plan) => plan.fileBytes,
  run: async (plan, ctx) => runPageCacheChapter(plan, await profileFor(ctx), { dir: ctx.tmpDir, onProgress: ctx.progress }),
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
        blocks: [
          { kind: "figure", figure: coldWarmFigure(m.coldWarm, result.coldWarmModel, c.fileBytes) },
          { kind: "markdown", markdown: coldWarmMarkdown(m.coldWarm, c) },
          { kind: "details", summary: "Every cold and warm pass", table: passesTable("cold-warm-passes", "Cold and warm whole-file reads, pass by pass", m.coldWarm.passes) },
          { kind: "figure", figure: rereadsFigure(m.rereads, result.rereads) },
        ],
        figures: [],
      },
      {
        title: "3. The page cache: which pages stay (model)",
        text: "Hit ratio vs cache size for LRU, CLOCK, FIFO and Belady's OPT on a looping scan, uniform random pages and the 80-20 workload.",
        figures: result.sweeps.map(hitRatioFigure),
      },
      {
        title: "3. The page cache: readahead (model and machine)",
        text: `What readahead does with 4 KiB reads in order and at shuffled pages: the model's fetched pages by fate, then the machine (${where}).`,
        blocks: [
          { kind: "figure", figure: readaheadModelFigure(result.scenarios) },
          { kind: "details", summary: "The model's scenarios page by page", table: scenariosTable(result.scenarios) },
          { kind: "figure", figure: readaheadMachineFigure(m.readahead, result.scenarios, c.device?.readAheadKiB ?? null) },
          { kind: "markdown", markdown: readaheadMarkdown(m.readahead) },
        ],
        figures: [],
      },
      {
        title: "3. The page cache: how fast, in the storage model and on this machine",
        text: `The four passes above, timed, beside the cost model's storage equations on this machine's profile (${profileLabel(result.profile)}).`,
        blocks: [
          { kind: "figure", figure: readSpeedFigure(readSpeedRows(result), profileLabel(result.profile)) },
          { kind: "markdown", markdown: readSpeedMarkdown(readSpeedRows(result), result.profile) },
        ],
        figures: [],
      },
    ];
  },
  verdict: chapterClaims,
};
