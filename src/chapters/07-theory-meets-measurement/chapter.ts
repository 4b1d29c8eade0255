// Chapter 7 in `workbook run`: the profile step first (load the saved machine profile, or measure and save one), so
// every chapter's model lines are this machine's; then the batches of the transfer experiment beside the model.
import type { Step, Plans } from "../chapter";
import { profileFor, PROFILE_STEP } from "../chapter-profile";
import { profileForModel, ProfileSource } from "../../calibration/profile-source";
import { PLANS, PredictionPlan } from "./plan";
import { runPredictionStudy, analyzePrediction, PredictionStudy } from "./analysis";
import { parityFigure, residualNoiseFigure, breakdownFigure, parameterTable, fitTable, ratioTable, batchMediansTable, conditionsTable } from "./figures";
import { equationsMarkdown, profileMarkdown, conditionsMarkdown, noiseMarkdown, targetMarkdown, limitsMarkdown } from "./prose";
import { chapterClaims, CHAPTER } from "./claims";
import { MiB } from "../../units/sizes";

/** The profile step's plans: which profile to measure when none is saved (a saved one is always used as it is). */
const PROFILE_PLANS: Plans<{ quick: boolean }> = {
  quick: { quick: PLANS.quick.quickProfile },
  default: { quick: PLANS.default.quickProfile },
  full: { quick: PLANS.full.quickProfile },
};

export const profileStep: Step<{ quick: boolean }, ProfileSource> = {
  name: PROFILE_STEP,
  title: "7. The machine profile",
  plans: PROFILE_PLANS,
  // the profile's scratch files: two 64 MiB data files and the loopback block
  diskBytes: () => 160 * MiB,
  run: (plan, ctx) => {
    let step = 0;
    return profileForModel({ quick: plan.quick, onProgress: (line) => ctx.progress(1 - 1 / (1 + ++step / 4), line) });
  },
  sections: (source) => [
    {
      title: "7. The machine profile: the model's parameters, measured on this machine",
      text: "Every dashed or hatched model line in this report is drawn from this profile.",
      blocks: [
        { kind: "markdown", markdown: profileMarkdown(source.profile, source.file, source.measuredNow) },
        { kind: "table", table: parameterTable(source.profile) },
      ],
      figures: [],
    },
  ],
};

export const predictionChapter: Step<PredictionPlan, PredictionStudy> = {
  name: "prediction",
  title: CHAPTER,
  plans: PLANS,
  diskBytes: (plan) => Math.max(...plan.sizes),
  async run(plan, ctx) {
    return runPredictionStudy(plan, await profileFor(ctx), ctx.progress);
  },
  sections: (study) => {
    const a = analyzePrediction(study);
    return [
      {
        title: "7. Theory meets measurement: one model, its equations, and this machine",
        text: `The cost model predicts every path and size of the transfer experiment from the profile alone (${a.profileLabel}).`,
        blocks: [
          { kind: "markdown", markdown: equationsMarkdown() },
          { kind: "markdown", markdown: conditionsMarkdown(a) },
          { kind: "figure", figure: parityFigure(a) },
          { kind: "figure", figure: residualNoiseFigure(a) },
          { kind: "markdown", markdown: noiseMarkdown(a) },
          { kind: "table", table: fitTable(a) },
          { kind: "table", table: ratioTable(a) },
          { kind: "figure", figure: breakdownFigure(a) },
          { kind: "markdown", markdown: targetMarkdown(a) },
          { kind: "markdown", markdown: limitsMarkdown(a) },
          { kind: "details", summary: "Every batch's medians: wall time", table: batchMediansTable(a, "wallSeconds") },
          { kind: "details", summary: "Every batch's medians: sender CPU per GiB", table: batchMediansTable(a, "senderCpuSecondsPerGiB") },
          { kind: "details", summary: "Every batch's medians: system calls per GiB", table: batchMediansTable(a, "syscallsPerGiB") },
          { kind: "details", summary: "The machine around each experiment", table: conditionsTable(a) },
        ],
        figures: [],
      },
    ];
  },
  verdict: chapterClaims,
};
