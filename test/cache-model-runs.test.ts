// Chapter 3's model runs: the sweeps, readahead scenarios and re-reads hold the invariants the notebook's
// prose relies on (every fetched page is a demand or a readahead page; OPT is never beaten; a looping scan
// larger than the cache defeats LRU, FIFO and CLOCK).
import { describe, it, expect } from "vitest";
import {
  hitRatioSweeps, readaheadScenarios, rereadModel, shortRunsTrace, readaheadWindowPages, SWEEP_FRACTIONS,
} from "../src/chapters/03-the-page-cache/analysis";
import { smallReadOffsets } from "../src/experiments/cache-reads";

describe("hit-ratio sweeps", () => {
  const filePages = 200;
  const passes = 5;
  const sweeps = hitRatioSweeps({ filePages, passes });

  it("run every policy at every size on the loop, random and 80-20 patterns", () => {
    expect(sweeps.map((s) => s.key)).toEqual(["loop", "random", "hot-cold"]);
    for (const s of sweeps) {
      expect(s.accesses).toBe(passes * filePages);
      expect(s.points).toHaveLength(4 * SWEEP_FRACTIONS.length);
      for (const p of s.points) expect(p.hits + p.misses).toBe(s.accesses);
    }
  });

  it("show the looping scan's cliff: LRU, CLOCK and FIFO hit nothing below the file size, everything after the first pass above it", () => {
    const loop = sweeps[0];
    for (const p of loop.points.filter((q) => q.policy !== "opt")) {
      expect(p.hits).toBe(p.capacity < filePages ? 0 : loop.accesses - filePages);
    }
  });

  it("never let a policy beat OPT", () => {
    for (const s of sweeps) {
      for (const p of s.points) {
        const opt = s.points.find((q) => q.policy === "opt" && q.capacity === p.capacity)!;
        expect(p.hits).toBeLessThanOrEqual(opt.hits);
      }
    }
  });

  it("reject sizes it cannot sweep with a clear message", () => {
    expect(() => hitRatioSweeps({ filePages: 5 })).toThrow(/filePages/);
    expect(() => hitRatioSweeps({ passes: 1 })).toThrow(/passes/);
  });
});

describe("readahead scenarios", () => {
  const filePages = 4096;
  const reads = 512;
  const scenarios = readaheadScenarios({ filePages, reads, machineWindowPages: 256 });

  it("account for every access and every fetched page", () => {
    expect(scenarios.map((s) => s.key)).toEqual(["sequential", "sequential-machine", "random", "short-runs", "small-cache"]);
    for (const s of scenarios) {
      expect(s.hits + s.misses).toBe(reads);
      // a fetched page is either the one a miss asked for or one read ahead
      expect(s.diskPages).toBe(s.misses + s.readaheadPages);
      expect(s.readaheadUsed + s.readaheadWasted).toBe(s.readaheadPages);
      expect(s.pagesPerRequest).toBeCloseTo(s.diskPages / s.diskRequests, 12);
    }
  });

  it("read ahead in full windows for reads in order and barely at all for shuffled distinct pages", () => {
    const [seq, machine, random, runs, small] = scenarios;
    expect(seq.misses).toBe(1);
    expect(seq.pagesPerRequest).toBeGreaterThan(16);
    expect(machine.pagesPerRequest).toBeGreaterThan(seq.pagesPerRequest);
    expect(random.misses).toBeGreaterThan(0.99 * reads);
    expect(random.pagesPerRequest).toBeLessThan(1.1);
    expect(runs.readaheadWasted).toBeGreaterThan(runs.readaheadUsed);
    expect(small.capacity).toBe(64);
    expect(small.diskPages).toBeGreaterThan(reads); // pages evicted before use are read again
  });

  it("leave the machine scenario out when the window is unknown", () => {
    expect(readaheadScenarios({ filePages, reads }).map((s) => s.key)).not.toContain("sequential-machine");
    expect(readaheadWindowPages(8192)).toBe(2048);
    expect(readaheadWindowPages(null)).toBeNull();
    expect(readaheadWindowPages(1 << 30)).toBe(1 << 16);
  });

  it("build short runs of consecutive pages inside the file, and read the machine's shuffled pages", () => {
    const trace = shortRunsTrace(100, 50, 4, 3);
    expect(trace).toHaveLength(200);
    for (let r = 0; r < 50; r++) {
      for (let k = 1; k < 4; k++) expect(trace[4 * r + k]).toBe(trace[4 * r] + k);
    }
    expect(Math.max(...trace)).toBeLessThan(100);
    const pages = smallReadOffsets("random", 1000, 300).map((o) => o / 4096);
    expect(new Set(pages).size).toBe(300);
    expect(smallReadOffsets("sequential", 1000, 3)).toEqual([0, 4096, 8192]);
  });
});

describe("re-reads in the model", () => {
  it("fetch the file once when it fits: every page on the first pass, none after", () => {
    const passes = rereadModel({ filePages: 1000, reads: 4 });
    expect(passes.map((p) => p.diskPages)).toEqual([1000, 0, 0, 0]);
    for (const p of passes) expect(p.hits + p.misses).toBe(1000);
  });

  it("fetch it every time when the cache is smaller than the file (the looping scan again)", () => {
    const passes = rereadModel({ filePages: 1000, reads: 3, capacity: 900, readaheadMax: 0 });
    expect(passes.map((p) => p.diskPages)).toEqual([1000, 1000, 1000]);
  });
});
