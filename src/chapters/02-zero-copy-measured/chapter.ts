// Chapter 2 in `workbook run`: real transfers on every path at the IBM sizes, beside the model.
import type { Step } from "../chapter";
import type { CalibrationResult } from "../../calibration/calibrate";
import { PLANS, ZeroCopyPlan } from "./plan";
import { runZeroCopyStudy, calibratedPoints, analyzeZeroCopy, ZeroCopyStudy } from "./analysis";
import { zeroCopyFigures } from "./figures";
import { chapterClaims } from "./claims";

export const zeroCopyChapter: Step<ZeroCopyPlan, ZeroCopyStudy> = {
  name: "transfer",
  title: "2. Zero-copy measured",
  plans: PLANS,
  // One file at a time, the largest of the plan.
  diskBytes: (plan) => Math.max(...plan.sizes),
  async run(plan, ctx) {
    const study = await runZeroCopyStudy(plan, ctx.progress);
    // With this run's calibration (chapter 7), the model's lines and the summary's model column are this machine's.
    const calibration = ctx.earlier.calibration as CalibrationResult | undefined;
    return calibration ? { ...study, predicted: calibratedPoints(calibration, study.results, study.chunk) } : study;
  },
  sections: (study) => [
    {
      title: "2. Zero-copy measured",
      text:
        `Each path sends a file over loopback TCP to a receiver process that checks length and CRC-32; the copy loops read ${study.chunk} bytes ` +
        "at a time like the IBM article's client. Solid = this machine (median, min-max), dashed or hatched = the model. " +
        "Loopback hides much of sendfile's gain: the receiver copies every byte anyway and both ends share the same CPUs.",
      figures: zeroCopyFigures(analyzeZeroCopy(study)),
    },
  ],
  verdict: chapterClaims,
  summary(study) {
    const a = analyzeZeroCopy(study);
    const readWrite = a.rows.find((r) => r.path === "read-write");
    return a.rows.map((r) => ({
      path: `${r.path} @ ${(r.bytes / 1e6).toFixed(0)} MB`,
      medianSeconds: r.medianSeconds,
      cpuSecondsPerGiB: r.cpuSecondsPerGiB,
      syscallsPerGiB: r.syscallsPerGiB,
      modelSeconds: a.modelPoints.find((m) => m.path === r.path && m.bytes === r.bytes)?.seconds,
      ratioVsReadWrite: readWrite ? r.medianSeconds / readWrite.medianSeconds : undefined,
    }));
  },
};
