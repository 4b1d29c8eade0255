// `workbook calibrate`: micro-measurements on this machine that fill the prediction's cost parameters;
// with --predict, also runs the transfer experiment at several sizes and prints predicted beside measured.
import * as path from "path";
import { Command, UsageError } from "../command";
import { parseOptions, sizeOption, integerOption, listOption, checkPath } from "../options";
import { runCalibration, saveCalibration, loadCalibration, DEFAULT_CALIBRATION_FILE } from "../../calibration/calibrate";
import { describeCalibration } from "../../calibration/describe";
import { runPredictionStudy, saveStudy, DEFAULT_STUDY_FILE } from "../../chapters/07-theory-meets-measurement/study";
import { describeRows, describeRatios, ratioRows } from "../../chapters/07-theory-meets-measurement/analysis";
import { describeDrift } from "../../chapters/07-theory-meets-measurement/drift";
import { MiB } from "../../units/sizes";

/** Parses "--sizes 64MiB,256MiB" into byte counts; a bad entry is a UsageError naming it. */
function sizesOption(value: string | undefined): number[] | undefined {
  if (value === undefined) return undefined;
  const sizes = listOption(value, "sizes")!.map((s) => sizeOption(s, "sizes")!);
  if (sizes.some((s) => s < 1)) throw new UsageError(`--sizes must list sizes >= 1 byte, got "${value}"`);
  return sizes;
}

export const command: Command = {
  name: "calibrate",
  summary: "measure this machine's copy, syscall, fault, loopback TCP and disk costs (< 30 s; --quick < 10 s); --predict: model vs measurement",
  usage:
    "workbook calibrate [--quick] [--out <file>] [--dir <scratch parent>] [--json]\n" +
    "         [--predict [--sizes 16MiB,64MiB,256MiB,1GiB] [--runs 7] [--reuse] [--study-out <file>]]",
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
    // The default places are checked like --out: before anything is measured.
    const file = values.out ?? checkPath("output-file", DEFAULT_CALIBRATION_FILE, "the calibration file");
    const studyOut = values.predict ? values["study-out"] ?? checkPath("output-file", DEFAULT_STUDY_FILE, "the study file") : undefined;
    const progress = (step: string) => io.isTTY && !values.json && io.err(`calibrate: ${step}`);
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
