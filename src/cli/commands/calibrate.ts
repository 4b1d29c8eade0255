// `workbook calibrate`: measures this machine's profile, the fifteen parameters of the cost model
// (src/calibration/profile.ts), and saves it where every chapter and `workbook predict` read it.
// The chapter-7 calibration of the older prediction (src/calibration/calibrate.ts) still answers its own options
// (--out, --predict, --reuse, --sizes, --runs, --study-out) until chapter 7 draws from the profile.
import * as path from "path";
import { Command, UsageError } from "../command";
import { parseOptions, sizeOption, integerOption, listOption, checkPath } from "../options";
import { runCalibration, saveCalibration, loadCalibration, DEFAULT_CALIBRATION_FILE } from "../../calibration/calibrate";
import { describeCalibration } from "../../calibration/describe";
import { runPredictionStudy, saveStudy, DEFAULT_STUDY_FILE } from "../../chapters/07-theory-meets-measurement/study";
import { describeRows, describeRatios, ratioRows } from "../../chapters/07-theory-meets-measurement/analysis";
import { describeDrift } from "../../chapters/07-theory-meets-measurement/drift";
import { MiB } from "../../units/sizes";
import { measureProfile } from "../../calibration/profile";
import { saveProfile, profileFile } from "../../calibration/profile-file";
import { describeProfile } from "../../calibration/describe-profile";

/** Parses "--sizes 64MiB,256MiB" into byte counts; a bad entry is a UsageError naming it. */
function sizesOption(value: string | undefined): number[] | undefined {
  if (value === undefined) return undefined;
  const sizes = listOption(value, "sizes")!.map((s) => sizeOption(s, "sizes")!);
  if (sizes.some((s) => s < 1)) throw new UsageError(`--sizes must list sizes >= 1 byte, got "${value}"`);
  return sizes;
}

export const command: Command = {
  name: "calibrate",
  summary: "measure this machine's profile, the cost model's 15 parameters, and save it (< 30 s; --quick < 10 s); WORKBOOK_PROFILE names the file",
  usage:
    "workbook calibrate [--quick] [--dir <scratch parent>] [--json]\n" +
    "         older chapter-7 calibration: [--out <file>] [--predict [--sizes 16MiB,64MiB,256MiB,1GiB] [--runs 7] [--reuse] [--study-out <file>]]",
  async run(argv, io) {
    const { values } = parseOptions(argv, {
      quick: { type: "boolean" },
      out: { type: "string", path: "output-file" },
      dir: { type: "string", path: "existing-dir" },
      json: { type: "boolean" },
      predict: { type: "boolean" },
      sizes: { type: "string" },
      runs: { type: "string" },
      reuse: { type: "boolean" },
      "study-out": { type: "string", path: "output-file" },
    });
    const sizes = sizesOption(values.sizes);
    const runs = integerOption(values.runs, "runs", 1, 1000);
    if (!values.predict && (sizes || runs || values.reuse || values["study-out"])) {
      throw new UsageError("--sizes, --runs, --reuse and --study-out go with --predict");
    }
    const progress = (step: string) => io.isTTY && !values.json && io.err(`calibrate: ${step}`);
    if (!values.predict && !values.out && !values.reuse) {
      // Where the profile goes is checked before anything is measured.
      const target = checkPath("output-file", profileFile(), "the machine profile");
      const profile = await measureProfile({ quick: values.quick, dir: values.dir, onProgress: progress });
      const saved = saveProfile(profile, target);
      if (values.json) io.out(JSON.stringify(profile, null, 2));
      else {
        describeProfile(profile).forEach((line) => io.out(line));
        io.out(`saved ${path.relative(process.cwd(), saved) || saved}`);
      }
      return 0;
    }
    // The default places are checked like --out: before anything is measured.
    const file = values.out ?? checkPath("output-file", DEFAULT_CALIBRATION_FILE, "the calibration file");
    const studyOut = values.predict ? values["study-out"] ?? checkPath("output-file", DEFAULT_STUDY_FILE, "the study file") : undefined;
    const calibration = values.reuse ? loadCalibration(file) : await runCalibration({ quick: values.quick, dir: values.dir, onProgress: progress });
    if (!values.reuse) saveCalibration(calibration, file);
    if (!values.predict) {
      if (values.json) io.out(JSON.stringify(calibration, null, 2));
      else {
        describeCalibration(calibration).forEach((line) => io.out(line));
        io.out(`saved ${path.relative(process.cwd(), file) || file}`);
      }
      return 0;
    }
    const study = await runPredictionStudy({ calibration, sizes, runs, dir: values.dir, onProgress: progress });
    const studyFile = saveStudy(study, studyOut);
    if (values.json) io.out(JSON.stringify(study, null, 2));
    else {
      describeCalibration(calibration).slice(0, 1).forEach((line) => io.out(line));
      describeRows(study.rows).forEach((line) => io.out(line));
      describeRatios(ratioRows(study.rows)).forEach((line) => io.out(line));
      describeDrift(study.drift).forEach((line) => io.out(line));
      for (const e of study.experiments) {
        io.out(`${e.result.conditions.bytes / MiB} MiB: load average ${e.result.conditions.loadAverage[0]} -> ${e.result.conditions.loadAverageEnd[0]}, ` +
          `other processes kept ${e.background.backgroundThreads.toFixed(2)} of ${e.background.cores} cores busy`);
      }
      io.out(`load average ${study.conditions.loadAverage[0]} -> ${study.conditions.loadAverageEnd[0]}; saved ${path.relative(process.cwd(), studyFile) || studyFile}`);
    }
    return 0;
  },
};
