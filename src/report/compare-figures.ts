// Figures that put two result sets (two machines, two runs) side by side.
import type { Figure } from "../plot/figure";
import { baseLayout } from "../plot/style";
import type { SummaryRow } from "../chapters/chapter";

/** Grouped bars of one summary metric per path, one bar colour per result set. */
export function compareFigure(
  metric: "medianSeconds" | "cpuSecondsPerGiB",
  sets: { label: string; rows: SummaryRow[] }[],
): Figure {
  const unit = metric === "medianSeconds" ? "median wall time (s)" : "sender CPU per GiB (s)";
  const title = `${metric === "medianSeconds" ? "Transfer time" : "CPU per GiB"} by path: ${sets.map((s) => s.label).join(" vs ")}`;
  const palette = ["#1f77b4", "#ff7f0e", "#2ca02c"];
  return {
    id: `compare-${metric}`,
    title,
    data: sets.map((set, i) => ({
      type: "bar",
      name: set.label,
      x: set.rows.map((r) => r.path),
      y: set.rows.map((r) => r[metric] ?? null),
      marker: { color: palette[i % palette.length] },
    })),
    layout: baseLayout(title, {
      barmode: "group",
      xaxis: { title: { text: "data path" } },
      yaxis: { title: { text: unit }, rangemode: "tozero" },
      legend: { title: { text: "result set" } },
    }),
    summary: sets.map((s) => `${s.label}: ${s.rows.map((r) => `${r.path} ${r[metric]?.toFixed(3) ?? "-"}`).join(", ")}`).join("\n"),
  };
}
