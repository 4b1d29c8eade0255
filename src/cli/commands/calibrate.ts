// `workbook calibrate`: measures this machine's profile, the sixteen parameters of the cost model
// (src/calibration/profile.ts), and saves it where every chapter, the report and `workbook predict` read it
// (WORKBOOK_PROFILE, else .workbook/profile.json; --out names another file for this once).
import * as path from "path";
import { Command } from "../command";
import { parseOptions, checkPath } from "../options";
import { measureProfile } from "../../calibration/profile";
import { saveProfile, profileFile } from "../../calibration/profile-file";
import { describeProfile } from "../../calibration/describe-profile";
import { PARAMETER_NAMES } from "../../model/cost/machine-profile";

export const command: Command = {
  name: "calibrate",
  summary: `measure this machine's profile, the cost model's ${PARAMETER_NAMES.length} parameters, and save it (< 30 s; --quick < 10 s); WORKBOOK_PROFILE names the file`,
  usage: "workbook calibrate [--quick] [--out <file>] [--dir <scratch parent>] [--json]",
  async run(argv, io) {
    const { values } = parseOptions(argv, {
      quick: { type: "boolean" },
      out: { type: "string", path: "output-file" },
      dir: { type: "string", path: "existing-dir" },
      json: { type: "boolean" },
    });
    // Where the profile goes is checked before anything is measured.
    const target = values.out ?? checkPath("output-file", profileFile(), "the machine profile");
    const progress = (step: string) => io.isTTY && !values.json && io.err(`calibrate: ${step}`);
    const profile = await measureProfile({ quick: values.quick, dir: values.dir, onProgress: progress });
    const saved = saveProfile(profile, target);
    if (values.json) io.out(JSON.stringify(profile, null, 2));
    else {
      describeProfile(profile).forEach((line) => io.out(line));
      io.out(`saved ${path.relative(process.cwd(), saved) || saved}`);
    }
    return 0;
  },
};
