// Measuring the machine profile: one micro-benchmark per parameter of the cost model (src/model/cost/), none of
// them a transfer path of the experiment it will predict. About 15 s in full, 5 s quick. Called by
// `workbook calibrate`, `workbook predict` (when there is no profile yet) and the notebooks.
//
//   copy, page fault, CRC-32                   short loops in this process, in CPU seconds (cpu-timed-loops.ts)
//   system call                                a C loop of 1-byte reads, in CPU seconds (syscall-loop.c)
//   disk                                       cold reads, in wall seconds: the device's time (disk-throughput.ts)
//   JavaScript per chunk, heap growth          new processes reading a cached file without a socket (js-loop-cost.ts)
//   loopback TCP                               a C sender pushing memory to the experiment's receiver (loopback-tcp-cost.ts)
//   socket send buffer, pipe size              read from /proc (system-buffers.ts)
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { requireNative } from "../native/addon";
import { machineConditions } from "../experiments/conditions";
import { makeScratchDir } from "../cleanup/scratch-dir";
import { prepareCache } from "../experiments/cache-state";
import { summarize } from "../statistics/spread";
import { measureCopy, measureChecksum, measurePageFault } from "./cpu-timed-loops";
import { measureSequentialRead, measureRandomRead } from "./disk-throughput";
import { startBackgroundMeter } from "./background-load";
import { measureJsLoop, steadyCpuPerChunk, heapGrowth, JsLoopRun } from "./js-loop-cost";
import { measureLoopbackCost, summarizeLoopbackCost, LoopbackCostRun } from "./loopback-tcp-cost";
import { compileBenchmark, runBenchmark } from "./c-benchmark";
import { readSystemBuffers } from "./system-buffers";
import { BenchmarkResult, BenchmarkName, MachineProfile, ProfilePlan, PROFILE_MODEL_VERSION, BENCHMARK_NAMES, deriveParameters, LOOPBACK_LARGE_WRITE, LOOPBACK_SMALL_WRITE, SMALL_CHUNK } from "./profile-record";
import { writeDataFile } from "../experiments/data-file";
import { KiB, MiB, formatBytes } from "../units/sizes";


/** About 5 s on two cores: for tests, CI and `--quick`. */
export const QUICK_PROFILE: ProfilePlan = {
  name: "quick", copyBytes: 16 * MiB, fileBytes: 64 * MiB, chunk: 64 * KiB, syscalls: 50_000, runs: 5,
  jsPasses: 3, jsProcesses: 2, loopbackBytes: 64 * MiB, loopbackRuns: 3, randomReads: 200,
};

/** About 15 s: the profile the workbook draws from. */
export const FULL_PROFILE: ProfilePlan = {
  name: "full", copyBytes: 64 * MiB, fileBytes: 64 * MiB, chunk: 64 * KiB, syscalls: 300_000, runs: 7,
  jsPasses: 6, jsProcesses: 3, loopbackBytes: 256 * MiB, loopbackRuns: 7, randomReads: 1000,
};

/** What to run. */
export interface ProfileOptions {
  quick?: boolean;
  /** Parent of the scratch directory (default os.tmpdir()). */
  dir?: string;
  /** Called before each micro-benchmark with its name. */
  onProgress?: (step: string) => void;
}

/** A benchmark result from raw values. */
function result(unit: string, values: readonly number[], method: string): BenchmarkResult {
  const s = summarize(values);
  return { unit, median: s.median, min: s.min, max: s.max, n: s.n, method };
}

/** The loopback benchmarks the profile keeps: each side per byte of the paced copy and the borrow runs, and the
 *  send-call cost paired round by round (the unpaced copy runs serve only that difference). */
export function loopbackBenchmarks(runs: readonly LoopbackCostRun[]): Pick<Record<BenchmarkName, BenchmarkResult>, LoopbackBenchmark> {
  const summaries = summarizeLoopbackCost(runs);
  const side = (variant: "copy-1MiB-paced" | "borrow-1MiB-paced", which: "sender" | "receiver"): BenchmarkResult => {
    const s = summaries.find((x) => x.variant === variant)!;
    const spread = which === "sender" ? s.senderSecondsPerByte : s.receiverSecondsPerByte;
    const bytes = runs.find((r) => r.variant === variant)!.bytes;
    return { unit: "s/byte", ...spread, method: `${which} CPU per byte; ${formatBytes(bytes)} per run from a C sender (${variant}) to the transfer experiment's receiver over 127.0.0.1, median of ${spread.n}` };
  };
  // per byte x(w) = a + c / w, so c = (x(small) - x(large)) / (1/small - 1/large), paired within each round
  const large = runs.filter((r) => r.variant === "copy-1MiB");
  const small = runs.filter((r) => r.variant === "copy-32KiB");
  const rounds = Math.min(large.length, small.length);
  const perCall = Array.from({ length: rounds }, (_, i) => {
    const x = (r: LoopbackCostRun) => r.senderCpuSeconds / r.bytes;
    return (x(small[i]) - x(large[i])) / (1 / LOOPBACK_SMALL_WRITE - 1 / LOOPBACK_LARGE_WRITE);
  });
  return {
    "loopback-copy-1MiB-paced-sender": side("copy-1MiB-paced", "sender"),
    "loopback-copy-1MiB-paced-receiver": side("copy-1MiB-paced", "receiver"),
    "loopback-borrow-1MiB-paced-sender": side("borrow-1MiB-paced", "sender"),
    "loopback-borrow-1MiB-paced-receiver": side("borrow-1MiB-paced", "receiver"),
    "loopback-send-call": result("s/call", perCall, `sender CPU per write(2): 32 KiB against 1 MiB writes of the same bytes, unpaced, paired by round, median of ${rounds} (system call included)`),
  };
}
type LoopbackBenchmark = "loopback-copy-1MiB-paced-sender" | "loopback-copy-1MiB-paced-receiver" | "loopback-borrow-1MiB-paced-sender" | "loopback-borrow-1MiB-paced-receiver" | "loopback-send-call";

/** Runs one JS loop in `processes` new processes, one after another. */
async function jsLoopRuns(mode: "read-write" | "stream", file: string, plan: ProfilePlan, chunk = plan.chunk): Promise<JsLoopRun[]> {
  const runs: JsLoopRun[] = [];
  for (let i = 0; i < plan.jsProcesses; i++) runs.push(await measureJsLoop(mode, file, plan.fileBytes, chunk, plan.jsPasses));
  return runs;
}

/** Runs every micro-benchmark, derives the parameters, and returns the profile (not saved: see profile-file.ts). */
export async function measureProfile(options: ProfileOptions = {}): Promise<MachineProfile> {
  const plan = options.quick ? QUICK_PROFILE : FULL_PROFILE;
  requireNative(); // fadvise and mincore for the disk benchmarks, and the experiment's receiver: one clear error now
  const machine = machineConditions();
  const started = Date.now();
  const meter = startBackgroundMeter();
  const step = (name: string) => options.onProgress?.(name);
  const scratch = makeScratchDir("profile", 2 * plan.fileBytes + LOOPBACK_BLOCK_SPARE, options.dir);
  const benchmarks: Partial<Record<BenchmarkName, BenchmarkResult>> = {};
  try {
    step("system buffers");
    const buffers = readSystemBuffers();
    benchmarks["socket-send-buffer"] = result("bytes", [buffers.socketSendBufferBytes], "tcp_wmem max, read from /proc/sys/net/ipv4/tcp_wmem");
    benchmarks["pipe"] = result("bytes", [buffers.pipeBytes], "min(1 MiB, /proc/sys/fs/pipe-max-size): the pipe the addon's splice loop gets");

    step("system call");
    const syscallLoop = compileBenchmark("syscall-loop", scratch.dir);
    const perCall = (await runBenchmark(syscallLoop, [String(plan.syscalls), String(plan.runs)], 60_000)).secondsPerCall as number[];
    benchmarks["syscall"] = result("s/call", perCall, `CPU time per 1-byte read(2) of /dev/zero from C, ${plan.syscalls} calls per run, median of ${plan.runs}`);
    step("page fault");
    benchmarks["page-fault"] = measurePageFault(FAULT_BYTES, plan.runs);
    step("checksum");
    benchmarks["checksum"] = measureChecksum(plan.copyBytes, plan.chunk, plan.runs);

    step("disk");
    const disk = await writeDataFile(path.join(scratch.dir, "disk.bin"), plan.fileBytes);
    const diskFd = fs.openSync(disk.path, "r");
    try {
      benchmarks["disk-sequential"] = measureSequentialRead(diskFd, disk.bytes, Math.min(plan.runs, 5));
      benchmarks["disk-random-4k"] = measureRandomRead(diskFd, disk.bytes, plan.randomReads, Math.min(plan.runs, 5));
    } finally {
      fs.closeSync(diskFd);
    }
    fs.rmSync(disk.path, { force: true });

    // A file as the experiment makes its data file (written once, never dropped): cached, read by copy and JS loops.
    const file = await writeDataFile(path.join(scratch.dir, "cached.bin"), plan.fileBytes);
    const fd = fs.openSync(file.path, "r");
    try {
      step("memory copy");
      prepareCache(fd, "warm");
      benchmarks["copy"] = measureCopy(fd, plan.fileBytes, plan.chunk, plan.runs);
      step("JavaScript loops");
      prepareCache(fd, "warm");
      const readWrite = await jsLoopRuns("read-write", file.path, plan);
      prepareCache(fd, "warm");
      const small = await jsLoopRuns("read-write", file.path, plan, SMALL_CHUNK);
      prepareCache(fd, "warm");
      const stream = await jsLoopRuns("stream", file.path, plan);
      const where = `${plan.jsProcesses} new processes, ${plan.jsPasses} passes each over a cached ${formatBytes(plan.fileBytes)} file in ${formatBytes(plan.chunk)} chunks`;
      const sink = "a Writable that drops every chunk (Node's default high-water mark)";
      benchmarks["read-write-chunk-cpu"] = { unit: "s/chunk", ...steadyCpuPerChunk(readWrite), method: `CPU per chunk of fs.readSync into a fresh Buffer written to ${sink}, every pass after the first; ${where}` };
      benchmarks["read-write-small-chunk-cpu"] = { unit: "s/chunk", ...steadyCpuPerChunk(small), method: `the same loop in ${formatBytes(SMALL_CHUNK)} chunks, every pass after the first; ${plan.jsProcesses} new processes, ${plan.jsPasses} passes each` };
      benchmarks["read-write-heap-growth"] = { unit: "bytes", ...heapGrowth(readWrite), method: `the same loop's first-pass minor faults beyond its later passes' rate, x 4 KiB, median over the processes` };
      benchmarks["stream-chunk-cpu"] = { unit: "s/chunk", ...steadyCpuPerChunk(stream), method: `CPU per chunk of fs.createReadStream piped into ${sink}, every pass after the first; ${where}` };
    } finally {
      fs.closeSync(fd);
    }
    fs.rmSync(file.path, { force: true });

    step("loopback TCP");
    const binary = compileBenchmark("loopback-sender", scratch.dir);
    Object.assign(benchmarks, loopbackBenchmarks(await measureLoopbackCost(binary, scratch.dir, plan.loopbackBytes, plan.loopbackRuns)));

    const missing = BENCHMARK_NAMES.filter((name) => benchmarks[name] === undefined);
    if (missing.length > 0) throw new Error(`the profile measured no ${missing.join(", ")}`);
    const measured = benchmarks as Record<BenchmarkName, BenchmarkResult>;
    const { parameters, zeroed } = deriveParameters(measured, plan.chunk);
    const background = await meter.stop();
    return {
      kind: "machine-profile",
      modelVersion: PROFILE_MODEL_VERSION,
      name: `${os.hostname()} (${plan.name} calibration)`,
      measuredAt: new Date(started).toISOString(),
      machine: {
        ...machine,
        plan,
        elapsedSeconds: (Date.now() - started) / 1000,
        loadAverageEnd: machineConditions().loadAverage,
        background,
        systemFiles: buffers.sources,
      },
      parameters,
      benchmarks: measured,
      zeroed,
    };
  } finally {
    scratch.remove();
  }
}

/** The page-fault buffer: above glibc's mmap threshold (at most 32 MiB), so every page is fresh. */
const FAULT_BYTES = 64 * MiB;

/** Room for the loopback benchmark's block file and the compiled sender, beyond the two data files. */
const LOOPBACK_BLOCK_SPARE = 16 * MiB;
