// `workbook run` (= npm start): runs the workbook and writes results/<timestamp>/ with JSON and report.html.
import * as fs from "fs";
import * as path from "path";
import { Command } from "../command";
import { parseOptions } from "../options";
import { writeReport } from "../../report/page";
import { runCopyPathModel, copyPathSection } from "../../report/copy-path-section";

/** A folder name that sorts by time and is safe on every filesystem. */
function timestamp(date = new Date()): string {
  return date.toISOString().replace(/[:]/g, "-").replace(/\..*/, "");
}

export const command: Command = {
  name: "run",
  summary: "run the workbook and write results/<timestamp>/ (JSON per experiment + report.html)",
  usage: "workbook run [--out <dir>] [--json]",
  async run(argv, io) {
    const { values } = parseOptions(argv, { out: { type: "string" }, json: { type: "boolean" } });
    const dir = path.resolve(values.out ?? path.join("results", timestamp()));
    fs.mkdirSync(dir, { recursive: true });
    const copyPath = runCopyPathModel();
    fs.writeFileSync(path.join(dir, "copy-path.json"), JSON.stringify(copyPath, null, 2));
    const report = writeReport(dir, "The zero-copy workbook", `Run of ${new Date().toISOString()}`, [copyPathSection(copyPath)]);
    if (values.json) io.out(JSON.stringify({ dir, report }, null, 2));
    else io.out(`wrote ${path.relative(process.cwd(), report) || report}`);
    return 0;
  },
};
