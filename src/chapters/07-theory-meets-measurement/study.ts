// The prediction study: calibrate, run the transfer experiment at several sizes, and set the calibrated model's
// predictions beside the measured medians. Called by `workbook calibrate --predict` and the notebook.
import * as fs from "fs";
import * as path from "path";
import { runCalibration, CalibrationResult } from "../../calibration/calibrate";
import { toCostParameters } from "../../calibration/cost-parameters";
import { startBackgroundMeter, BackgroundLoad } from "../../calibration/background-load";
import { runTransferExperiment } from "../../experiments/transfer-experiment";
import type { TransferResult } from "../../experiments/transfer-records";
import { machineConditions, MachineConditions } from "../../experiments/conditions";
import { predictionRows, PredictionRow } from "./analysis";
import type { CpuContext } from "../../model/calibrated-transfer";
import { measureDrift, DriftRow } from "./drift";
import { MiB } from "../../units/sizes";
import type { CacheState } from "../../vocabulary/transfer";
import { repoRoot } from "../../repo-root";
import { writeJsonFile } from "../../files/write-file";

/** One transfer experiment and how busy the rest of the machine was while it ran. */
export interface StudyExperiment {
  result: TransferResult;
  background: BackgroundLoad;
}

/** Everything the study measured and predicted: plain JSON, re-predictable offline with predictStudy(). */
export interface PredictionStudy {
  kind: "prediction";
  calibration: CalibrationResult;
  experiments: StudyExperiment[];
  rows: PredictionRow[];
  /** The calibration's loopback costs re-measured after the experiments: did the machine keep its speed? */
  drift: DriftRow[];
  conditions: MachineConditions & { loadAverageEnd: number[]; sizes: number[]; runs: number; cache: CacheState };
}

/** What to run. */
export interface PredictionStudyOptions {
  /** File sizes of the transfer experiment (default 16 MiB, 64 MiB, 256 MiB, 1 GiB). */
  sizes?: number[];
  runs?: number;
  warmup?: number;
  cache?: CacheState;
  /** Reuse this calibration instead of running one. */
  calibration?: CalibrationResult;
  /** Quick calibration (when none is given). */
  quick?: boolean;
  dir?: string;
  /** Rounds of the drift check after the experiments (default 5). */
  driftRuns?: number;
  onProgress?: (message: string) => void;
}

/** The default file the study is saved to. */
export const DEFAULT_STUDY_FILE = path.join(repoRoot, "results", "prediction.json");


/** The CPU context of one experiment: its cores and the background load measured while it ran. */
export function experimentCpu(experiment: StudyExperiment): CpuContext {
  return { cores: experiment.background.cores, backgroundThreads: experiment.background.backgroundThreads };
}

/** Prediction rows for saved data: deterministic for given calibration and experiments (no I/O). */
export function predictStudy(calibration: CalibrationResult, experiments: readonly StudyExperiment[]): PredictionRow[] {
  const costs = toCostParameters(calibration.parameters, calibration.measurements);
  return experiments.flatMap((e) => predictionRows(calibration.parameters, costs, [e.result], experimentCpu(e)));
}

/** Calibrates (unless given a calibration), runs the transfer experiment at each size, predicts every row. */
export async function runPredictionStudy(options: PredictionStudyOptions = {}): Promise<PredictionStudy> {
  const sizes = options.sizes ?? [16 * MiB, 64 * MiB, 256 * MiB, 1024 * MiB];
  const runs = options.runs ?? 7;
  const cache = options.cache ?? "warm";
  const say = (message: string) => options.onProgress?.(message);
  const machine = machineConditions();
  say("calibrating");
  const calibration = options.calibration ?? (await runCalibration({ quick: options.quick, dir: options.dir }));
  const experiments: StudyExperiment[] = [];
  for (const bytes of sizes) {
    say(`transfer experiment, ${bytes / MiB} MiB`);
    const meter = startBackgroundMeter();
    const result = await runTransferExperiment({ bytes, runs, warmup: options.warmup ?? 1, cache, dir: options.dir });
    experiments.push({ result, background: await meter.stop() });
  }
  say("drift check");
  const drift = await measureDrift(calibration, options.driftRuns ?? 5);
  return {
    kind: "prediction",
    calibration,
    experiments,
    rows: predictStudy(calibration, experiments),
    drift,
    conditions: { ...machine, loadAverageEnd: machineConditions().loadAverage, sizes, runs, cache },
  };
}

/** Writes a study as JSON (creating the folder); returns the file. */
export function saveStudy(study: PredictionStudy, file = DEFAULT_STUDY_FILE): string {
  return writeJsonFile(file, study, 1);
}

/** Reads a saved study; one clear error when it is missing or not a study. */
export function loadStudy(file = DEFAULT_STUDY_FILE): PredictionStudy {
  if (!fs.existsSync(file)) throw new Error(`no prediction study at ${file}; run \`npx workbook calibrate --predict\` first`);
  const study = JSON.parse(fs.readFileSync(file, "utf8")) as PredictionStudy;
  if (study?.kind !== "prediction" || !Array.isArray(study.experiments)) throw new Error(`${file} is not a prediction study`);
  return study;
}
