// `workbook cache`: the page-cache simulator on the command line; JSON and text, one-line errors with exit 2.
import { describe, it, expect } from "vitest";
import { spawnSync } from "child_process";
import * as path from "path";
import { main } from "../src/cli/main";
import { simulateCache } from "../src/model/page-cache";
import { simulateColdRead } from "../src/model/cold-read";
import { GiB } from "../src/units/sizes";

const BIN = path.resolve(__dirname, "..", "src", "cli", "workbook.cjs");

/** Runs `workbook <args>` in this process and captures what it prints. */
async function workbook(...args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(args, { out: (t) => out.push(t), err: (t) => err.push(t), isTTY: false });
  return { code, stdout: out.join("\n"), stderr: err.join("\n") };
}

describe("workbook cache", () => {
  it("prints the simulator's record as JSON, the same as the facade returns", async () => {
    const r = await workbook("cache", "--policy", "clock", "--pattern", "random", "--accesses", "20000", "--capacity", "512", "--file-pages", "4000", "--seed", "7", "--json");
    expect(r.code).toBe(0);
    const record = JSON.parse(r.stdout);
    expect(record).toEqual(simulateCache({ policy: "clock", pattern: "random", accesses: 20_000, capacity: 512, filePages: 4000, seed: 7 }));
    expect(record.hits + record.misses).toBe(20_000);
  });

  it("takes --readahead as a size and --stride in pages", async () => {
    const r = await workbook("cache", "--pattern", "strided", "--stride", "3", "--accesses", "900", "--capacity", "64", "--readahead", "64KiB", "--json");
    const record = JSON.parse(r.stdout);
    expect([record.stride, record.readaheadMax, record.readaheadInit]).toEqual([3, 16, 4]);
  });

  it("times the disk requests with --disk", async () => {
    const r = await workbook("cache", "--pattern", "sequential", "--accesses", "50000", "--capacity", "4096", "--disk", "hdd", "--json");
    const record = JSON.parse(r.stdout);
    expect(record.disk).toMatchObject({ disk: "hdd", policy: "fifo", requests: record.diskRequests, bytes: record.diskPages * 4096 });
    expect(record.diskSeconds).toBe(record.disk.totalSeconds);
  });

  it("explains the counters in text", async () => {
    const r = await workbook("cache", "--policy", "opt", "--pattern", "hot-cold", "--accesses", "5000", "--capacity", "100", "--disk", "nvme");
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^opt, hot-cold: 5000 accesses over a 5000-page file \(19\.5 MiB\), cache of 100 pages \(400 KiB\), no readahead/);
    expect(r.stdout).toMatch(/hits +\d+ +\(\d+\.\d{3}%\)/);
    expect(r.stdout).toMatch(/disk time +[\d.]+ s on nvme/);
  });

  for (const [args, message] of [
    [["--accesses", "10"], /--capacity is required/],
    [["--capacity", "10"], /--accesses is required/],
    [["--policy", "random", "--accesses", "10", "--capacity", "4"], /--policy must be one of lru, clock, fifo, opt/],
    [["--pattern", "trace", "--accesses", "10", "--capacity", "4"], /--pattern must be one of sequential, random, strided, hot-cold/],
    [["--accesses", "1.5", "--capacity", "4"], /--accesses must be a whole number/],
    [["--accesses", "10", "--capacity", "0"], /--capacity must be a whole number from 1 to 4194304/],
    [["--accesses", "10", "--capacity", "4", "--readahead", "1000"], /--readahead must be a multiple of 4 KiB/],
    [["--policy", "opt", "--accesses", "10", "--capacity", "4", "--readahead", "128KiB"], /--readahead must be 0 with --policy opt/],
    [["--accesses", "10", "--capacity", "4", "--seed", "-1"], /--seed must be a whole number from 0 to 4294967295/],
    [["--accesses", "10", "--capacity", "4", "--disk", "floppy"], /--disk must be one of hdd, sata-ssd, nvme/],
  ] as const) {
    it(`rejects ${args.join(" ")} with one line and exit code 2`, async () => {
      const r = await workbook("cache", ...args);
      expect(r.code).toBe(2);
      expect(r.stderr.split("\n")).toHaveLength(1);
      expect(r.stderr).toMatch(message);
      expect(r.stdout).toBe("");
    });
  }

  it("checks --accesses against what the run can hold before allocating anything, saying why in one line", () => {
    // Accepted, the first would simulate for half a minute in gigabytes of memory before the disk model refused its
    // requests, and the second would run for minutes with no output: the real executable, with a timeout, shows neither starts.
    const cases: Array<[string[], RegExp]> = [
      [["--disk", "hdd", "--accesses", "33554432", "--capacity", "1024"], /^workbook cache: --accesses must be a whole number from 1 to 16777216, got "33554432": with --disk every access may become a disk request, and the disk model serves at most 16777216\n$/],
      [["--accesses", "2147483647", "--capacity", "1024"], /^workbook cache: --accesses must be a whole number from 1 to 134217728, got "2147483647": the simulation is one call that shows no progress/],
      [["--policy", "opt", "--accesses", "33554433", "--capacity", "1024"], /^workbook cache: --accesses must be a whole number from 1 to 33554432, got "33554433": OPT keeps the whole access stream in memory/],
    ];
    for (const [args, message] of cases) {
      const r = spawnSync(process.execPath, [BIN, "cache", ...args], { encoding: "utf8", timeout: 20_000 });
      expect(r.signal, `cache ${args.join(" ")} was still running after 20 s`).toBeNull();
      expect(r.stderr).toMatch(message);
      expect(r.stdout).toBe("");
      expect(r.status).toBe(2);
    }
  });

  it("a cold read the disk model cannot serve fails before the cache is simulated (the facade's own check)", () => {
    // Random over a huge file with one page of cache: every access misses, so requests = accesses = 2^24 + 1.
    expect(() => simulateColdRead({ pattern: "random", accesses: 2 ** 24 + 1, capacity: 1, filePages: GiB, readaheadMax: 0, disk: "nvme" })).toThrow(
      /^accesses must be at most 16777216 for a cold read \(each may become a disk request, and the disk model serves at most 16777216\), got 16777217$/,
    );
  });

  it("runs from the real executable", () => {
    const r = spawnSync(process.execPath, [BIN, "cache", "--accesses", "1000", "--capacity", "100", "--json"], { encoding: "utf8" });
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ policy: "lru", pattern: "sequential", accesses: 1000, misses: 1 });
    const bad = spawnSync(process.execPath, [BIN, "cache", "--accesses", "ten", "--capacity", "100"], { encoding: "utf8" });
    expect(bad.status).toBe(2);
    expect(bad.stderr.trim().split("\n")).toHaveLength(1);
  });

  describe("the exercise mode (--trace), as in OSTEP's paging-policy homework", () => {
    // Worked by hand with each policy's rule, cache of 3 pages, trace 0,1,2,0,3,0,4:
    // LRU: 0 1 2 miss; 0 hit; 3 evicts 1 (least recent); 0 hit; 4 evicts 2 -> 2 hits, 5 misses, [3, 0, 4] by recency.
    // FIFO: 0 1 2 miss; 0 hit; 3 evicts 0 (first in); 0 misses and evicts 1; 4 evicts 2 -> 1 hit, 6 misses.
    it("with --compute, --json gives one row per access: page, hit, evicted, cache after, running counts", async () => {
      const lru = JSON.parse((await workbook("cache", "--policy", "lru", "--capacity", "3", "--trace", "0,1,2,0,3,0,4", "--compute", "--json")).stdout);
      expect(lru.map((r: { hit: boolean }) => (r.hit ? "hit" : "miss"))).toEqual(["miss", "miss", "miss", "hit", "miss", "hit", "miss"]);
      expect(lru.map((r: { evicted: number | null }) => r.evicted)).toEqual([null, null, null, null, 1, null, 2]);
      expect(lru[3].cache).toEqual([1, 2, 0]);
      expect(lru[6]).toEqual({ access: 7, page: 4, hit: false, evicted: 2, cache: [3, 0, 4], hits: 2, misses: 5 });
      const fifo = JSON.parse((await workbook("cache", "--policy", "fifo", "--capacity", "3", "--trace", "0,1,2,0,3,0,4", "--compute", "--json")).stdout);
      expect(fifo.map((r: { evicted: number | null }) => r.evicted)).toEqual([null, null, null, null, 0, 1, 2]);
      expect(fifo[6]).toMatchObject({ cache: [3, 0, 4], hits: 1, misses: 6 });
    });

    it("without --compute, prints the accesses only, so the student works the answer out first", async () => {
      const r = await workbook("cache", "--policy", "lru", "--capacity", "3", "--trace", "0,1,2,0,3,0,4");
      expect(r.code).toBe(0);
      const lines = r.stdout.split("\n");
      expect(lines).toHaveLength(9);
      expect(lines[1]).toBe("access   1: page 0   hit or miss? evicted? cache after?");
      expect(r.stdout).not.toMatch(/\bhits? \d|misses \d|cache \[/);
      expect(JSON.parse((await workbook("cache", "--capacity", "2", "--trace", "5,6", "--json")).stdout)).toEqual([{ access: 1, page: 5 }, { access: 2, page: 6 }]);
      const answers = await workbook("cache", "--policy", "lru", "--capacity", "3", "--trace", "0,1,2,0,3,0,4", "--compute");
      expect(answers.stdout.split("\n")[7]).toBe("access   7: page 4  miss  evicted 2  cache [3, 0, 4]  hits 2, misses 5");
    });

    it("every decision comes from the kernel: its hit and miss counts equal the simulator's for the same trace", async () => {
      const trace = [7, 3, 7, 1, 9, 3, 3, 8, 1, 7, 2, 9, 4, 7];
      for (const policy of ["lru", "clock", "fifo", "opt"] as const) {
        const rows = JSON.parse((await workbook("cache", "--policy", policy, "--capacity", "4", "--trace", trace.join(","), "--compute", "--json")).stdout);
        const run = simulateCache({ policy, capacity: 4, trace, readaheadMax: 0 });
        expect([rows.at(-1).hits, rows.at(-1).misses], policy).toEqual([run.hits, run.misses]);
        for (const row of rows) expect(new Set(row.cache).size, `${policy}: no page twice`).toBe(row.cache.length);
        expect(Math.max(...rows.map((r: { cache: number[] }) => r.cache.length))).toBe(4);
      }
    });

    for (const [args, message] of [
      [["--capacity", "3", "--trace", "0,1,x"], /^workbook cache: --trace must list page numbers from 0 to \d+ separated by commas, like 0,1,2,0,3; got "x"$/],
      [["--trace", "0,1"], /^workbook cache: --capacity is required/],
      [["--capacity", "3", "--trace", "0,1", "--pattern", "random"], /^workbook cache: --trace is the exercise mode .*: leave out --pattern$/],
      [["--capacity", "3", "--compute"], /^workbook cache: --compute goes with --trace/],
    ] as const) {
      it(`refuses ${args.join(" ")} in one line, exit 2`, async () => {
        const r = await workbook("cache", ...args);
        expect(r.code).toBe(2);
        expect(r.stderr).toMatch(message);
        expect(r.stdout).toBe("");
      });
    }
  });
});
