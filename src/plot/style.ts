// One colour per data path everywhere, so theory and measurement pair up by eye:
// the model is drawn dashed, the machine's measurement solid.

/** Colour of each data path or experiment path (model and measured names share colours). */
export const PATH_COLORS: Record<string, string> = {
  "read-write": "#d62728",
  "c-read-write": "#ff7f0e",
  stream: "#8c564b",
  "mmap-write": "#9467bd",
  sendfile: "#1f77b4",
  "sendfile-sg": "#17becf",
  splice: "#2ca02c",
  "recv-write": "#7f7f7f",
  "recv-write-fsync": "#bcbd22",
};

/** Colour for a path name, grey for anything unknown. */
export function pathColor(path: string): string {
  return PATH_COLORS[path] ?? "#7f7f7f";
}

/** Line style of model predictions. */
export const MODEL_LINE = { dash: "dash", width: 2 };
/** Line style of measurements. */
export const MEASURED_LINE = { dash: "solid", width: 3 };

/** Layout defaults every figure shares: readable font, legend on, room for the title. */
export function baseLayout(title: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    title: { text: title },
    showlegend: true,
    font: { family: "Helvetica, Arial, sans-serif", size: 13 },
    margin: { t: 60, r: 20, b: 60, l: 70 },
    height: 460,
    ...extra,
  };
}

/** A log axis marked as one ("throughput (MiB/s)" becomes "throughput (MiB/s, log scale)") with a tick per power of
 *  ten, so the minor ticks' digits do not crowd the labels. */
export function logAxis(title: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  const text = title.endsWith(")") ? `${title.slice(0, -1)}, log scale)` : `${title} (log scale)`;
  return { type: "log", title: { text }, dtick: 1, ...extra };
}

/** A horizontal legend under the plot: it never takes width from the plot nor gets cut at a narrow cell's edge. */
export function legendBelow(title?: string, y = -0.18): Record<string, unknown> {
  return { orientation: "h", x: 0, xanchor: "left", y, yanchor: "top", ...(title ? { title: { text: title } } : {}) };
}

/** How tables look in the report (notebook outputs carry the same rules inline): ruled cells, numbers right. */
export const TABLE_CSS = `
table.workbook-table { border-collapse: collapse; font-size: 13px; margin: 0.5em 0; }
table.workbook-table td, table.workbook-table th { border: 1px solid #ddd; padding: 4px 8px; text-align: left; vertical-align: top; }
table.workbook-table th { background: #f2f2f2; }
table.workbook-table td.num, table.workbook-table th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
table.workbook-table tr.marked td { background: #fbe9e9; }
.table-note { color: #555; font-size: 12px; margin: 0.2em 0 1em; }`;
