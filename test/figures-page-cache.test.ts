// Chapter 3 figures from model runs and hand-made measurement records: conventions (title, legend, units,
// model hatched/dashed vs measured solid), one trace per policy or pattern, and the numbers they plot.
import { describe, it, expect } from "vitest";
import { coldWarmFigure, hitRatioFigure, readaheadModelFigure, readaheadMachineFigure, rereadsFigure, POLICY_COLORS } from "../src/chapters/03-the-page-cache/figures";
import { hitRatioSweeps, readaheadScenarios, rereadModel } from "../src/chapters/03-the-page-cache/analysis";
import { ReadPass, ColdWarmRecord, ReadaheadRecord, RereadRecord } from "../src/experiments/cache-reads-records";
import { summarize } from "../src/statistics/spread";
import { expectWellFormed, tracesNamed } from "./figure-checks";
import { MiB } from "../src/units/sizes";

const FILE = 8 * MiB;
const PAGES = FILE / 4096;

/** A pass as the experiment records it, with the given label, residency and read_bytes. */
function pass(label: string, residentBefore: number, readBytes: number, mibps: number, bytes = FILE, device = { requests: 10, bytes: readBytes }): ReadPass {
  return {
    label, cache: residentBefore === 0 ? "cold" : "warm", residentBefore, residentAfter: PAGES, totalPages: PAGES,
    bytes, calls: bytes / MiB, callBytes: MiB, seconds: bytes / MiB / mibps, mibps, readBytes, syscr: bytes / MiB, device, verified: true,
  };
}

const coldWarm: ColdWarmRecord = (() => {
  const passes = [pass("cold", 0, FILE, 1000), pass("warm", PAGES, 0, 5000), pass("cold", 0, FILE, 1200), pass("warm", PAGES, 0, 6000)];
  const of = (label: string) => {
    const ps = passes.filter((p) => p.label === label);
    return { seconds: summarize(ps.map((p) => p.seconds)), mibps: summarize(ps.map((p) => p.mibps)), readBytes: summarize(ps.map((p) => p.readBytes)) };
  };
  return { passes, cold: of("cold"), warm: of("warm") };
})();

describe("chapter 3 figures", () => {
  it("cold vs warm: measured throughput and read_bytes beside the model's disk pages", () => {
    const model = rereadModel({ filePages: PAGES, reads: 2 });
    const figure = coldWarmFigure(coldWarm, model, FILE);
    expectWellFormed(figure, ["yaxis", "yaxis2"]);
    const modelBars = tracesNamed(figure, "model");
    expect(modelBars.map((t) => t.y[0])).toEqual([8, 0]); // MiB: the whole file cold, nothing warm
    const throughput = figure.data.filter((t) => t.yaxis === "y");
    expect(throughput.map((t) => (t.y as number[])[0])).toEqual([1100, 5500]); // medians
    expect(String((throughput[0].text as string[])[0])).toContain("0% → 100% resident");
  });

  it("hit ratio: one dashed line per policy, in % of accesses against cache size in % of the file", () => {
    for (const sweep of hitRatioSweeps({ filePages: 100, passes: 4 })) {
      const figure = hitRatioFigure(sweep);
      expectWellFormed(figure, ["xaxis", "yaxis"]);
      expect(figure.id).toBe(`hit-ratio-${sweep.key}`);
      expect(figure.data.map((t) => t.name)).toEqual(["LRU (model)", "CLOCK (model)", "FIFO (model)", "OPT (model)"]);
      for (const t of figure.data as any[]) {
        expect(t.line.color).toBe(POLICY_COLORS[t.name.split(" ")[0].toLowerCase() as keyof typeof POLICY_COLORS]);
        expect(Math.max(...t.y)).toBeLessThanOrEqual(100);
      }
      expect((figure.data[0] as any).x).toContain(100); // a cache exactly the size of the file
    }
  });

  it("readahead in the model: stacked fates per scenario that add up to the pages fetched", () => {
    const scenarios = readaheadScenarios({ filePages: 2048, reads: 256 });
    const figure = readaheadModelFigure(scenarios);
    expectWellFormed(figure, ["yaxis", "yaxis2"]);
    const bars = figure.data.filter((t) => t.type === "bar") as any[];
    expect(bars).toHaveLength(3);
    scenarios.forEach((s, i) => expect(bars.reduce((sum, b) => sum + b.y[i], 0)).toBe(s.diskPages));
  });

  it("readahead on the machine: measured and model side by side for both patterns in three panels", () => {
    const seq = [pass("sequential 4 KiB", 0, 1.5 * MiB, 600, MiB, { requests: 2, bytes: 1.5 * MiB }), pass("sequential 4 KiB", 0, 1.5 * MiB, 800, MiB, { requests: 2, bytes: 1.5 * MiB })];
    const rnd = [pass("random 4 KiB", 0, 1.05 * MiB, 40, MiB, { requests: 256, bytes: MiB }), pass("random 4 KiB", 0, 1.05 * MiB, 50, MiB, { requests: 256, bytes: MiB })];
    const summary = (ps: ReadPass[]) => ({
      mibps: summarize(ps.map((p) => p.mibps)),
      readBytesPerByte: summarize(ps.map((p) => p.readBytes / p.bytes)),
      deviceKiBPerRequest: summarize(ps.map((p) => p.device!.bytes / 1024 / p.device!.requests)),
    });
    const record: ReadaheadRecord = { calls: 256, passes: [...seq, ...rnd], sequential: summary(seq), random: summary(rnd) };
    const scenarios = readaheadScenarios({ filePages: 2048, reads: 256, machineWindowPages: 64 });
    const figure = readaheadMachineFigure(record, scenarios, 256);
    expectWellFormed(figure, ["yaxis", "yaxis2", "yaxis3"]);
    expect(figure.title).toContain("read_ahead_kb = 256");
    const perRequest = figure.data.filter((t) => t.xaxis === "x2") as any[];
    expect(perRequest.map((t) => t.y[0])).toEqual([768, (scenarios[1].pagesPerRequest * 4096) / 1024, 4, (scenarios[2].pagesPerRequest * 4096) / 1024]);
  });

  it("re-reads: MiB from storage per read, model over measurement, and the read time", () => {
    const record: RereadRecord = { reads: 3, passes: [pass("read 1", 0, FILE, 900), pass("read 2", PAGES, 0, 5000), pass("read 3", PAGES, 0, 5200)] };
    const model = rereadModel({ filePages: PAGES, reads: 3 });
    const figure = rereadsFigure(record, model);
    expectWellFormed(figure, ["yaxis", "yaxis2"]);
    expect(tracesNamed(figure, "measured (/proc")[0].y).toEqual([8, 0, 0]);
    expect(tracesNamed(figure, "model")[0].y).toEqual([8, 0, 0]);
  });
});
