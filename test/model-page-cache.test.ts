// The page-cache kernel: agreement with its TS twin, agreement with naive textbook implementations,
// OSTEP's worked examples, Belady's anomaly, OPT's optimality, and the readahead rules.
import { describe, it, expect } from "vitest";
import fc from "fast-check";
import { simulateCache, simulateCacheTwin, capacitySweep, CacheResult } from "../src/model/page-cache";
import { CacheOptions } from "../src/model/page-cache-input";
import { patternPages } from "../src/model/page-cache-twin";
import { POLICIES, PATTERNS, PolicyName, CACHE_COUNTERS } from "../src/model/vocabulary";
import { loadModel } from "../src/model/wasm";

/** Misses of a straightforward textbook implementation (arrays, linear scans), demand paging only. */
function naiveMisses(policy: PolicyName, trace: number[], capacity: number): number {
  let misses = 0;
  if (policy === "lru" || policy === "fifo") {
    const order: number[] = []; // oldest (LRU: least recent) first
    for (const page of trace) {
      const at = order.indexOf(page);
      if (at >= 0) {
        if (policy === "lru") order.push(...order.splice(at, 1));
        continue;
      }
      misses++;
      if (order.length === capacity) order.shift();
      order.push(page);
    }
  } else if (policy === "clock") {
    const frames: number[] = [];
    const used: boolean[] = [];
    let hand = 0;
    for (const page of trace) {
      const at = frames.indexOf(page);
      if (at >= 0) {
        used[at] = true;
        continue;
      }
      misses++;
      if (frames.length < capacity) {
        frames.push(page);
        used.push(true);
        continue;
      }
      while (used[hand]) {
        used[hand] = false;
        hand = (hand + 1) % capacity;
      }
      frames[hand] = page;
      used[hand] = true;
      hand = (hand + 1) % capacity;
    }
  } else {
    const frames: number[] = [];
    trace.forEach((page, i) => {
      if (frames.includes(page)) return;
      misses++;
      if (frames.length < capacity) {
        frames.push(page);
        return;
      }
      // Belady: evict the page whose next use is farthest away (never = infinitely far).
      const nextUse = (p: number) => {
        const k = trace.indexOf(p, i + 1);
        return k < 0 ? Infinity : k;
      };
      let victim = 0;
      for (let f = 1; f < frames.length; f++) if (nextUse(frames[f]) > nextUse(frames[victim])) victim = f;
      frames[victim] = page;
    });
  }
  return misses;
}

/** Checks the counters' bookkeeping identities on any result. */
function expectConsistent(r: CacheResult): void {
  expect(r.hits + r.misses).toBe(r.accesses);
  expect(r.diskPages).toBe(r.misses + r.readaheadPages);
  expect(r.readaheadUsed + r.readaheadWasted).toBe(r.readaheadPages);
  expect(r.resident).toBe(r.misses + r.readaheadPages - r.evictions);
  expect(r.resident).toBeLessThanOrEqual(r.capacity);
  expect(r.diskSeeks).toBeLessThanOrEqual(r.diskRequests);
  expect(r.diskRequests).toBeLessThanOrEqual(r.diskPages);
  for (const name of CACHE_COUNTERS) expect(r[name]).toBeGreaterThanOrEqual(0);
}

/** A random (but seeded by fast-check) set of options covering every policy, pattern and switch. */
const optionsArb: fc.Arbitrary<CacheOptions> = fc
  .record({
    policy: fc.constantFrom(...POLICIES),
    pattern: fc.constantFrom(...PATTERNS),
    capacity: fc.integer({ min: 1, max: 300 }),
    accesses: fc.integer({ min: 1, max: 3000 }),
    filePages: fc.integer({ min: 1, max: 1200 }),
    stride: fc.integer({ min: 1, max: 50 }),
    seed: fc.integer({ min: 0, max: 2 ** 32 - 1 }),
    readaheadMax: fc.integer({ min: 0, max: 64 }),
    readaheadInit: fc.integer({ min: 1, max: 64 }),
    samples: fc.integer({ min: 0, max: 20 }),
    logEvents: fc.boolean(),
    logRequests: fc.boolean(),
    trace: fc.array(fc.integer({ min: 0, max: 600 }), { minLength: 1, maxLength: 2000 }),
  })
  .map((o) => {
    const readaheadMax = o.policy === "opt" ? 0 : o.readaheadMax;
    const readaheadInit = Math.min(o.readaheadInit, Math.max(readaheadMax, 1));
    const common = { policy: o.policy, capacity: o.capacity, readaheadMax, readaheadInit, samples: 0, logEvents: o.logEvents, logRequests: o.logRequests };
    if (o.pattern === "trace") return { ...common, pattern: o.pattern, trace: o.trace, samples: Math.min(o.samples, o.trace.length) };
    return { ...common, pattern: o.pattern, accesses: o.accesses, filePages: o.filePages, stride: o.stride, seed: o.seed, samples: Math.min(o.samples, o.accesses) };
  });

describe("page cache: WebAssembly kernel against its TypeScript twin", () => {
  it("agrees exactly (counters, curve, events, disk requests) on 400 seeded random inputs", () => {
    fc.assert(
      fc.property(optionsArb, (options) => {
        const wasm = simulateCache(options);
        expect(simulateCacheTwin(options)).toEqual(wasm);
        expectConsistent(wasm);
      }),
      { numRuns: 400, seed: 20240601 },
    );
  });

  for (const policy of POLICIES) {
    for (const pattern of ["sequential", "random", "strided", "hot-cold"] as const) {
      it(`agrees on a larger run: ${policy}, ${pattern}, 4096 frames, 200k accesses`, () => {
        const options: CacheOptions = { policy, pattern, capacity: 4096, accesses: 200_000, filePages: 20_000, stride: 7, seed: 99, samples: 50 };
        const wasm = simulateCache(options);
        expect(simulateCacheTwin(options)).toEqual(wasm);
        expectConsistent(wasm);
      });
    }
  }

  it("numbers policies and patterns as the kernel does: the vocabulary's order is the kernel's ids", () => {
    const model = loadModel();
    const id = (name: string) => (model[name.toUpperCase().replace("-", "_")] as { value: number }).value;
    expect(POLICIES.map(id)).toEqual(POLICIES.map((_, i) => i));
    expect(PATTERNS.map(id)).toEqual(PATTERNS.map((_, i) => i));
  });

  it("exports as many counters as the vocabulary names", () => {
    expect((loadModel().CACHE_COUNTER_COUNT as { value: number }).value).toBe(CACHE_COUNTERS.length);
  });
});

describe("page cache: replacement policies against naive textbook implementations", () => {
  it("counts the same misses as array-and-scan LRU, FIFO, CLOCK and Belady on 300 random traces", () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...POLICIES),
        fc.array(fc.integer({ min: 0, max: 40 }), { minLength: 1, maxLength: 400 }),
        fc.integer({ min: 1, max: 30 }),
        (policy, trace, capacity) => {
          expect(simulateCache({ policy, trace, capacity, readaheadMax: 0 }).misses).toBe(naiveMisses(policy, trace, capacity));
        },
      ),
      { numRuns: 300, seed: 7 },
    );
  });

  it("reproduces OSTEP chapter 22's worked example (0 1 2 0 1 3 0 3 1 2 1, three frames)", () => {
    const trace = [0, 1, 2, 0, 1, 3, 0, 3, 1, 2, 1];
    const hits = (policy: PolicyName) => simulateCache({ policy, trace, capacity: 3, readaheadMax: 0 }).hits;
    // OSTEP: optimal "6 hits and 5 misses", FIFO a hit rate of 36.4% (4 hits), LRU 6 hits like optimal.
    expect([hits("opt"), hits("fifo"), hits("lru")]).toEqual([6, 4, 6]);
  });

  it("shows Belady's anomaly: FIFO misses more with 4 frames than with 3", () => {
    const trace = [1, 2, 3, 4, 1, 2, 5, 1, 2, 3, 4, 5];
    const misses = (capacity: number) => simulateCache({ policy: "fifo", trace, capacity, readaheadMax: 0 }).misses;
    expect([misses(3), misses(4)]).toEqual([9, 10]);
  });

  it("never lets LRU or OPT miss more with a bigger cache (the stack property)", () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 60 }), { minLength: 1, maxLength: 500 }), fc.integer({ min: 1, max: 40 }), (trace, capacity) => {
        for (const policy of ["lru", "opt"] as const) {
          const small = simulateCache({ policy, trace, capacity, readaheadMax: 0 }).misses;
          const big = simulateCache({ policy, trace, capacity: capacity + 1, readaheadMax: 0 }).misses;
          expect(big).toBeLessThanOrEqual(small);
        }
      }),
      { numRuns: 150, seed: 11 },
    );
  });

  it("never lets any policy beat OPT", () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 80 }), { minLength: 1, maxLength: 600 }), fc.integer({ min: 1, max: 50 }), (trace, capacity) => {
        const opt = simulateCache({ policy: "opt", trace, capacity }).misses;
        for (const policy of ["lru", "clock", "fifo"] as const) {
          expect(simulateCache({ policy, trace, capacity, readaheadMax: 0 }).misses).toBeGreaterThanOrEqual(opt);
        }
      }),
      { numRuns: 150, seed: 13 },
    );
  });

  it("gets no hits at all when LRU or FIFO loop over a file one page larger than the cache (OSTEP's looping workload)", () => {
    for (const policy of ["lru", "fifo"] as const) {
      const r = simulateCache({ policy, pattern: "sequential", capacity: 100, filePages: 101, accesses: 10_100, readaheadMax: 0 });
      expect(r.hits).toBe(0);
    }
    // OPT keeps most of the loop: only one page in 100 has to go per lap.
    expect(simulateCache({ policy: "opt", pattern: "sequential", capacity: 100, filePages: 101, accesses: 10_100 }).hitRatio).toBeGreaterThan(0.95);
  });

  it("hits every access after the first lap when the looped file fits", () => {
    const r = simulateCache({ policy: "clock", pattern: "sequential", capacity: 64, filePages: 64, accesses: 640, readaheadMax: 0 });
    expect([r.misses, r.hits, r.evictions]).toEqual([64, 576, 0]);
  });

  it("logs generated streams too, with the pages the pattern drew", () => {
    const r = simulateCache({ policy: "fifo", pattern: "random", accesses: 50, filePages: 10, capacity: 3, readaheadMax: 0, seed: 12, logEvents: true });
    expect(r.events!.map((e) => e.page)).toEqual(patternPages({ pattern: "random", accesses: 50, filePages: 10, seed: 12 }));
    expect(r.events!.filter((e) => e.hit).length).toBe(r.hits);
    expect(r.events!.filter((e) => e.evicted !== null).length).toBe(r.evictions);
  });

  it("logs each access with the page its miss evicted, as OSTEP's paging-policy -c prints it", () => {
    const r = simulateCache({ policy: "lru", trace: [0, 1, 2, 0, 3], capacity: 3, readaheadMax: 0, logEvents: true });
    expect(r.events).toEqual([
      { page: 0, hit: false, evicted: null },
      { page: 1, hit: false, evicted: null },
      { page: 2, hit: false, evicted: null },
      { page: 0, hit: true, evicted: null },
      { page: 3, hit: false, evicted: 1 },
    ]);
  });
});

describe("page cache: access patterns", () => {
  it("draws random pages from the seed: same seed same stream, other seed other stream", () => {
    const base = { pattern: "random", accesses: 1000, filePages: 5000, seed: 42 } as const;
    expect(patternPages(base)).toEqual(patternPages(base));
    expect(patternPages({ ...base, seed: 43 })).not.toEqual(patternPages(base));
    expect(patternPages(base).every((p) => p >= 0 && p < 5000)).toBe(true);
  });

  it("sends about 80% of hot-cold accesses to the first 20% of the file", () => {
    const pages = patternPages({ pattern: "hot-cold", accesses: 100_000, filePages: 1000, seed: 5 });
    const hot = pages.filter((p) => p < 200).length / pages.length;
    expect(hot).toBeGreaterThan(0.79);
    expect(hot).toBeLessThan(0.81);
  });

  it("visits filePages / gcd(stride, filePages) distinct pages when strided", () => {
    const pages = patternPages({ pattern: "strided", accesses: 1000, filePages: 120, stride: 45 });
    expect(new Set(pages).size).toBe(120 / 15);
    expect(pages.slice(0, 4)).toEqual([0, 45, 90, 15]);
  });

  it("replays the generated stream exactly when given back as a trace", () => {
    const options = { pattern: "hot-cold", accesses: 5000, filePages: 3000, seed: 9 } as const;
    const generated = simulateCache({ ...options, policy: "lru", capacity: 200 });
    const replayed = simulateCache({ policy: "lru", capacity: 200, trace: patternPages(options), filePages: 3000 });
    expect(replayed.hits).toBe(generated.hits);
    expect(replayed.diskRequests).toBe(generated.diskRequests);
  });
});

describe("page cache: readahead", () => {
  it("starts with 4 pages, doubles each window and caps at 32 (128 KiB) on a sequential read", () => {
    const r = simulateCache({ pattern: "sequential", capacity: 1024, accesses: 300, logRequests: true });
    // The file has 300 pages (as many as accesses), so the last window is clipped to 16.
    expect(r.requests!.map((q) => q.pages)).toEqual([4, 8, 16, 32, 32, 32, 32, 32, 32, 32, 32, 16]);
    expect(r.requests!.map((q) => q.firstPage)).toEqual([0, 4, 12, 28, 60, 92, 124, 156, 188, 220, 252, 284]);
    expect(r.misses).toBe(1); // only the very first page waits for the disk
    expect(r.diskSeeks).toBe(1); // every later request starts where the previous ended
  });

  it("reads ahead past the end of the reader's interest but never past the end of the file", () => {
    const r = simulateCache({ pattern: "sequential", capacity: 1024, accesses: 100, filePages: 1000 });
    expect(r.readaheadWasted).toBe(r.readaheadPages - r.readaheadUsed);
    expect(r.readaheadWasted).toBeGreaterThan(0); // pages 100.. were read but nobody came
    const whole = simulateCache({ pattern: "sequential", capacity: 1024, accesses: 100, filePages: 100 });
    expect([whole.readaheadWasted, whole.diskPages]).toEqual([0, 100]);
  });

  it("reads single pages for random misses: no readahead, one request and one seek per miss", () => {
    const r = simulateCache({ pattern: "random", capacity: 64, accesses: 20_000, filePages: 100_000, seed: 3 });
    expect(r.readaheadPages).toBeLessThan(r.misses / 100); // only accidental page+1 / page 0 misses start a window
    expect(r.diskRequests).toBeGreaterThanOrEqual(r.misses); // each miss is a request of its own
    expect(r.diskRequests).toBeLessThan(r.misses * 1.01);
    expect(r.diskPages / r.diskRequests).toBeLessThan(1.05);
  });

  it("turns off when readaheadMax is 0: every disk page is a demanded one", () => {
    const r = simulateCache({ pattern: "sequential", capacity: 256, accesses: 5000, readaheadMax: 0 });
    expect([r.readaheadPages, r.diskPages, r.misses]).toEqual([0, 5000, 5000]);
  });

  it("wastes readahead when windows do not fit: a 4-page cache reading 1000 pages", () => {
    const r = simulateCache({ policy: "lru", pattern: "sequential", capacity: 4, accesses: 1000, readaheadMax: 32 });
    expectConsistent(r);
    expect(r.requests).toBeUndefined();
    expect(r.misses).toBeLessThan(1000); // readahead still helps: the window is clipped to half the cache
  });
});

describe("page cache: curves and sweeps", () => {
  it("samples the cumulative hit ratio at K evenly spaced points, ending at the overall ratio", () => {
    const r = simulateCache({ policy: "lru", pattern: "hot-cold", capacity: 100, accesses: 10_000, filePages: 1000, samples: 8 });
    expect(r.curve!.accesses).toEqual([1250, 2500, 3750, 5000, 6250, 7500, 8750, 10000]);
    expect(r.curve!.hitRatio[7]).toBe(r.hitRatio);
    expect(r.curve!.hitRatio.every((h) => h >= 0 && h <= 1)).toBe(true);
  });

  it("sweeps capacity for every policy over one stream, OPT on top, and hit ratios growing with LRU's cache", () => {
    const points = capacitySweep({ pattern: "hot-cold", accesses: 20_000, filePages: 1000, seed: 4, capacities: [50, 100, 200, 400] });
    expect(points).toHaveLength(16);
    for (const capacity of [50, 100, 200, 400]) {
      const at = (policy: PolicyName) => points.find((p) => p.policy === policy && p.capacity === capacity)!;
      for (const policy of ["lru", "clock", "fifo"] as const) expect(at(policy).hitRatio).toBeLessThanOrEqual(at("opt").hitRatio);
    }
    const lru = points.filter((p) => p.policy === "lru").map((p) => p.hitRatio);
    expect([...lru].sort((a, b) => a - b)).toEqual(lru);
  });
});
