// `workbook compare <dirA> <dirB>`: two result sets side by side, in the terminal and as an HTML page.
import * as path from "path";
import { Command, UsageError } from "../command";
import { parseOptions, checkPath } from "../options";
import { readRunRecord } from "../../report/read-run";
import type { SummaryRow } from "../../chapters/chapter";
import { writeReport } from "../../report/page";
import { compareFigure } from "../../report/compare-figures";

/** Text table: each path's median time and CPU/GiB in A and B, and B relative to A. */
function sideBySide(a: SummaryRow[], b: SummaryRow[], labels: [string, string]): string {
  const paths = [...new Set([...a, ...b].map((r) => r.path))];
  const f = (v: number | undefined) => (v === undefined ? "-" : v.toFixed(3));
  const rows = paths.map((p) => {
    const ra = a.find((r) => r.path === p);
    const rb = b.find((r) => r.path === p);
    const ratio = ra?.medianSeconds && rb?.medianSeconds ? `${(rb.medianSeconds / ra.medianSeconds).toFixed(2)}x` : "-";
    return [p, f(ra?.medianSeconds), f(rb?.medianSeconds), ratio, f(ra?.cpuSecondsPerGiB), f(rb?.cpuSecondsPerGiB)];
  });
  const header = ["path", `time ${labels[0]} (s)`, `time ${labels[1]} (s)`, "B/A", `CPU/GiB ${labels[0]}`, `CPU/GiB ${labels[1]}`];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (r: string[]) => r.map((c, i) => (i ? c.padStart(widths[i]) : c.padEnd(widths[i]))).join("  ");
  return [line(header), ...rows.map(line)].join("\n");
}

export const command: Command = {
  name: "compare",
  summary: "show two result folders side by side (terminal table + compare.html)",
  usage: "workbook compare <dirA> <dirB> [--out <dir>]",
  async run(argv, io) {
    const { values, positionals } = parseOptions(argv, { out: { type: "string", path: "output-dir" } }, { positionals: ["dirA", "dirB"] });
    if (positionals.length !== 2) throw new UsageError("give exactly two result folders: workbook compare <dirA> <dirB>");
    const [dirA, dirB] = positionals.map((d) => path.resolve(d));
    const [a, b] = [readRunRecord(dirA), readRunRecord(dirB)];
    // Everything is checked before the first line is printed: the page's folder too.
    const outDir = path.resolve(values.out ?? checkPath("output-dir", path.join(dirB, `compare-with-${path.basename(dirA)}`), "the page's folder"));
    const labels: [string, string] = [`A`, `B`];
    io.out(`A: ${dirA}\n   ${a.environment.hostname}, ${a.environment.cpuCount} x ${a.environment.cpuModel}, ${a.environment.kernel}, Node ${a.environment.nodeVersion}, ${a.environment.timestamp}, scale ${a.scale}`);
    io.out(`B: ${dirB}\n   ${b.environment.hostname}, ${b.environment.cpuCount} x ${b.environment.cpuModel}, ${b.environment.kernel}, Node ${b.environment.nodeVersion}, ${b.environment.timestamp}, scale ${b.scale}\n`);
    io.out(sideBySide(a.summary, b.summary, labels));
    const sets = [{ label: "A", rows: a.summary }, { label: "B", rows: b.summary }];
    const report = writeReport(outDir, "Two result sets side by side", `A = ${dirA} (${a.environment.hostname}), B = ${dirB} (${b.environment.hostname})`, [
      {
        title: "Transfer paths",
        text: "Median wall time and sender CPU per GiB for every path both runs measured.",
        figures: [compareFigure("medianSeconds", sets), compareFigure("cpuSecondsPerGiB", sets)],
        pre: sideBySide(a.summary, b.summary, labels),
      },
    ]);
    io.out(`\npage: ${path.relative(process.cwd(), report) || report}`);
    return 0;
  },
};
