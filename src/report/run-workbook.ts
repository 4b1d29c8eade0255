// Runs the chosen experiments one after another, writing each result as soon as it exists, so a
// failure (or Ctrl-C) later in the run loses nothing already measured.
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { Experiment, Scale, SummaryRow } from "./experiment";
import { Environment, readEnvironment } from "./environment";
import { writeReport, ReportSection } from "./page";
import { MiB, formatBytes } from "../units/sizes";
import { freeBytes } from "../cleanup/scratch-dir";

/** What the user asked for. */
export interface RunOptions {
  scale: Scale;
  outDir: string;
  runs?: number;
  experiments: Experiment<any>[];
  progress: (experiment: string) => { update(fraction: number, label: string): void; done(message: string): void };
}

/** One experiment's outcome, as recorded in run.json. */
export interface ExperimentOutcome {
  name: string;
  ok: boolean;
  seconds: number;
  file?: string;
  error?: string;
}

/** The index of a result folder: run.json. `workbook compare` reads two of these. */
export interface RunRecord {
  environment: Environment;
  scale: Scale;
  runs?: number;
  outcomes: ExperimentOutcome[];
  summary: SummaryRow[];
}

/** Creates `dir` and its missing parents one by one: Node 20's recursive mkdirSync spins forever under /proc. */
function makeDirectory(dir: string): void {
  if (fs.existsSync(dir)) return;
  const parent = path.dirname(dir);
  if (parent !== dir) makeDirectory(parent);
  fs.mkdirSync(dir);
}

/** Throws one clear line unless `dir` can be created and written; called before anything runs. */
export function requireWritableDir(dir: string): void {
  try {
    makeDirectory(dir);
    const probe = path.join(dir, `.write-test-${process.pid}`);
    fs.writeFileSync(probe, "");
    fs.unlinkSync(probe);
  } catch (error) {
    throw new Error(`cannot write results to ${dir} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}): choose another folder with --out`);
  }
}

/** Throws one clear line when `dir` lacks `needed` bytes plus a 256 MiB margin; called per experiment. */
export function requireFreeSpace(dir: string, needed: number, what: string): void {
  const margin = 256 * MiB;
  const free = freeBytes(dir);
  if (needed > 0 && free < needed + margin) {
    throw new Error(`${what} needs ${formatBytes(needed + margin)} free in ${dir} but only ${formatBytes(free)} is free: free some space or use --quick`);
  }
}

/** Runs the experiments, writes <name>.json, run.json and report.html into outDir; returns the run record. */
export async function runWorkbook(options: RunOptions): Promise<{ record: RunRecord; report: string }> {
  const { outDir, scale, experiments } = options;
  requireWritableDir(outDir);
  const record: RunRecord = { environment: readEnvironment(), scale, runs: options.runs, outcomes: [], summary: [] };
  const sections: ReportSection[] = [];
  const earlier: Record<string, unknown> = {};
  let report = "";
  const save = () => {
    fs.writeFileSync(path.join(outDir, "run.json"), JSON.stringify(record, null, 2));
    const failed = record.outcomes.filter((o) => !o.ok);
    const failures = failed.length
      ? [{ title: "Experiments that failed", text: failed.map((o) => `${o.name}: ${o.error}`).join(" | "), figures: [] }]
      : [];
    const env = record.environment;
    const subtitle = `${env.timestamp}, ${env.cpuCount} x ${env.cpuModel}, ${env.kernel}, Node ${env.nodeVersion}, load ${env.loadAverage[0]}, scale ${scale}`;
    // Sections in chapter order ("2. ..." before "7. ..."), whatever order the experiments ran in.
    const ordered = [...sections].sort((a, b) => parseFloat(a.title) - parseFloat(b.title));
    report = writeReport(outDir, "The zero-copy workbook", subtitle, [...ordered, ...failures]);
  };
  for (const experiment of experiments) {
    const started = Date.now();
    const progress = options.progress(experiment.name);
    try {
      const tmpDir = os.tmpdir();
      requireFreeSpace(tmpDir, experiment.diskBytes(scale), `experiment ${experiment.name}`);
      const result = await experiment.run({ scale, runs: options.runs, tmpDir, earlier, progress: progress.update });
      earlier[experiment.name] = result;
      const file = path.join(outDir, `${experiment.name}.json`);
      fs.writeFileSync(file, JSON.stringify({ experiment: experiment.name, environment: readEnvironment(), scale, result }, null, 2));
      sections.push(...experiment.sections(result));
      record.summary.push(...(experiment.summary?.(result) ?? []));
      const seconds = (Date.now() - started) / 1000;
      record.outcomes.push({ name: experiment.name, ok: true, seconds, file: path.basename(file) });
      progress.done(`${experiment.name}: done in ${seconds.toFixed(1)} s`);
    } catch (error) {
      const message = (error as Error).message.split("\n")[0];
      record.outcomes.push({ name: experiment.name, ok: false, seconds: (Date.now() - started) / 1000, error: message });
      progress.done(`${experiment.name}: FAILED: ${message}`);
    }
    save();
  }
  if (experiments.length === 0) save();
  return { record, report };
}
