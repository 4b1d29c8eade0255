// Property tests of the model facades: random valid inputs keep the invariants; random bad inputs get a
// RangeError/TypeError that names the argument, never a crash inside WebAssembly or a wrong answer.
import { describe, it, expect } from "vitest";
import fc from "fast-check";
import { modelTransfer, pathSteps } from "../src/model/transfer-model";
import { simulateCache } from "../src/model/page-cache";
import { CacheOptions } from "../src/model/page-cache-input";
import { simulateDisk } from "../src/model/disk";
import { PATHS, POLICIES, PATTERNS } from "../src/model/vocabulary";
import { MAX_RW_COUNT } from "../src/reference/linux";
import { MAX_MODEL_BYTES } from "../src/units/arguments";
import { MiB, GiB } from "../src/units/sizes";

/** Values no size, count or capacity may take. */
const junk = fc.oneof(
  fc.integer({ max: 0 }),
  fc.double({ noInteger: true }),
  fc.constantFrom(Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, 2 ** 60, -0.5),
  fc.string(),
  fc.constantFrom(null, true, {}, [], "4096", 10n as unknown),
);

/** A byte count the transfer model accepts, biased towards the interesting edges. */
const bytesArb = fc.oneof(
  fc.integer({ min: 1, max: 2 ** 32 }),
  fc.constantFrom(1, 4095, 4096, 65_536, MAX_RW_COUNT, MAX_RW_COUNT + 1, MAX_MODEL_BYTES),
  fc.integer({ min: 1, max: MiB }).map((k) => k * 4096),
);

describe("modelTransfer under random input", () => {
  it("keeps every invariant on 3000 random (path, bytes, chunk, pipe) combinations", () => {
    fc.assert(
      fc.property(fc.constantFrom(...PATHS), bytesArb, bytesArb, fc.integer({ min: 4096, max: GiB }), (path, bytes, chunk, pipeSize) => {
        const r = modelTransfer(path, bytes, chunk, { pipeSize });
        const perCall = Math.min(chunk, MAX_RW_COUNT, bytes, path === "splice" ? pipeSize : Infinity);
        expect(r.callBytes).toBe(perCall);
        expect(r.chunks).toBe(Math.ceil(bytes / perCall));
        for (const key of ["cpuCopies", "dmaCopies", "modeSwitches", "syscalls", "cpuBytes", "dmaBytes", "descriptors", "pageFaults"] as const) {
          expect(r[key]).toBeGreaterThanOrEqual(0);
          expect(Number.isInteger(r[key])).toBe(true);
        }
        expect(r.modeSwitches).toBe(2 * r.syscalls);
        expect(r.dmaBytes).toBe(2 * bytes);
        expect(r.nicBytes).toBe(bytes);
        expect(r.cpuBytes).toBe((r.cpuCopies / r.chunks) * bytes);
        if (path === "sendfile-sg" || path === "splice") expect([r.cpuCopies, r.cpuBytes]).toEqual([0, 0]);
        const steps = pathSteps(path);
        expect(r.syscalls).toBe(r.chunks * steps.perChunk.filter((s) => s.kind === "to-kernel").length + steps.setup.length / 2);
      }),
      { numRuns: 3000, seed: 1 },
    );
  });

  it("rejects junk sizes with an error naming bytes or chunk", () => {
    fc.assert(
      fc.property(fc.constantFrom(...PATHS), junk, (path, bad) => {
        expect(() => modelTransfer(path, bad as number)).toThrow(/^bytes must be/);
        expect(() => modelTransfer(path, 4096, bad as number)).toThrow(/^chunk must be/);
        expect(() => modelTransfer(path, 4096, 4096, { pipeSize: bad as number })).toThrow(/^pipeSize must be/);
      }),
      { numRuns: 300, seed: 2 },
    );
  });

  it("rejects any path name it does not know with a TypeError listing the known ones", () => {
    fc.assert(
      fc.property(fc.string().filter((s) => !(PATHS as readonly string[]).includes(s)), (name) => {
        expect(() => modelTransfer(name as never, 4096)).toThrow(TypeError);
        expect(() => pathSteps(name as never)).toThrow(/path must be one of read-write, mmap-write, sendfile/);
      }),
      { numRuns: 200, seed: 3 },
    );
  });
});

describe("simulateCache under random input", () => {
  const valid: fc.Arbitrary<CacheOptions> = fc.record({
    policy: fc.constantFrom(...POLICIES),
    pattern: fc.constantFrom("sequential", "random", "strided", "hot-cold" as const),
    capacity: fc.integer({ min: 1, max: 5000 }),
    accesses: fc.integer({ min: 1, max: 20_000 }),
    filePages: fc.integer({ min: 1, max: 100_000 }),
    stride: fc.integer({ min: 1, max: 1000 }),
    seed: fc.integer({ min: 0, max: 2 ** 32 - 1 }),
    readaheadMax: fc.integer({ min: 0, max: 512 }),
  }).map((o) => ({ ...o, readaheadMax: o.policy === "opt" ? 0 : o.readaheadMax }));

  it("keeps hits + misses = accesses and the readahead books balanced on 300 random runs", () => {
    fc.assert(
      fc.property(valid, (options) => {
        const r = simulateCache(options);
        expect(r.hits + r.misses).toBe(options.accesses);
        expect(r.readaheadUsed + r.readaheadWasted).toBe(r.readaheadPages);
        expect(r.diskPages).toBe(r.misses + r.readaheadPages);
        expect(r.resident).toBeLessThanOrEqual(options.capacity);
        expect(r.evictions).toBeGreaterThanOrEqual(0);
        expect(r.hitRatio).toBeGreaterThanOrEqual(0);
        expect(r.hitRatio).toBeLessThanOrEqual(1);
      }),
      { numRuns: 300, seed: 4 },
    );
  });

  const fields = ["capacity", "accesses", "filePages", "stride", "readaheadMax", "samples"] as const;
  it("rejects junk in any numeric option with an error naming it", () => {
    fc.assert(
      fc.property(fc.constantFrom(...fields), junk, (field, bad) => {
        const options = { policy: "lru", pattern: "random", capacity: 16, accesses: 100, [field]: bad } as CacheOptions;
        if (field === "filePages" || field === "stride" || field === "readaheadMax" || field === "samples") {
          // These accept 0 or have a default only when absent; a present junk value is still an error.
          if (bad === 0 && (field === "readaheadMax" || field === "samples")) return;
        }
        expect(() => simulateCache(options)).toThrow(new RegExp(`^${field}`));
      }),
      { numRuns: 400, seed: 5 },
    );
  });

  it("rejects unknown policy and pattern names, and traces that are not page numbers", () => {
    expect(() => simulateCache({ policy: "arc" as never, capacity: 4, accesses: 10 })).toThrow(/policy must be one of lru, clock, fifo, opt/);
    expect(() => simulateCache({ pattern: "zipf" as never, capacity: 4, accesses: 10 })).toThrow(/pattern must be one of sequential, random, strided, hot-cold, trace/);
    expect(() => simulateCache({ capacity: 4, trace: [1, 2, -3] })).toThrow(/trace\[2\] must be a whole page number/);
    expect(() => simulateCache({ capacity: 4, trace: [1, 2.5] })).toThrow(/trace\[1\]/);
    expect(() => simulateCache({ capacity: 4, trace: [] })).toThrow(/trace length must be a whole number from 1/);
    expect(() => simulateCache({ capacity: 4, pattern: "trace" })).toThrow(/trace must be given/);
    expect(() => simulateCache({ capacity: 4, pattern: "random", accesses: 5, trace: [1] })).toThrow(/trace is only used with pattern "trace"/);
    expect(() => simulateCache({ capacity: 4, trace: [0, 9], filePages: 5 })).toThrow(/filePages must be a whole number from 10/);
    expect(() => simulateCache({ capacity: 4 } as CacheOptions)).toThrow(/accesses must be given/);
    expect(() => simulateCache({ policy: "opt", capacity: 4, accesses: 10, readaheadMax: 8 })).toThrow(/readaheadMax must be 0 with policy opt/);
    expect(() => simulateCache({ capacity: 4, accesses: 10, readaheadMax: 8, readaheadInit: 9 })).toThrow(/readaheadInit \(pages\) must be a whole number from 1 to 8/);
    expect(() => simulateCache({ policy: "opt", capacity: 4, accesses: 2 ** 26 })).toThrow(/accesses must be a whole number from 1 to 33554432/);
    expect(() => simulateCache({ capacity: 4, accesses: 10, seed: 2 ** 32 })).toThrow(/seed must be a whole number from 0 to 4294967295/);
    expect(() => simulateCache({ capacity: 4, accesses: 10, logEvents: "yes" as never })).toThrow(/logEvents must be true or false/);
    expect(() => simulateCache({ capacity: 4, accesses: 2 ** 22, logEvents: true })).toThrow(/accesses must be at most 2097152 with logEvents/);
    expect(() => simulateCache(null as never)).toThrow(TypeError);
    for (const pattern of PATTERNS) expect(pattern.length).toBeGreaterThan(0);
  });
});

describe("simulateDisk under random input", () => {
  it("serves random request lists on every disk and policy with consistent totals", () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ firstPage: fc.integer({ min: 0, max: 200_000_000 }), pages: fc.integer({ min: 1, max: 64 }) }), { minLength: 1, maxLength: 200 }),
        fc.constantFrom("hdd", "sata-ssd", "nvme" as const),
        fc.constantFrom("fifo", "sstf", "satf" as const),
        fc.integer({ min: 0, max: 16 }),
        (requests, disk, policy, window) => {
          const run = simulateDisk(disk, requests, { policy, window });
          expect(run.served!.length).toBe(requests.length);
          expect(run.bytes).toBe(requests.reduce((a, r) => a + r.pages * 4096, 0));
          expect(run.totalSeconds).toBeCloseTo(run.overheadSeconds + run.seekSeconds + run.rotateSeconds + run.transferSeconds, 9);
          expect(Math.min(run.seekSeconds, run.rotateSeconds, run.overheadSeconds)).toBeGreaterThanOrEqual(0);
        },
      ),
      { numRuns: 200, seed: 8 },
    );
  });
});
