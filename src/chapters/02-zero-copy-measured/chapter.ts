// Chapter 2 in `workbook run`: real transfers on every path at the IBM sizes, beside the model drawn from this
// machine's profile.
import type { Step } from "../chapter";
import { profileFor } from "../chapter-profile";
import { PLANS, ZeroCopyPlan } from "./plan";
import { runZeroCopyStudy, analyzeZeroCopy, ZeroCopyStudy } from "./analysis";
import { transferTimeFigure, perGiBFigure, ibmRatioFigure } from "./figures";
import { syscallsMarkdown, modelMarkdown, ratioMarkdown } from "./prose";
import { chapterClaims } from "./claims";
import { IBM_TABLE_1 } from "../../reference/ibm-zero-copy";

export const zeroCopyChapter: Step<ZeroCopyPlan, ZeroCopyStudy> = {
  name: "transfer",
  title: "2. Zero-copy measured",
  plans: PLANS,
  // One file at a time, the largest of the plan.
  diskBytes: (plan) => Math.max(...plan.sizes),
  async run(plan, ctx) {
    return runZeroCopyStudy(plan, await profileFor(ctx), ctx.progress);
  },
  sections: (study) => {
    const a = analyzeZeroCopy(study);
    return [
      {
        title: "2. Zero-copy measured",
        text:
          `Each path sends a file over loopback TCP to a receiver process that checks length and CRC-32; the copy loops read ${study.chunk} bytes ` +
          `at a time like the IBM article's client. Solid = this machine (median, min-max), dashed or hatched = the ${a.modelLabel} (chapter 7). ` +
          "Loopback hides much of sendfile's gain: the receiver copies every byte anyway and both ends share the same CPUs.",
        blocks: [
          { kind: "figure", figure: transferTimeFigure(a) },
          { kind: "markdown", markdown: modelMarkdown(a) },
          { kind: "figure", figure: perGiBFigure(a.largest, "cpu", a.modelLabel) },
          { kind: "figure", figure: perGiBFigure(a.largest, "syscalls", a.modelLabel) },
          { kind: "markdown", markdown: syscallsMarkdown(a) },
          { kind: "figure", figure: ibmRatioFigure(IBM_TABLE_1, a.ratios, a.modelRatios, a.modelLabel, a.chunk) },
          { kind: "markdown", markdown: ratioMarkdown(a) },
        ],
        figures: [],
      },
    ];
  },
  verdict: chapterClaims,
  summary(study) {
    const a = analyzeZeroCopy(study);
    const readWrite = a.largest.find((r) => r.path === "read-write");
    return a.largest.map((r) => ({
      path: `${r.path} @ ${(r.bytes / 1e6).toFixed(0)} MB`,
      medianSeconds: r.medianSeconds,
      cpuSecondsPerGiB: r.cpuSecondsPerGiB,
      syscallsPerGiB: r.syscallsPerGiB,
      modelSeconds: r.model.wallSeconds,
      ratioVsReadWrite: readWrite ? r.medianSeconds / readWrite.medianSeconds : undefined,
    }));
  },
};
