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
