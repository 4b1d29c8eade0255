// Runs the chosen steps (the chapters, and the machine profile they draw from) one after another, each on its chapter's
// plan for the scale, writing each result as soon as it exists, so a failure (or Ctrl-C) later in the run loses
// nothing already measured.
import * as os from "os";
import * as path from "path";
import { Step, Scale, SummaryRow, Section, withRuns } from "../chapters/chapter";
import type { Verdict } from "../claims/claims";
import { Environment, readEnvironment } from "./environment";
import { writeReport } from "./page";
import { formatBytes } from "../units/sizes";
import { freeBytes, spareBytes } from "../cleanup/scratch-dir";
import { makeDirectory } from "../files/directory";
import { checkOutputDir } from "../files/output-path";
import { writeJsonFile } from "../files/write-file";

/** What the user asked for. */
export interface RunOptions {
  scale: Scale;
  outDir: string;
  runs?: number;
  experiments: Step<any, any>[];
  progress: (experiment: string) => { update(fraction: number, label: string): void; done(message: string): void };
}

/** One experiment's outcome, as recorded in run.json. */
export interface ExperimentOutcome {
  name: string;
  /** The plan the step ran: its chapter's plan for the scale, with --runs applied. */
  plan: unknown;
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
  /** The claims each chapter checked on this run's results. */
  verdicts: Verdict[];
}

/** The plan a step runs at `scale`: its chapter's own plan object, with --runs applied when given. */
export function planFor<P>(step: Step<P, unknown>, scale: Scale, runs?: number): P {
  return withRuns(step.plans[scale], runs);
}

/** Throws one clear line (a PathError: bad input) unless `dir` can be created and written, then creates it;
 *  called before anything runs. */
export function requireWritableDir(dir: string): void {
  checkOutputDir(dir, "results folder");
  makeDirectory(dir);
}

/** Throws one clear line when `dir` lacks `needed` bytes plus the spare scratch folders keep; called per experiment. */
export function requireFreeSpace(dir: string, needed: number, what: string): void {
  const margin = spareBytes(needed);
  const free = freeBytes(dir);
  if (needed > 0 && free < needed + margin) {
    throw new Error(`${what} needs ${formatBytes(needed + margin)} free in ${dir} but only ${formatBytes(free)} is free: free some space or use --quick`);
  }
}

/** Runs the experiments, writes <name>.json, run.json and report.html into outDir; returns the run record. */
export async function runWorkbook(options: RunOptions): Promise<{ record: RunRecord; report: string }> {
  const { outDir, scale, experiments } = options;
  requireWritableDir(outDir);
  const record: RunRecord = { environment: readEnvironment(), scale, runs: options.runs, outcomes: [], summary: [], verdicts: [] };
  const sections: Section[] = [];
  const earlier: Record<string, unknown> = {};
  let report = "";
  const save = () => {
    writeJsonFile(path.join(outDir, "run.json"), record);
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
    const plan = planFor(experiment, scale, options.runs);
    try {
      const tmpDir = os.tmpdir();
      requireFreeSpace(tmpDir, experiment.diskBytes(plan), `experiment ${experiment.name}`);
      const expectedVerdicts = experiments.filter((s) => s.verdict && s !== experiment).length;
      const result = await experiment.run(plan, { tmpDir, earlier, verdicts: record.verdicts, expectedVerdicts, progress: progress.update });
      earlier[experiment.name] = result;
      const file = path.join(outDir, `${experiment.name}.json`);
      writeJsonFile(file, { experiment: experiment.name, environment: readEnvironment(), scale, plan, result });
      const verdict = experiment.verdict?.(result);
      sections.push(...experiment.sections(result));
      if (verdict) {
        record.verdicts.push(verdict);
        sections.push({ title: `${experiment.title}: what this chapter checked`, text: "", figures: [], verdict });
      }
      record.summary.push(...(experiment.summary?.(result) ?? []));
      const seconds = (Date.now() - started) / 1000;
      record.outcomes.push({ name: experiment.name, plan, ok: true, seconds, file: path.basename(file) });
      progress.done(`${experiment.name}: done in ${seconds.toFixed(1)} s`);
    } catch (error) {
      const message = (error as Error).message.split("\n")[0];
      record.outcomes.push({ name: experiment.name, plan, ok: false, seconds: (Date.now() - started) / 1000, error: message });
      progress.done(`${experiment.name}: FAILED: ${message}`);
    }
    save();
  }
  if (experiments.length === 0) save();
  return { record, report };
}
