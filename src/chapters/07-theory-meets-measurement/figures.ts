// Chapter 7's figures and tables: the parity plot and the residuals beside this machine's own noise, for wall time,
// sender CPU and system calls; the model's terms per path; the profile's parameters. They draw the analysis.
import type { Figure } from "../../plot/figure";
import type { Table } from "../../plot/table";
import { baseLayout, pathColor, logAxis, legendBelow } from "../../plot/style";
import { modelBarMarker } from "../../plot/bars";
import { FIT_METRICS, FitMetric, FitRow, FIT_TARGET } from "../../calibration/fit-table";
import type { TermKind } from "../../model/cost/transfer";
import { TRANSFER_PATHS as LOOPBACK_PATHS } from "../../vocabulary/transfer";
import { PredictionAnalysis, sizeLabel, parameterRows } from "./analysis";
import type { MachineProfile } from "../../calibration/profile-record";
import { profileLabel } from "../../calibration/profile-source";

/** How each judged figure is named and printed. */
const METRIC: Record<FitMetric, { label: string; unit: string; digits: (v: number) => string }> = {
  wallSeconds: { label: "wall time", unit: "s", digits: (v) => (v < 0.1 ? v.toFixed(4) : v.toFixed(3)) },
  senderCpuSecondsPerGiB: { label: "sender CPU per GiB", unit: "s/GiB", digits: (v) => v.toFixed(2) },
  syscallsPerGiB: { label: "system calls per GiB", unit: "calls/GiB", digits: (v) => Math.round(v).toLocaleString("en-US") },
};

/** One marker shape per size (the paths have the colours): at most four sizes in any plan. */
const SIZE_SYMBOLS = ["circle", "square", "diamond", "triangle-up", "x"];

const pct = (x: number) => `${x >= 0 ? "+" : "−"}${Math.abs(x * 100).toFixed(0)}%`;

/** The paths present, in the experiment's order. */
function pathsOf(rows: readonly FitRow[]): string[] {
  return LOOPBACK_PATHS.filter((p) => rows.some((r) => r.path === p));
}

/** The sizes present, smallest first. */
function sizesOf(rows: readonly FitRow[]): number[] {
  return [...new Set(rows.map((r) => r.bytes))].sort((a, b) => a - b);
}

/** A legend entry for a marker shape (a size), not a path. */
function symbolKey(name: string, symbol: string): Record<string, unknown> {
  return { type: "scatter", mode: "markers", name, x: [null], y: [null], marker: { color: "#444444", symbol, size: 9 }, hoverinfo: "skip" };
}

/**
 * Predicted against measured, one panel per judged figure (wall time, sender CPU per GiB, system calls per GiB), log
 * axes: a point per path (colour) and size (shape), its horizontal bar the range of the batch medians. The diagonal
 * is a perfect model; the dotted lines the target's band. No text on the points: the hover names them.
 */
export function parityFigure(a: PredictionAnalysis): Figure {
  const paths = pathsOf(a.rows);
  const sizes = sizesOf(a.rows);
  const data: Record<string, unknown>[] = [];
  const shapes: Record<string, unknown>[] = [];
  FIT_METRICS.forEach((metric, m) => {
    const suffix = m === 0 ? "" : String(m + 1);
    const cells = a.rows.map((r) => r.cells[metric]);
    const values = cells.flatMap((c) => [...c.batchMedians, c.predicted]).filter((v) => v > 0);
    const lo = Math.min(...values) / 1.5;
    const hi = Math.max(...values) * 1.5;
    const band = FIT_TARGET.medianAbsResidual[metric];
    for (const [factor, dash] of [[1, "dash"], [1 + band, "dot"], [1 - band, "dot"]] as const) {
      shapes.push({ type: "line", xref: `x${suffix}`, yref: `y${suffix}`, x0: lo, x1: hi, y0: lo * factor, y1: hi * factor, line: { color: "#777777", width: 1, dash } });
    }
    for (const path of paths) {
      const mine = a.rows.filter((r) => r.path === path).sort((x, y) => x.bytes - y.bytes);
      data.push({
        type: "scatter",
        mode: "markers",
        name: path,
        legendgroup: path,
        showlegend: m === 0,
        xaxis: `x${suffix}`,
        yaxis: `y${suffix}`,
        x: mine.map((r) => r.cells[metric].measured),
        y: mine.map((r) => r.cells[metric].predicted),
        error_x: {
          type: "data",
          symmetric: false,
          array: mine.map((r) => Math.max(...r.cells[metric].batchMedians) - r.cells[metric].measured),
          arrayminus: mine.map((r) => r.cells[metric].measured - Math.min(...r.cells[metric].batchMedians)),
          color: pathColor(path),
          thickness: 1.5,
        },
        marker: { color: pathColor(path), size: 10, symbol: mine.map((r) => SIZE_SYMBOLS[sizes.indexOf(r.bytes)]), line: { color: "#ffffff", width: 1 } },
        text: mine.map((r) => `${path}, ${sizeLabel(r.bytes)}: residual ${pct(r.cells[metric].residual)}, machine's spread ${(r.cells[metric].spread * 100).toFixed(0)}%`),
        hovertemplate: "%{text}<br>measured %{x:.4g}<br>model %{y:.4g}<extra></extra>",
      });
    }
  });
  const axes: Record<string, unknown> = {};
  const annotations: Record<string, unknown>[] = [];
  FIT_METRICS.forEach((metric, m) => {
    const suffix = m === 0 ? "" : String(m + 1);
    axes[`xaxis${suffix}`] = logAxis(`machine (${METRIC[metric].unit})`);
    axes[`yaxis${suffix}`] = logAxis(`model (${METRIC[metric].unit})`);
    annotations.push({ text: `<b>${METRIC[metric].label}</b>`, xref: `x${suffix} domain`, yref: `y${suffix} domain`, x: 0.5, y: 1.02, xanchor: "center", yanchor: "bottom", showarrow: false });
  });
  annotations.push({ text: "dashed: model = machine · dotted: the target's band · bars: the range of the batch medians", xref: "paper", yref: "paper", x: 0, y: -0.42, xanchor: "left", yanchor: "top", showarrow: false, font: { size: 11, color: "#555555" } });
  const title = `Model against machine over ${a.batches} batches (${a.profileLabel})`;
  return {
    id: "prediction-parity",
    title,
    data: [...data, ...sizes.map((b, i) => symbolKey(sizeLabel(b), SIZE_SYMBOLS[i]))],
    layout: baseLayout(title, {
      grid: { rows: 1, columns: FIT_METRICS.length, pattern: "independent", xgap: 0.14 },
      ...axes,
      shapes,
      annotations,
      legend: legendBelow("path, size", -0.25),
      height: 520,
      margin: { t: 80, r: 20, b: 160, l: 70 },
    }),
    summary: FIT_METRICS.map((metric) => `${METRIC[metric].label}: ${a.rows.map((r) => `${r.path} ${sizeLabel(r.bytes)} ${pct(r.cells[metric].residual)}`).join(", ")}`).join("\n"),
  };
}

/**
 * The residual of every row (a marker in the path's colour) beside the machine's own noise for that row (the grey
 * bar: ± the spread of its batch medians), one panel per judged figure. A marker outside its bar is a miss that is
 * the model's; inside, the machine moved that much between batches by itself.
 */
export function residualNoiseFigure(a: PredictionAnalysis): Figure {
  const sorted = [...a.rows].sort((x, y) => LOOPBACK_PATHS.indexOf(x.path) - LOOPBACK_PATHS.indexOf(y.path) || x.bytes - y.bytes);
  const categories = sorted.map((r) => `${r.path} ${sizeLabel(r.bytes)}`);
  const data: Record<string, unknown>[] = [];
  FIT_METRICS.forEach((metric, m) => {
    const suffix = m === 0 ? "" : String(m + 1);
    data.push({
      type: "bar",
      name: "this machine's noise: ± the spread of the row's batch medians",
      legendgroup: "noise",
      showlegend: m === 0,
      xaxis: `x${suffix}`,
      yaxis: `y${suffix}`,
      x: categories,
      base: sorted.map((r) => -r.cells[metric].spread * 100),
      y: sorted.map((r) => 2 * r.cells[metric].spread * 100),
      marker: { color: "#d9d9d9", line: { color: "#bdbdbd", width: 1 } },
      width: 0.6,
      hovertemplate: "spread ±%{customdata:.0f}%<extra></extra>",
      customdata: sorted.map((r) => r.cells[metric].spread * 100),
    });
    for (const path of pathsOf(sorted)) {
      const mine = sorted.map((r, i) => ({ r, i })).filter(({ r }) => r.path === path);
      data.push({
        type: "scatter",
        mode: "markers",
        name: `${path}: model residual`,
        legendgroup: path,
        showlegend: m === 0,
        xaxis: `x${suffix}`,
        yaxis: `y${suffix}`,
        x: mine.map(({ i }) => categories[i]),
        y: mine.map(({ r }) => r.cells[metric].residual * 100),
        marker: { color: pathColor(path), size: 11, symbol: "diamond", line: { color: "#ffffff", width: 1 } },
        hovertemplate: "%{x}: %{y:.0f}%<extra></extra>",
      });
    }
  });
  const axes: Record<string, unknown> = {};
  const annotations: Record<string, unknown>[] = [];
  FIT_METRICS.forEach((metric, m) => {
    const suffix = m === 0 ? "" : String(m + 1);
    const bottom = m === FIT_METRICS.length - 1;
    // one category axis for all three panels: only the bottom one prints the labels and the title
    axes[`xaxis${suffix}`] = { ...(bottom ? { title: { text: "path and size" } } : {}), showticklabels: bottom, tickangle: -40, ...(m > 0 ? { matches: "x" } : {}) };
    axes[`yaxis${suffix}`] = { title: { text: "residual (%)" }, zeroline: true, zerolinecolor: "#555555" };
    annotations.push({ text: `<b>${METRIC[metric].label}</b>`, xref: `x${suffix} domain`, yref: `y${suffix} domain`, x: 0, y: 1.0, xanchor: "left", yanchor: "bottom", showarrow: false });
  });
  const title = `Residuals (model / machine − 1) beside this machine's own batch-to-batch noise, ${a.batches} batches`;
  return {
    id: "prediction-residuals",
    title,
    data,
    layout: baseLayout(title, {
      grid: { rows: FIT_METRICS.length, columns: 1, pattern: "independent", roworder: "top to bottom", ygap: 0.14 },
      ...axes,
      annotations,
      barmode: "overlay",
      legend: legendBelow(undefined, -0.2),
      height: 820,
      margin: { t: 60, r: 20, b: 200, l: 80 },
    }),
    summary: a.noise.map((n) => `${METRIC[n.metric].label}: ${n.withinSpread} of ${n.rows} rows within their own spread`).join("\n"),
  };
}

/** The kinds of work, in the order they stack, and their colours (six: one legend a reader can tell apart). */
const KINDS: { kind: TermKind; label: string; color: string }[] = [
  { kind: "copy", label: "CPU copies", color: "#4e79a7" },
  { kind: "tcp", label: "loopback TCP (delivery included on the sender)", color: "#f28e2b" },
  { kind: "syscall", label: "system calls", color: "#59a14f" },
  { kind: "node", label: "Node's JavaScript per chunk", color: "#e15759" },
  { kind: "fault", label: "page faults of a growing heap", color: "#b07aa1" },
  { kind: "checksum", label: "the receiver's CRC-32", color: "#9c755f" },
];

/** Where the time goes in the model: each path's sender and receiver as stacked bars of their kinds of work, at the
 *  largest size; the taller bar of a pair is the predicted wall time on two free cores. */
export function breakdownFigure(a: PredictionAnalysis): Figure {
  const x = a.breakdown.flatMap((t) => [`${t.path}<br>sender`, `${t.path}<br>receiver`]);
  const data = KINDS.map(({ kind, label, color }) => ({
    type: "bar",
    name: `${label} (model)`,
    x,
    y: a.breakdown.flatMap((t) => [t.sender, t.receiver].map((side) => side.terms.filter((term) => term.kind === kind).reduce((s, term) => s + term.seconds, 0) * 1000)),
    marker: modelBarMarker(color),
    hovertemplate: `${label}: %{y:.1f} ms<extra></extra>`,
  }));
  const bytes = a.breakdown[0]?.bytes ?? 0;
  const title = `Where the time goes in the model: ${sizeLabel(bytes)} on each path, sender and receiver`;
  return {
    id: "prediction-breakdown",
    title,
    data,
    layout: baseLayout(title, {
      barmode: "stack",
      xaxis: { title: { text: "path and side (the two run at once: the taller bar is the time)" }, tickangle: 0 },
      yaxis: { title: { text: "CPU time on that side (ms)" } },
      legend: legendBelow("kind of work"),
      height: 520,
      margin: { t: 60, r: 20, b: 150, l: 70 },
    }),
    summary: a.breakdown.map((t) => `${t.path}: sender ${(t.sender.cpuSeconds * 1000).toFixed(1)} ms, receiver ${(t.receiver.cpuSeconds * 1000).toFixed(1)} ms -> ${(t.wallSeconds * 1000).toFixed(1)} ms (${t.bottleneck})`).join("\n"),
  };
}

/** The profile's parameters: value, spread of its benchmark, meaning, micro-benchmark. */
export function parameterTable(profile: MachineProfile): Table {
  const parameters = parameterRows(profile);
  return {
    id: "profile-parameters",
    caption: `The machine profile: ${parameters.length} parameters, each from its own micro-benchmark (${profileLabel(profile).replace(/^model, /, "")})`,
    columns: ["parameter", "value", "spread", "what it is", "measured by"],
    rows: parameters.map((p) => [
      `\`${p.name}\``,
      p.value + (p.zeroed ? " *" : ""),
      Number.isFinite(p.spread) ? `${(p.spread * 100).toFixed(0)}%` : "read",
      p.meaning,
      p.benchmark,
    ]),
    numeric: [1, 2],
    note: "spread = (max − min) / median of the repetitions of the benchmark the parameter inherits most from; \"read\" = read from /proc, not timed; * = measured below 0 within its benchmarks' noise, set to 0.",
  };
}

/** The fit over the batches, row by row: typical measured figure, model, residual and the row's own spread. */
export function fitTable(a: PredictionAnalysis): Table {
  const cell = (r: FitRow, metric: FitMetric) => {
    const c = r.cells[metric];
    return [METRIC[metric].digits(c.measured), METRIC[metric].digits(c.predicted), pct(c.residual) + (c.withinSpread ? "" : " *"), `±${(c.spread * 100).toFixed(0)}%`];
  };
  const sorted = [...a.rows].sort((x, y) => x.bytes - y.bytes || LOOPBACK_PATHS.indexOf(x.path) - LOOPBACK_PATHS.indexOf(y.path));
  return {
    id: "prediction-fit",
    caption: `Model beside machine over ${a.batches} batches (machine: the median of the batch medians)`,
    columns: ["size", "path", "wall s", "model", "resid.", "noise", "CPU-s/GiB", "model", "resid.", "noise", "calls/GiB", "model", "resid.", "noise"],
    rows: sorted.map((r) => [sizeLabel(r.bytes), r.path, ...cell(r, "wallSeconds"), ...cell(r, "senderCpuSecondsPerGiB"), ...cell(r, "syscallsPerGiB")]),
    numeric: [2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13],
    note: "resid. = model / machine − 1; noise = ± the spread of the row's batch medians ((max − min) / median); * = a residual larger than the row's own noise.",
  };
}

/** The zero-copy ratio per size: the machine's and the model's. */
export function ratioTable(a: PredictionAnalysis): Table {
  return {
    id: "prediction-ratio",
    caption: "sendfile's wall time over the JavaScript read+write loop's, per size",
    columns: ["size", "machine", "model", "same answer?"],
    rows: a.ratios.map((r) => [sizeLabel(r.bytes), r.measured.toFixed(2), r.predicted.toFixed(2), r.agrees ? "yes" : "no"]),
    numeric: [1, 2],
    marked: a.ratios.flatMap((r, i) => (r.agrees ? [] : [i])),
  };
}

/** Every batch's median of every row: the raw figures the fit is made of (for a collapsed details block). */
export function batchMediansTable(a: PredictionAnalysis, metric: FitMetric): Table {
  const sorted = [...a.rows].sort((x, y) => x.bytes - y.bytes || LOOPBACK_PATHS.indexOf(x.path) - LOOPBACK_PATHS.indexOf(y.path));
  return {
    id: `batch-medians-${metric}`,
    caption: `${METRIC[metric].label} (${METRIC[metric].unit}), each batch's median`,
    columns: ["size", "path", ...Array.from({ length: a.batches }, (_, i) => `batch ${i + 1}`), "model"],
    rows: sorted.map((r) => [sizeLabel(r.bytes), r.path, ...Array.from({ length: a.batches }, (_, i) => (r.cells[metric].batchMedians[i] === undefined ? "-" : METRIC[metric].digits(r.cells[metric].batchMedians[i]))), METRIC[metric].digits(r.cells[metric].predicted)]),
    numeric: Array.from({ length: a.batches + 1 }, (_, i) => i + 2),
  };
}

/** The load around each experiment, and the cores the model assumed the pair had. */
export function conditionsTable(a: PredictionAnalysis): Table {
  return {
    id: "prediction-conditions",
    caption: "The machine around each experiment",
    columns: ["batch", "size", "load average", "cores others kept busy", "cores the model assumed free"],
    rows: a.conditions.map((c) => [String(c.batch), sizeLabel(c.bytes), c.loadAverage.toFixed(2), c.backgroundCores.toFixed(2), c.freeCores.toFixed(2)]),
    numeric: [2, 3, 4],
    note: "Others' load from /proc/stat around each experiment, net of the experiment's own processes; the model shares the remaining cores between sender and receiver.",
  };
}

/** Every chapter-7 figure, in reading order. */
export function predictionFigures(a: PredictionAnalysis): Figure[] {
  return [parityFigure(a), residualNoiseFigure(a), breakdownFigure(a)];
}
