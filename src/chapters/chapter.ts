// What every chapter folder provides, so `workbook run` and the chapter's notebook run the same thing: the
// chapter's plans (the only place its sizes and run counts live), how to run a plan, and how to show and judge
// the result. A notebook at QUICK runs plans.quick; `workbook run --quick` runs the same object.
import type { Figure } from "../plot/figure";
import type { Block } from "../plot/block";
import type { Verdict } from "../claims/claims";

/** How big a run is: CI-sized, a few minutes on 2 cores, or the IBM article's sizes up to 1 GB. */
export const SCALES = ["quick", "default", "full"] as const;
export type Scale = (typeof SCALES)[number];

/** One plan per scale. */
export type Plans<P> = Readonly<Record<Scale, P>>;

/** A run's plan with the repetitions the user asked for (--runs): its `runs`, or its `repeats` (chapter 6). */
export function withRuns<P>(plan: P, runs: number | undefined): P {
  if (runs === undefined || typeof plan !== "object" || plan === null) return plan;
  if ("runs" in plan) return { ...plan, runs };
  if ("repeats" in plan) return { ...plan, repeats: runs };
  return plan;
}

/** What a chapter's run receives besides its plan. */
export interface ChapterContext {
  /** Report progress as a fraction 0..1 with a short label. */
  progress: (fraction: number, label: string) => void;
  /** Directory for large temporary files (checked for free space before the chapter starts). */
  tmpDir: string;
  /** Results of steps that ran earlier in this run, by name (the calibration feeds chapters 2 and 7). */
  earlier: Record<string, unknown>;
  /** The verdicts of the chapters that ran earlier in this run (the summary chapter collects them). */
  verdicts: Verdict[];
  /** How many chapters of this run check claims, the summary chapter apart. */
  expectedVerdicts: number;
}

/** One section of the report: a heading, a paragraph, its blocks (figures, tables, generated prose, collapsed
 *  details) in reading order, more figures, and optional preformatted text. */
export interface Section {
  title: string;
  text: string;
  /** Shown after the paragraph, in order, as the chapter's notebook shows them. */
  blocks?: Block[];
  figures: Figure[];
  pre?: string;
  /** A chapter's claims, shown as a table. */
  verdict?: Verdict;
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

/** A step of `workbook run`: a chapter, or a step a chapter needs first (the calibration). */
export interface Step<P, R> {
  /** The name `workbook run --only` takes ("transfer"). */
  name: string;
  /** "2. Zero-copy measured": the chapter number leads, so the report orders sections by it. */
  title: string;
  plans: Plans<P>;
  /** Bytes of temporary disk space the plan needs. */
  diskBytes(plan: P): number;
  run(plan: P, ctx: ChapterContext): Promise<R>;
  sections(result: R): Section[];
  /** The chapter's claims about this result: the same list its notebook's last cell checks. */
  verdict?(result: R): Verdict;
  summary?(result: R): SummaryRow[];
}
