// The calibration run: short micro-measurements on this machine that fill the cost parameters of the
// prediction. Whole run < 30 s, quick mode < 10 s. Called by `workbook calibrate`, notebooks and the prediction.
import * as fs from "fs";
import * as path from "path";
import { requireNative } from "../native/addon";
import { machineConditions, MachineConditions } from "../experiments/conditions";
import { makeScratchDir } from "../cleanup/scratch-dir";
import { prepareCache } from "../experiments/cache-state";
import { Measurement, measurementOf } from "./measurement";
import { measureUserCopy, measureHotCopy, measureKernelCopy, measureKernelCopyCold } from "./memory-copy";
import { measureSyscall } from "./syscall-cost";
import { measurePageFault, FRESH_MAPPING_BYTES } from "./page-fault";
import { measureChecksum } from "./checksum-cost";
import { measureSequentialRead, measureRandomRead } from "./disk-throughput";
import { runLoopback, loopbackMeasurements, perWriteMeasurements, LoopbackRun, LoopbackSender, PLACEMENTS } from "./loopback-tcp";
import { allowedCpus } from "./affinity";
import { measureFreshBuffers } from "./fresh-buffer";
import { measureAsyncRead } from "./async-call";
import { measureStreamRead, measureFreshStream } from "./stream-read";
import { startBackgroundMeter, BackgroundLoad } from "./background-load";
import { parametersFrom, requireUsable, LARGE_WRITE, SMALL_WRITE, RUN_OVERHEAD_BYTES, PARAMETER_SOURCES } from "./parameters";
import { runTransferExperiment } from "../experiments/transfer-experiment";
import type { TransferResult } from "../experiments/transfer-records";
import { KiB, MiB } from "../units/sizes";
import { TRANSFER_PATHS } from "../vocabulary/transfer";
import { repoRoot } from "../repo-root";
import { writeJsonFile } from "../files/write-file";
import { writeDataFile } from "../experiments/data-file";
import { CalibratedParameters, PLACEMENT_FIELDS } from "../model/calibrated-parameters";

/** Sizes and repetitions of one calibration; the two presets are QUICK and FULL. */
export interface CalibrationPlan {
  name: "quick" | "full";
  copyBytes: number;
  fileBytes: number;
  syscalls: number;
  asyncCalls: number;
  randomReads: number;
  /** First-pass sizes of the fresh-heap children (one new process each). */
  freshHeapSizes: number[];
  /** Passes of the last fresh-heap child after its first: the steady per-chunk cost is their median. */
  steadyPasses: number;
  loopbackBytes: number;
  /** Chunk of the kernel copy and checksum: the transfer experiment's read size and Node's socket read size. */
  chunk: number;
  runs: number;
  loopbackRuns: number;
  /** Runs per path of the transfer experiment at RUN_OVERHEAD_BYTES (each a new sender process). */
  overheadRuns: number;
}


/** About 7 s on 2 cores: for tests and CI. */
export const QUICK: CalibrationPlan = {
  name: "quick", copyBytes: 16 * MiB, fileBytes: 16 * MiB, syscalls: 30_000, asyncCalls: 1000, randomReads: 200,
  freshHeapSizes: [16 * MiB, 64 * MiB], steadyPasses: 3, loopbackBytes: 32 * MiB, chunk: 64 * KiB, runs: 5, loopbackRuns: 3, overheadRuns: 3,
};

/** About 20-23 s: the calibration the prediction uses. */
export const FULL: CalibrationPlan = {
  name: "full", copyBytes: 64 * MiB, fileBytes: 64 * MiB, syscalls: 300_000, asyncCalls: 5000, randomReads: 1000,
  freshHeapSizes: [16 * MiB, 64 * MiB, 256 * MiB], steadyPasses: 9, loopbackBytes: 256 * MiB, chunk: 64 * KiB, runs: 7, loopbackRuns: 9, overheadRuns: 7,
};

/** Where and when the calibration ran. */
export interface CalibrationConditions extends MachineConditions {
  plan: CalibrationPlan;
  /** os.loadavg() when the run ended; > 1.5 at either end means the cores were shared and the figures noisy. */
  loadAverageEnd: number[];
  elapsedSeconds: number;
  scratchDir: string;
  /** What the rest of the machine burned meanwhile: > 0.3 busy threads means the figures are inflated. */
  background: BackgroundLoad;
}

/** The saved calibration: parameters, the measurements they came from, and the conditions. Plain JSON. */
export interface CalibrationResult {
  kind: "calibration";
  parameters: CalibratedParameters;
  measurements: Measurement[];
  /** Every loopback run, both sides' costs: the receiver model is read off these. */
  loopbackRuns: LoopbackRun[];
  conditions: CalibrationConditions;
}

/** What to run. */
export interface CalibrationOptions {
  quick?: boolean;
  /** Parent of the scratch directory (default os.tmpdir()). */
  dir?: string;
  /** Called before each micro-measurement with its name. */
  onProgress?: (step: string) => void;
}

/** The default file `workbook calibrate` writes and the prediction reads. */
export const DEFAULT_CALIBRATION_FILE = path.join(repoRoot, "results", "calibration.json");

/** Runs every micro-measurement and derives the parameters; cleans up its file and child on success, error, SIGINT. */
export async function runCalibration(options: CalibrationOptions = {}): Promise<CalibrationResult> {
  const plan = options.quick ? QUICK : FULL;
  requireNative(); // sendfile, fadvise and mincore: one clear error now rather than halfway through
  const machine = machineConditions();
  const started = Date.now();
  const meter = startBackgroundMeter();
  const step = (name: string) => options.onProgress?.(name);
  // two files: one for the cold-cache disk reads, one that stays as written (see "loopback TCP" below)
  const scratch = makeScratchDir("calibration", 2 * plan.fileBytes, options.dir);
  const measurements: Measurement[] = [];
  try {
    step("memory copy");
    measurements.push(measureUserCopy(plan.copyBytes, plan.runs), measureHotCopy(plan.copyBytes, plan.chunk, plan.runs));
    step("system call");
    measurements.push(...measureSyscall(plan.syscalls, plan.runs));
    step("asynchronous fs call");
    const asyncRead = await measureAsyncRead(plan.asyncCalls, plan.runs);
    measurements.push(asyncRead.wall, asyncRead.cpu);
    step("page fault");
    measurements.push(measurePageFault(FRESH_MAPPING_BYTES, plan.runs));
    step("checksum");
    measurements.push(measureChecksum(plan.copyBytes, plan.chunk, plan.runs));
    step("disk");
    const disk = await writeDataFile(path.join(scratch.dir, "disk.bin"), plan.fileBytes);
    const diskFd = fs.openSync(disk.path, "r");
    try {
      measurements.push(measureSequentialRead(diskFd, disk.bytes, Math.min(plan.runs, 5)));
      measurements.push(measureRandomRead(diskFd, disk.bytes, plan.randomReads, Math.min(plan.runs, 5)));
    } finally {
      fs.closeSync(diskFd);
    }
    // The other file stays as written, like the experiment's data file: dropping it and reading it back at random
    // leaves the page cache holding it in smaller folios, and sendfile then hands the receiver more, smaller page
    // references (measured: the zero-copy receiver's CPU per byte rose by about a third).
    const file = await writeDataFile(path.join(scratch.dir, "calibration.bin"), plan.fileBytes);
    const fd = fs.openSync(file.path, "r");
    let loopbackRuns: LoopbackRun[];
    let senders: LoopbackSender[];
    try {
      step("kernel copy");
      prepareCache(fd, "warm");
      measurements.push(measureKernelCopy(fd, file.bytes, plan.chunk, plan.runs), measureKernelCopyCold(fd, file.bytes, plan.chunk, plan.runs));
      step("fresh buffers");
      measurements.push(...(await measureFreshBuffers(file.path, plan.freshHeapSizes, plan.chunk, 1 + plan.steadyPasses)));
      step("file stream");
      const free = await measureStreamRead(file.path, file.bytes, plan.chunk, Math.min(plan.runs, 5), "two-cores");
      const pinned = await measureStreamRead(file.path, file.bytes, plan.chunk, Math.min(plan.runs, 5), "one-core");
      measurements.push(free.wall, free.cpu, pinned.wall, pinned.cpu);
      measurements.push(...(await measureFreshStream(file.path, file.bytes, plan.freshHeapSizes, plan.chunk)));
      step("loopback TCP");
      prepareCache(fd, "warm"); // sendfile must find every page cached: this calibrates the stack, not the disk
      const repeat = Math.max(1, Math.round(plan.loopbackBytes / file.bytes));
      senders = [
        { kind: "memory", bytes: plan.loopbackBytes, writeBytes: LARGE_WRITE },
        // the same bytes in the experiment's chunk: the difference is what each socket.write call costs
        { kind: "memory", bytes: plan.loopbackBytes, writeBytes: SMALL_WRITE },
        { kind: "sendfile", fd, fileBytes: file.bytes, fileChecksum: file.checksum, repeat },
        // one pass over the file: with the runs above, two sizes on fresh connections -> the per-connection warm-up
        { kind: "sendfile", fd, fileBytes: file.bytes, fileChecksum: file.checksum, repeat: 1 },
      ];
      loopbackRuns = [];
      for (const placement of PLACEMENTS) {
        // with one CPU there is no second core: the one-core costs stand in for both
        const where = placement === "two-cores" && allowedCpus().length < 2 ? "one-core" : placement;
        const runs = await runLoopback(senders, plan.loopbackRuns, where);
        loopbackRuns.push(...runs.map((r) => ({ ...r, placement })));
      }
    } finally {
      fs.closeSync(fd);
    }
    for (const placement of PLACEMENTS) for (const sender of senders) measurements.push(...loopbackMeasurements(sender, placement, loopbackRuns));
    for (const placement of PLACEMENTS) measurements.push(...perWriteMeasurements(SMALL_WRITE, LARGE_WRITE, placement, loopbackRuns));
    step("run overhead");
    measurements.push(...runOverheadMeasurements(await runTransferExperiment({ bytes: RUN_OVERHEAD_BYTES, runs: plan.overheadRuns, warmup: 1, cache: "warm", dir: options.dir })));
    const background = await meter.stop();
    return {
      kind: "calibration",
      parameters: parametersFrom(measurements),
      measurements,
      loopbackRuns,
      conditions: {
        ...machine,
        plan,
        loadAverageEnd: machineConditions().loadAverage,
        elapsedSeconds: (Date.now() - started) / 1000,
        scratchDir: path.dirname(scratch.dir),
        background,
      },
    };
  } finally {
    scratch.remove();
  }
}

/** The transfer experiment at a small size, as measurements: wall per run of each path, and the size. */
export function runOverheadMeasurements(result: TransferResult): Measurement[] {
  const { bytes, chunk } = result.conditions;
  const how = `the transfer experiment (warm cache, ${chunk}-byte chunks) at ${bytes} bytes, one new sender process per run`;
  return [
    measurementOf("run-overhead-bytes", "bytes", [bytes], `file size of ${how}`),
    ...TRANSFER_PATHS.map((p) => {
      const walls = result.runs.filter((r) => r.path === p).map((r) => r.wallSeconds);
      if (walls.length === 0) throw new Error(`run-overhead experiment has no ${p} runs`);
      return measurementOf(`run-${p}-wall`, "s", walls, `wall time of ${p}; ${how}, median of ${walls.length}`);
    }),
  ];
}

/** Writes a calibration as pretty JSON (creating the folder); `workbook calibrate` and notebooks call it. */
export function saveCalibration(result: CalibrationResult, file = DEFAULT_CALIBRATION_FILE): string {
  return writeJsonFile(file, result);
}

/** Reads a saved calibration and checks its parameters; one clear error if it is missing or malformed. */
export function loadCalibration(file = DEFAULT_CALIBRATION_FILE): CalibrationResult {
  if (!fs.existsSync(file)) throw new Error(`no calibration at ${file}; run \`npx workbook calibrate\` first`);
  let result: CalibrationResult;
  try {
    result = JSON.parse(fs.readFileSync(file, "utf8")) as CalibrationResult;
  } catch (error) {
    throw new Error(`${file} is not valid JSON (${(error as Error).message}); rerun \`npx workbook calibrate\``);
  }
  if (result?.kind !== "calibration" || typeof result.parameters !== "object") {
    throw new Error(`${file} is not a calibration record; rerun \`npx workbook calibrate\``);
  }
  const missing = missingParameters(result.parameters);
  if (missing.length > 0) {
    throw new Error(`${file} was written by an older version of the workbook (it has no ${missing.join(", ")}); rerun \`npx workbook calibrate\``);
  }
  requireUsable(result.parameters);
  return result;
}

/** Parameters a saved record lacks altogether (as opposed to unusable values): a calibration from an older model. */
function missingParameters(params: CalibratedParameters): string[] {
  const top = (Object.keys(PARAMETER_SOURCES) as (keyof CalibratedParameters)[]).filter((k) => params[k] === undefined);
  const placed = (["twoCores", "oneCore"] as const).flatMap((placement) =>
    params[placement] === undefined ? [] : PLACEMENT_FIELDS.filter((f) => params[placement][f] === undefined).map((f) => `${placement}.${f}`),
  );
  return [...top, ...placed];
}
