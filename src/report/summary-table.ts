// The terminal summary at the end of `workbook run`: one row per data path.
import type { SummaryRow } from "../chapters/chapter";

/** Formats a number with a unit, or "-" when the experiment did not measure it. */
function cell(value: number | undefined, digits: number, unit = ""): string {
  return value === undefined || !Number.isFinite(value) ? "-" : `${value.toFixed(digits)}${unit}`;
}

/** A fixed-width table of the summary rows; called by `workbook run` and `workbook compare`. */
export function summaryTable(rows: SummaryRow[]): string {
  const header = ["path", "median time", "CPU s/GiB", "syscalls/GiB", "model time", "vs read-write"];
  const body = rows.map((r) => [
    r.path,
    cell(r.medianSeconds, 3, " s"),
    cell(r.cpuSecondsPerGiB, 3),
    r.syscallsPerGiB === undefined ? "-" : Math.round(r.syscallsPerGiB).toLocaleString("en-US"),
    cell(r.modelSeconds, 3, " s"),
    cell(r.ratioVsReadWrite, 2, "x"),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((row) => row[i].length)));
  const line = (row: string[]) => row.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join("  ");
  return [line(header), widths.map((w) => "-".repeat(w)).join("  "), ...body.map(line)].join("\n");
}
