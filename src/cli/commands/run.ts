// `workbook run` (= npm start): runs every experiment and writes results/<timestamp>/ with one JSON file
// per experiment, run.json and report.html (plotly.min.js beside it, so it opens offline from disk).
import * as path from "path";
import { Command, UsageError } from "../command";
import { parseOptions, integerOption, listOption, checkPath } from "../options";
import { progressReporter } from "../progress";
import { runWorkbook } from "../../report/run-workbook";
import { makeNewDirectory } from "../../files/directory";
import { summaryTable } from "../../report/summary-table";
import { STEPS } from "../../report/steps";
import type { Scale } from "../../chapters/chapter";

/** A folder name that sorts by time and is safe on every filesystem. */
function timestamp(date = new Date()): string {
  return date.toISOString().replace(/[:]/g, "-").replace(/\..*/, "");
}

export const command: Command = {
  name: "run",
  summary: "run every experiment and write results/<timestamp>/ (JSON per experiment, run.json, report.html)",
  usage: `workbook run [--quick | --full] [--only <${STEPS.map((e) => e.name).join(",")}>] [--out <dir>] [--runs <n>] [--json]`,
  async run(argv, io) {
    const { values } = parseOptions(argv, {
      quick: { type: "boolean" },
      full: { type: "boolean" },
      only: { type: "string" },
      out: { type: "string", path: "output-dir" },
      runs: { type: "string" },
      json: { type: "boolean" },
    });
    if (values.quick && values.full) throw new UsageError("choose one of --quick and --full");
    const scale: Scale = values.quick ? "quick" : values.full ? "full" : "default";
    const runs = integerOption(values.runs, "runs", 1, 100);
    const wanted = listOption(values.only, "only");
    const unknown = wanted?.filter((name) => !STEPS.some((e) => e.name === name)) ?? [];
    if (unknown.length) throw new UsageError(`--only: unknown experiment ${unknown.join(", ")}; choose from ${STEPS.map((e) => e.name).join(", ")}`);
    const experiments = wanted ? STEPS.filter((e) => wanted.includes(e.name)) : STEPS;
    // results/<timestamp>, claimed with an atomic mkdir: a second run started in the same second gets <timestamp>-2.
    const outDir = values.out ? path.resolve(values.out) : makeNewDirectory(checkPath("output-dir", path.resolve("results"), "the results folder"), timestamp());
    // With --json, stdout carries only the summary: progress goes to stderr.
    const log = values.json ? io.err : io.out;
    const { record, report } = await runWorkbook({
      scale,
      runs,
      outDir,
      experiments,
      progress: (name) => progressReporter(name, io.isTTY, log),
    });
    const failed = record.outcomes.filter((o) => !o.ok);
    if (values.json) {
      io.out(JSON.stringify({ outDir, report, outcomes: record.outcomes, summary: record.summary }, null, 2));
    } else {
      if (record.summary.length) io.out("\n" + summaryTable(record.summary) + "\n");
      io.out(`report: ${path.relative(process.cwd(), report) || report}`);
      if (failed.length) io.err(`${failed.length} experiment(s) failed: ${failed.map((o) => o.name).join(", ")} (see ${path.join(outDir, "run.json")})`);
    }
    return failed.length ? 1 : 0;
  },
};
