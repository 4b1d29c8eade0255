// What `workbook run` needs from an experiment: run it, then turn its result record into report
// sections and summary rows. Experiments stay ignorant of files, progress bars and HTML.
import { ReportSection } from "./page";

/** How big a run is: CI-sized, a few minutes on 2 cores, or the IBM article's sizes up to 1 GB. */
export type Scale = "quick" | "default" | "full";

/** What every experiment receives. */
export interface RunContext {
  scale: Scale;
  /** Repetitions per measurement, when the user chose them (--runs). */
  runs?: number;
  /** Report progress as a fraction 0..1 with a short label. */
  progress: (fraction: number, label: string) => void;
  /** Directory for large temporary files (checked for free space before the experiment starts). */
  tmpDir: string;
  /** Results of experiments that ran earlier in this run, by name (e.g. calibration feeds prediction). */
  earlier: Record<string, unknown>;
}

/** One row of the terminal summary table, per data path. */
export interface SummaryRow {
  path: string;
  medianSeconds?: number;
  cpuSecondsPerGiB?: number;
  syscallsPerGiB?: number;
  modelSeconds?: number;
  ratioVsReadWrite?: number;
}

/** An experiment of the workbook: name, disk it needs, how to run and how to show it. */
export interface Experiment<R = unknown> {
  name: string;
  title: string;
  /** Bytes of temporary disk space the experiment needs at this scale. */
  diskBytes(scale: Scale): number;
  run(ctx: RunContext): Promise<R>;
  sections(result: R): ReportSection[];
  summary?(result: R): SummaryRow[];
}
