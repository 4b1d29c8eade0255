// The zero-copy experiment for `workbook run`: real transfers on every path at the IBM sizes (chapter 2).
import { Experiment } from "../experiment";
import { runZeroCopyStudy, zeroCopyFigures, STUDY_PLANS, ZeroCopyStudy, calibratedPoints, modelPoints } from "../../analysis/zero-copy-study";
import { perGiBRows } from "../../analysis/zero-copy";
import { CalibrationResult } from "../../calibration/calibrate";

export const transferExperiment: Experiment<ZeroCopyStudy> = {
  name: "transfer",
  title: "2. Zero-copy measured",
  // One file at a time, the largest of the plan, plus the sender's and receiver's nothing.
  diskBytes: (scale) => Math.max(...STUDY_PLANS[scale].sizes),
  async run(ctx) {
    const study = await runZeroCopyStudy(STUDY_PLANS[ctx.scale].sizes, ctx.runs ?? STUDY_PLANS[ctx.scale].runs, ctx.progress);
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
      figures: zeroCopyFigures(study),
    },
  ],
  summary(study) {
    const largest = study.results[study.results.length - 1];
    const rows = perGiBRows(largest);
    const readWrite = rows.find((r) => r.path === "read-write");
    const model = modelPoints(study);
    return rows.map((r) => ({
      path: `${r.path} @ ${(r.bytes / 1e6).toFixed(0)} MB`,
      medianSeconds: r.medianSeconds,
      cpuSecondsPerGiB: r.cpuSecondsPerGiB,
      syscallsPerGiB: r.syscallsPerGiB,
      modelSeconds: model.find((m) => m.path === r.path && m.bytes === r.bytes)?.seconds,
      ratioVsReadWrite: readWrite ? r.medianSeconds / readWrite.medianSeconds : undefined,
    }));
  },
};
