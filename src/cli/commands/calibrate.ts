// `workbook calibrate`: micro-measurements on this machine that fill the prediction's cost parameters.
import * as path from "path";
import { Command } from "../command";
import { parseOptions } from "../options";
import { runCalibration, saveCalibration, DEFAULT_CALIBRATION_FILE } from "../../calibration/calibrate";
import { describeCalibration } from "../../calibration/describe";

export const command: Command = {
  name: "calibrate",
  summary: "measure this machine's copy, syscall, page-fault, loopback TCP and disk costs (< 30 s; --quick < 5 s)",
  usage: "workbook calibrate [--quick] [--out <file>] [--dir <scratch parent>] [--json]",
  async run(argv, io) {
    const { values } = parseOptions(argv, {
      quick: { type: "boolean" },
      out: { type: "string" },
      dir: { type: "string" },
      json: { type: "boolean" },
    });
    const result = await runCalibration({
      quick: values.quick,
      dir: values.dir,
      onProgress: (step) => io.isTTY && !values.json && io.err(`calibrating: ${step}`),
    });
    const file = saveCalibration(result, values.out ?? DEFAULT_CALIBRATION_FILE);
    if (values.json) {
      io.out(JSON.stringify(result, null, 2));
    } else {
      describeCalibration(result).forEach((line) => io.out(line));
      io.out(`saved ${path.relative(process.cwd(), file) || file}`);
    }
    return 0;
  },
};
