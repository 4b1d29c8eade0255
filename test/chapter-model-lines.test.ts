// The chapters' analysis beside the model drawn from the machine profile, on records made by hand: chapter 2's rows
// and its direction claim, chapter 7's rows over batches (each row's own noise, the residuals, which misses are the
// model's), its claims (each fails when its data say so), and what the figures promise (one panel per path, no text
// on the parity points, at most eight colours, log axes where the values span decades).
import { describe, it, expect } from "vitest";
import { analyzeZeroCopy, ZeroCopyStudy } from "../src/chapters/02-zero-copy-measured/analysis";
import { chapterClaims as zeroCopyClaims } from "../src/chapters/02-zero-copy-measured/claims";
import { transferTimeFigure, perGiBFigure, ibmRatioFigure } from "../src/chapters/02-zero-copy-measured/figures";
import { syscallsMarkdown, ratioMarkdown } from "../src/chapters/02-zero-copy-measured/prose";
import { analyzePrediction, PredictionStudy } from "../src/chapters/07-theory-meets-measurement/analysis";
import { chapterClaims as predictionClaims } from "../src/chapters/07-theory-meets-measurement/claims";
import { parityFigure, residualNoiseFigure, breakdownFigure, parameterTable, fitTable } from "../src/chapters/07-theory-meets-measurement/figures";
import { noiseMarkdown, equationsMarkdown } from "../src/chapters/07-theory-meets-measurement/prose";
import { IBM_TABLE_1 } from "../src/reference/ibm-zero-copy";
import { PARAMETER_NAMES } from "../src/model/cost/machine-profile";
import { profileFixture } from "./support/profile-fixture";
import { handMadeResult, handMadeBatch, TYPICAL, RunFigures } from "./support/transfer-fixture";
import { expectWellFormed } from "./figure-checks";
import type { TransferPath } from "../src/vocabulary/transfer";
import { KiB, MiB } from "../src/units/sizes";

type Trace = Record<string, any>;

/** Distinct colours a figure uses (markers and lines), the legend-only style keys in grey included. */
function colours(figure: { data: Record<string, unknown>[] }): Set<string> {
  const out = new Set<string>();
  for (const t of figure.data as Trace[]) {
    for (const c of [t.line?.color, t.marker?.color].flat()) if (typeof c === "string") out.add(c);
  }
  return out;
}

/** This machine's figures with 4 KiB chunks, as chapter 2 reads: the loops' calls per chunk, 16 times as many. */
const AT_4KIB: Record<TransferPath, RunFigures> = {
  stream: { wallPerGiB: 9, cpuPerGiB: 17, syscallsPerGiB: 4 * 262144 },
  "read-write": { wallPerGiB: 3.4, cpuPerGiB: 3.3, syscallsPerGiB: 2 * 262144 },
  "c-read-write": { wallPerGiB: 2.7, cpuPerGiB: 2.6, syscallsPerGiB: 2 * 262144 + 40 },
  sendfile: TYPICAL.sendfile,
  splice: TYPICAL.splice,
};

/** Chapter 2's study at the plan's sizes, the machine's figures by path (optionally changed at one size). */
function zeroCopyStudy(figures: (path: TransferPath, bytes: number) => RunFigures = (path) => AT_4KIB[path]): ZeroCopyStudy {
  const sizes = [7e6, 63e6, 200e6];
  return { chunk: 4 * KiB, profile: profileFixture(), results: sizes.map((bytes) => handMadeResult(bytes, 4 * KiB, 3, (path) => figures(path, bytes))) };
}

describe("chapter 2: the model from the profile beside the machine", () => {
  it("sets the profile's prediction beside every measured row, at the experiment's chunk, and names the profile", () => {
    const a = analyzeZeroCopy(zeroCopyStudy());
    expect(a.rows).toHaveLength(15);
    expect(a.largest.map((r) => r.path)).toEqual(["stream", "read-write", "c-read-write", "sendfile", "splice"]);
    expect(a.modelLabel).toBe("model, this machine's profile of 2026-12-01 00:00");
    // the fixture's JS loop: 1 µs per call and 0.15 ns per byte of Node on top of the C loop's work
    const rw = a.largest.find((r) => r.path === "read-write")!;
    const c = a.largest.find((r) => r.path === "c-read-write")!;
    const chunks = 48829; // 200 MB in 4 KiB chunks, the last one short
    expect((rw.model.cpuSecondsPerGiB - c.model.cpuSecondsPerGiB) * (200e6 / 2 ** 30)).toBeGreaterThan(chunks * 1e-6 + 200e6 * 0.15e-9);
    // a read and a write per 4 KiB chunk: 2^30 / 4096 x 2 calls per GiB (200 MB is 48,829 chunks, the last one short)
    expect(rw.model.syscallsPerGiB).toBeCloseTo((2 * 48829 * 2 ** 30) / 200e6, 6);
    expect(a.socketSendBufferBytes).toBe(4 * MiB);
    expect(a.pipeBytes).toBe(MiB);
  });

  it("its claims hold when the machine agrees with the model's direction, and the direction claim fails where it does not", () => {
    const good = zeroCopyClaims(zeroCopyStudy());
    expect(good.claims.filter((c) => !c.pass).map((c) => c.claim)).toEqual([]);
    // at 63 MB this machine's sendfile took longer than its JavaScript loop: the model (below 1) answers the other way
    const slow = zeroCopyStudy((path, bytes) => (bytes === 63e6 && path === "sendfile" ? { ...AT_4KIB.sendfile, wallPerGiB: 3.6 } : AT_4KIB[path]));
    const verdict = zeroCopyClaims(slow);
    const direction = verdict.claims.find((c) => /agree in direction at every size/.test(c.claim))!;
    expect(direction.pass).toBe(false);
    expect(direction.evidence).toMatch(/63 MB: machine 1\.06, model 0\.\d\d/);
    expect(analyzeZeroCopy(slow).direction.find((d) => d.bytes === 63e6)!.agrees).toBe(false);
  });

  it("draws one panel per path (no two paths' lines on top of each other) and per-GiB bars on a log axis, naming the profile", () => {
    const a = analyzeZeroCopy(zeroCopyStudy());
    const time = transferTimeFigure(a);
    expectWellFormed(time, ["yaxis"]);
    const layout = time.layout as Record<string, any>;
    expect(layout.grid.pattern).toBe("independent");
    const panels = new Set((time.data as Trace[]).filter((t) => t.x?.[0] !== null).map((t) => t.xaxis));
    expect(panels.size).toBe(5);
    for (const key of ["xaxis", "xaxis2", "xaxis5", "yaxis", "yaxis3"]) expect(layout[key].type).toBe("log");
    expect((time.data as Trace[]).map((t) => t.name)).toContain(`${a.modelLabel} (two free cores)`);
    for (const metric of ["cpu", "syscalls"] as const) {
      const bars = perGiBFigure(a.largest, metric, a.modelLabel);
      expectWellFormed(bars, ["yaxis"]);
      expect((bars.layout as any).yaxis.type).toBe("log");
      expect((bars.layout as any).yaxis.title.text).toMatch(/log scale/);
      expect(colours(bars).size).toBeLessThanOrEqual(8);
    }
    const ratio = ibmRatioFigure(IBM_TABLE_1, a.ratios, a.modelRatios, a.modelLabel, a.chunk);
    expectWellFormed(ratio, ["yaxis"]);
    expect((ratio.data as Trace[]).some((t) => String(t.name).startsWith(a.modelLabel))).toBe(true);
  });

  it("writes its prose from the run: the counts it prints are the rows'", () => {
    const a = analyzeZeroCopy(zeroCopyStudy());
    const sf = a.largest.find((r) => r.path === "sendfile")!;
    const text = syscallsMarkdown(a);
    expect(text).toContain(`${Math.round(sf.syscallsPerGiB).toLocaleString("en-US")} calls per GiB here`);
    expect(text).toContain("4 MiB");
    expect(text).toContain("2,048 calls per GiB before any refill"); // a 1 MiB pipe, two calls per pipe-full
    expect(ratioMarkdown(a)).toMatch(/agree in direction at every size/);
  });
});

/** Chapter 7's study: batches of 64 and 256 MiB, the machine's medians moving from batch to batch by `wobble`. */
function predictionStudy(wobble: (batch: number) => number, change: (path: TransferPath, bytes: number, f: RunFigures) => RunFigures = (_p, _b, f) => f): PredictionStudy {
  const sizes = [64 * MiB, 256 * MiB];
  const batches = [0, 1, 2].map((b) =>
    handMadeBatch(sizes, 64 * KiB, 3, (path, bytes) => {
      const f = change(path, bytes, TYPICAL[path]);
      return { ...f, wallPerGiB: f.wallPerGiB * wobble(b), cpuPerGiB: f.cpuPerGiB * wobble(b) };
    }),
  );
  const profile = profileFixture();
  return {
    kind: "prediction",
    profile,
    batches,
    conditions: { cpuCount: 2, cpuModel: "test", kernel: "Linux", platform: "linux-x64", nodeVersion: "v20", timestamp: "t", loadAverage: [0, 0, 0], loadAverageEnd: [0, 0, 0], sizes, runs: 3 },
  };
}

describe("chapter 7: the model over batches, beside this machine's own noise", () => {
  it("takes each row's typical figure over the batches and its own spread: batch medians 0.9, 1.0, 1.2 of a figure are a 30% spread", () => {
    const a = analyzePrediction(predictionStudy((b) => [0.9, 1.0, 1.2][b]));
    const row = a.rows.find((r) => r.path === "sendfile" && r.bytes === 256 * MiB)!;
    const wall = row.cells.wallSeconds;
    expect(wall.batchMedians.map((m) => m / wall.batchMedians[1])).toEqual([expect.closeTo(0.9, 12), 1, expect.closeTo(1.2, 12)]);
    expect(wall.spread).toBeCloseTo(0.3, 12);
    expect(wall.measured).toBeCloseTo(0.55 / 4, 12); // 0.55 s/GiB for a quarter GiB
    expect(wall.withinSpread).toBe(Math.abs(wall.residual) <= 0.3);
    // the system calls do not move between batches: no spread, so only an exact model is within it
    expect(row.cells.syscallsPerGiB.spread).toBe(0);
    expect(a.summary!.rows).toBe(10);
  });

  it("splits the misses into the machine's (inside a row's spread) and the model's (beyond it), in the chart and in the prose", () => {
    const quiet = analyzePrediction(predictionStudy(() => 1));
    const noisy = analyzePrediction(predictionStudy((b) => [0.5, 1, 2][b]));
    const within = (a: typeof quiet) => a.noise.find((n) => n.metric === "wallSeconds")!.withinSpread;
    // the same residuals: a machine that moves by itself 150% between batches covers more of them
    expect(within(noisy)).toBeGreaterThan(within(quiet));
    expect(noiseMarkdown(noisy)).toMatch(/\*\*wall time\*\*: \d+ of 10 rows at 64 MiB and above miss by less than the machine moved between batches/);
    const figure = residualNoiseFigure(noisy);
    const bars = (figure.data as Trace[]).filter((t) => t.type === "bar");
    expect(bars).toHaveLength(3); // one noise band per panel
    expect(bars[0].base.every((b: number, i: number) => b === -bars[0].y[i] / 2)).toBe(true); // ± the spread
  });

  it("all its claims hold on consistent data, and each of the physical ones fails when the data say otherwise", () => {
    const good = predictionClaims(predictionStudy((b) => [0.95, 1, 1.05][b]));
    expect(good.claims.filter((c) => !c.pass).map((c) => c.claim)).toEqual([]);
    expect(good.notes.some((n) => /target \(a reading on this run, judged on a quiet machine\)/.test(n))).toBe(true);
    // the zero-copy ratio at 64 KiB chunks is a reading: the machine's own can cross 1 on a busy machine
    const crossed = predictionClaims(predictionStudy(() => 1, (p, b, f) => (p === "sendfile" && b === 256 * MiB ? { ...f, wallPerGiB: 1.2 } : f)));
    expect(crossed.claims.filter((c) => !c.pass)).toEqual([]);
    expect(crossed.notes.find((n) => n.startsWith("sendfile / read+write"))).toMatch(/256 MiB 1\.50 and 0\.\d\d \(they answer differently\)/);
    const failing = (change: Parameters<typeof predictionStudy>[1], pattern: RegExp) => {
      const verdict = predictionClaims(predictionStudy(() => 1, change));
      return verdict.claims.find((c) => pattern.test(c.claim))!.pass;
    };
    // the C loop made half again the calls the model counts
    expect(failing((p, _b, f) => (p === "c-read-write" ? { ...f, syscallsPerGiB: 49152 } : f), /copy loops' system calls within 5%/)).toBe(false);
    // the machine's sendfile sender spent more CPU than its JavaScript one
    expect(failing((p, _b, f) => (p === "sendfile" ? { ...f, cpuPerGiB: 0.9 } : f), /sendfile sender needs less CPU/)).toBe(false);
    // a parameter that its benchmarks do not give
    const tampered = predictionStudy(() => 1);
    tampered.profile = { ...tampered.profile, parameters: { ...tampered.profile.parameters, jsCallSeconds: 1e-3 } };
    expect(predictionClaims(tampered).claims.find((c) => /re-deriving the parameters/.test(c.claim))!.pass).toBe(false);
  });

  it("draws the parity plot as three panels with no text on the points, the breakdown in six kinds, all within eight colours", () => {
    const a = analyzePrediction(predictionStudy((b) => [0.9, 1, 1.1][b]));
    const parity = parityFigure(a);
    expectWellFormed(parity, ["yaxis", "yaxis2", "yaxis3"]);
    expect((parity.layout as any).grid.columns).toBe(3);
    for (const t of parity.data as Trace[]) expect(String(t.mode)).not.toMatch(/text/);
    expect(colours(parity).size).toBeLessThanOrEqual(8);
    const breakdown = breakdownFigure(a);
    expectWellFormed(breakdown, ["yaxis"]);
    expect(breakdown.data).toHaveLength(6);
    expect(colours(breakdown).size).toBeLessThanOrEqual(8);
  });

  it("tables every parameter with its benchmark, and the fit with numbers that do not wrap", () => {
    const a = analyzePrediction(predictionStudy(() => 1));
    const params = parameterTable(profileFixture());
    expect(params.rows).toHaveLength(PARAMETER_NAMES.length);
    expect(params.rows.map((r) => r[0])).toEqual(PARAMETER_NAMES.map((n) => `\`${n}\``));
    expect(params.rows.find((r) => r[0] === "`socketSendBufferBytes`")![2]).toBe("read"); // read from /proc, not timed
    const fit = fitTable(a);
    expect(fit.rows).toHaveLength(10);
    expect(fit.numeric).toEqual([2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13]);
    expect(equationsMarkdown()).toMatch(/wall time\*\* = the slowest of: the sender/);
  });
});
