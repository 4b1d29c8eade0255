// Chapter 1's figures: the work each data path does, from the model's counters.
import { Figure } from "../../plot/figure";
import { baseLayout, pathColor } from "../../plot/style";
import type { TransferCounts } from "../../model/transfer-model";
import { formatBytes } from "../../units/sizes";

/** Counters shown side by side, with their axis labels. */
const COUNT_BARS: { key: keyof TransferCounts; label: string }[] = [
  { key: "cpuCopies", label: "CPU copies" },
  { key: "dmaCopies", label: "DMA copies" },
  { key: "modeSwitches", label: "user/kernel mode switches" },
  { key: "syscalls", label: "syscalls" },
];

/** Grouped bars: copies, mode switches and syscalls per path for one transfer; notebook 1 and the report. */
export function copyCountsFigure(records: TransferCounts[], calls = "largest calls each path allows"): Figure {
  const data = records.map((r) => ({
    type: "bar",
    name: `${r.path} (${r.chunks} call${r.chunks === 1 ? "" : "s"})`,
    x: COUNT_BARS.map((b) => b.label),
    y: COUNT_BARS.map((b) => r[b.key]),
    marker: { color: pathColor(r.path) },
    text: COUNT_BARS.map((b) => String(r[b.key])),
    textposition: "outside",
  }));
  // Chunked transfers span 1 to 10^5 operations: a log axis keeps the small bars visible.
  const values = records.flatMap((r) => COUNT_BARS.map((b) => Number(r[b.key]))).filter((v) => v > 0);
  const logAxis = Math.max(...values) / Math.min(...values) > 100;
  const title = `Work to move ${formatBytes(records[0]?.bytes ?? 0)}, model (${calls})`;
  return {
    id: "copy-counts",
    title,
    data,
    layout: baseLayout(title, {
      barmode: "group",
      xaxis: { title: { text: "what the system does" } },
      yaxis: logAxis
        ? { title: { text: "count per transfer (operations, log scale)" }, type: "log" }
        : { title: { text: "count per transfer (operations)" }, rangemode: "tozero" },
      legend: { title: { text: "data path" } },
    }),
    summary: records
      .map((r) => `${r.path}: ${r.cpuCopies} CPU + ${r.dmaCopies} DMA copies, ${r.modeSwitches} mode switches, ${r.syscalls} syscalls`)
      .join("\n"),
  };
}

