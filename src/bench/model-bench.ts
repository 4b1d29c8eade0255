// npm run bench:model: how fast is the model? The page-cache kernel in WebAssembly (release build) against
// its plain-TypeScript twin on 10M page accesses, and the time to model a 1 GiB transfer on every path.
// Targets: WebAssembly at least 2x its twin; all paths for 1 GiB in under 10 ms.
// A benchmark, not a test: medians with min-max over several interleaved runs, conditions recorded.
//
// usage: npm run bench:model -- [--accesses 10000000] [--runs 7] [--max-load 1.5] [--quick] [--out file.json]
import * as os from "os";
import * as path from "path";
import * as v8 from "v8";
import { parseArgs } from "util";
import { machineConditions, MachineConditions } from "../experiments/conditions";
import { loadModel } from "../model/wasm";
import { normalizeCacheOptions, CacheRunInput, CacheOptions } from "../model/page-cache-input";
import { runPageCacheWasm } from "../model/page-cache";
import { runPageCacheTwin } from "../model/page-cache-twin";
import { modelTransfer } from "../model/transfer-model";
import { predictTransfer, LOOPBACK_PATHS, TEXTBOOK_MACHINE } from "../model/cost";
import { PATHS } from "../model/vocabulary";
import { GiB } from "../units/sizes";
import { median } from "../statistics/spread";
import { repoRoot } from "../repo-root";
import { writeJsonFile } from "../files/write-file";

/** Median, extremes and count of a list of timings, milliseconds. */
export interface Summary {
  medianMs: number;
  minMs: number;
  maxMs: number;
  n: number;
}

/** One page-cache case: the same input through both kernels. */
interface CacheCase {
  name: string;
  options: CacheOptions;
  /** Wall-clock time per run. */
  wasm: Summary;
  twin: Summary;
  /** twin median / WebAssembly median, wall clock. */
  speedup: number;
  /** CPU time (user + system) of this process per run: less disturbed by other jobs on shared cores. */
  wasmCpu: Summary;
  twinCpu: Summary;
  /** twin median / WebAssembly median, CPU time. */
  cpuSpeedup: number;
  hits: number;
  misses: number;
}

/** What the benchmark writes to results/model-bench.json. */
export interface ModelBenchResult {
  kind: "model-bench";
  conditions: MachineConditions & { runs: number; wasm: "release, TurboFan up front"; loadWaitedSeconds: number; loadAverageEnd: number[] };
  cache: CacheCase[];
  transfer: { bytes: number; chunk: number; paths: number; counts: Summary; /** predictTransfer on every loopback path, from the textbook machine. */ predictions: Summary };
}

/** Median and range of `values` (ms). */
function summarize(values: number[]): Summary {
  return { medianMs: round(median(values)), minMs: round(Math.min(...values)), maxMs: round(Math.max(...values)), n: values.length };
}

/** Rounds to 3 decimals, for the JSON. */
const round = (x: number) => Math.round(x * 1000) / 1000;

/** Milliseconds `f` takes. */
function time(f: () => unknown): number {
  const start = process.hrtime.bigint();
  f();
  return Number(process.hrtime.bigint() - start) / 1e6;
}

/** Wall-clock and CPU milliseconds `f` takes (the process is single-threaded, so CPU time is its own). */
function timeBoth(f: () => unknown): { wall: number; cpu: number } {
  const cpu = process.cpuUsage();
  const wall = time(f);
  const used = process.cpuUsage(cpu);
  return { wall, cpu: (used.user + used.system) / 1000 };
}

/** Waits while the 1-minute load average is above `maxLoad` (cores are shared); returns seconds waited. */
async function waitForQuiet(maxLoad: number, log: (s: string) => void): Promise<number> {
  const start = Date.now();
  for (let tries = 0; os.loadavg()[0] > maxLoad && tries < 20; tries++) {
    log(`load average ${os.loadavg()[0].toFixed(2)} > ${maxLoad}: waiting 15 s (${tries + 1}/20)`);
    await new Promise((r) => setTimeout(r, 15_000));
  }
  if (os.loadavg()[0] > maxLoad) log(`load still ${os.loadavg()[0].toFixed(2)}: measuring anyway, figures will be noisier`);
  return Math.round((Date.now() - start) / 1000);
}

/** Runs one input through both kernels, alternating, after two warm-up runs each; checks they agree every time. */
function benchCache(name: string, options: CacheOptions, runs: number, log: (s: string) => void): CacheCase {
  const input: CacheRunInput = normalizeCacheOptions(options);
  const reference = JSON.stringify(runPageCacheWasm(input).counters);
  for (let warm = 0; warm < 2; warm++) {
    // The twin's JIT needs its own warm-up; it must agree with the kernel every time.
    if (JSON.stringify(runPageCacheTwin(input).counters) !== reference) throw new Error(`${name}: WebAssembly and twin disagree`);
  }
  runPageCacheWasm(input);
  const wall = { wasm: [] as number[], twin: [] as number[] };
  const cpu = { wasm: [] as number[], twin: [] as number[] };
  for (let i = 0; i < runs; i++) {
    // Alternate the order so drifting load hurts both kernels alike.
    const pair = i % 2 === 0 ? (["wasm", "twin"] as const) : (["twin", "wasm"] as const);
    for (const which of pair) {
      let counters = "";
      const t = timeBoth(() => {
        counters = JSON.stringify((which === "wasm" ? runPageCacheWasm(input) : runPageCacheTwin(input)).counters);
      });
      if (counters !== reference) throw new Error(`${name}: ${which} gave different counters on run ${i + 1}`);
      wall[which].push(t.wall);
      cpu[which].push(t.cpu);
    }
  }
  const counters = JSON.parse(reference) as { hits: number; misses: number };
  const result: CacheCase = {
    name, options,
    wasm: summarize(wall.wasm), twin: summarize(wall.twin), speedup: 0,
    wasmCpu: summarize(cpu.wasm), twinCpu: summarize(cpu.twin), cpuSpeedup: 0,
    hits: counters.hits, misses: counters.misses,
  };
  result.speedup = round(result.twin.medianMs / result.wasm.medianMs);
  result.cpuSpeedup = round(result.twinCpu.medianMs / result.wasmCpu.medianMs);
  log(`${name.padEnd(24)} wall: wasm ${fmt(result.wasm)} twin ${fmt(result.twin)} x${result.speedup.toFixed(2)}` +
    `   cpu: wasm ${fmt(result.wasmCpu)} twin ${fmt(result.twinCpu)} x${result.cpuSpeedup.toFixed(2)}`);
  return result;
}

/** "123 ms (120-130)": median and range. */
const fmt = (s: Summary) => `${s.medianMs.toFixed(0).padStart(5)} ms (${s.minMs.toFixed(0)}-${s.maxMs.toFixed(0)})`;

/** Times modelling 1 GiB in 4 KiB calls: the data path's counters on every path, and the cost model's prediction on every loopback path. */
function benchTransfer(runs: number): ModelBenchResult["transfer"] {
  const bytes = GiB;
  const chunk = 4096;
  const counts: number[] = [];
  const both: number[] = [];
  for (let i = 0; i < Math.max(runs, 1) * 15; i++) {
    counts.push(time(() => PATHS.forEach((p) => modelTransfer(p, bytes, chunk))));
    both.push(time(() => LOOPBACK_PATHS.forEach((p) => predictTransfer(TEXTBOOK_MACHINE.parameters, p, bytes, { chunk }))));
  }
  return { bytes, chunk, paths: PATHS.length, counts: summarize(counts), predictions: summarize(both) };
}

/** Runs the benchmark, prints a table and writes the JSON; `npm run bench:model` calls it. */
async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      accesses: { type: "string" },
      runs: { type: "string" },
      "max-load": { type: "string" },
      quick: { type: "boolean" },
      out: { type: "string" },
    },
  });
  const log = (s: string) => process.stdout.write(s + "\n");
  const quick = values.quick ?? false;
  const accesses = Number(values.accesses ?? (quick ? 1_000_000 : 10_000_000));
  const runs = Number(values.runs ?? (quick ? 3 : 7));
  const maxLoad = Number(values["max-load"] ?? 1.5);
  if (!Number.isInteger(accesses) || accesses < 1000 || !Number.isInteger(runs) || runs < 1 || !(maxLoad > 0)) {
    throw new RangeError("--accesses must be a whole number >= 1000, --runs >= 1, --max-load > 0");
  }
  // The speed target is about the optimised build; tests run the checked debug build instead.
  process.env.WORKBOOK_WASM = "release";
  // V8 first runs WebAssembly through its baseline compiler (Liftoff) and swaps in optimised TurboFan
  // code only at the next call of a function: there is no on-stack replacement for WebAssembly, and the
  // background compile lags on busy cores. Compile with TurboFan up front, so every run times the
  // steady state (the twin's JavaScript reaches its steady state through warm-up runs and OSR).
  v8.setFlagsFromString("--no-liftoff");
  loadModel("release");
  const loadWaitedSeconds = await waitForQuiet(maxLoad, log);
  const machine = machineConditions();
  log(`model bench: ${accesses} page accesses, capacity 65536 pages, ${runs} runs each after 2 warm-ups (medians, min-max), ` +
    `WebAssembly release build compiled by TurboFan up front`);
  log(`load ${machine.loadAverage.join(" ")}; ${machine.cpuCount} CPUs (${machine.cpuModel}); ${machine.kernel}; Node ${machine.nodeVersion}`);
  const capacity = 65_536;
  const cache: CacheCase[] = [];
  for (const policy of ["lru", "clock", "fifo", "opt"] as const) {
    // Sequential: one pass over a file of `accesses` pages (readahead on, except for OPT).
    cache.push(benchCache(`${policy} sequential`, { policy, pattern: "sequential", capacity, accesses }, runs, log));
    // Random: uniform over a 1 GiB file (262,144 pages), four times the cache.
    cache.push(benchCache(`${policy} random 1 GiB file`, { policy, pattern: "random", capacity, accesses, filePages: 262_144, seed: 1 }, runs, log));
  }
  const transfer = benchTransfer(runs);
  log(`1 GiB in 4 KiB calls, all ${transfer.paths} paths: counters ${transfer.counts.medianMs.toFixed(3)} ms ` +
    `(${transfer.counts.minMs.toFixed(3)}-${transfer.counts.maxMs.toFixed(3)}, n=${transfer.counts.n}); ` +
    `cost-model predictions on ${LOOPBACK_PATHS.length} loopback paths ${transfer.predictions.medianMs.toFixed(3)} ms (${transfer.predictions.minMs.toFixed(3)}-${transfer.predictions.maxMs.toFixed(3)})`);
  const result: ModelBenchResult = {
    kind: "model-bench",
    conditions: { ...machine, runs, wasm: "release, TurboFan up front", loadWaitedSeconds, loadAverageEnd: machineConditions().loadAverage },
    cache,
    transfer,
  };
  const slowest = Math.min(...cache.map((c) => c.speedup));
  const slowestCpu = Math.min(...cache.map((c) => c.cpuSpeedup));
  log(`targets: WebAssembly >= 2x twin: ${slowest >= 2 ? "met" : "NOT met"} on wall-clock medians (lowest x${slowest.toFixed(2)}), ` +
    `${slowestCpu >= 2 ? "met" : "NOT met"} on CPU-time medians (lowest x${slowestCpu.toFixed(2)}); ` +
    `1 GiB on all paths < 10 ms: ${transfer.predictions.medianMs < 10 ? "met" : "NOT met"}`);
  log(`load at end ${result.conditions.loadAverageEnd.join(" ")}`);
  const out = values.out ?? path.join(repoRoot, "results", "model-bench.json");
  writeJsonFile(out, result);
  log(`saved ${path.relative(process.cwd(), out)}`);
}

main().catch((error) => {
  process.stderr.write(`bench:model: ${(error as Error).message}\n`);
  process.exitCode = 1;
});
