// Theory meets measurement: the calibrated model's predicted transfer time against the measured median
// (a parity plot), the residuals by path and size, and time against size with the model dashed.
import { Figure } from "../../plot/figure";
import { baseLayout, pathColor, MODEL_LINE, MEASURED_LINE } from "../../plot/style";
import type { PredictionRow } from "./analysis";
import type { TransferCost } from "../../model/calibrated-transfer";
import { MiB } from "../../units/sizes";


/** The paths of the rows, in first-seen order. */
function pathsOf(rows: readonly PredictionRow[]): string[] {
  return [...new Set(rows.map((r) => r.path))];
}

/** A row's size as a label: "64 MiB". */
function sizeLabel(bytes: number): string {
  return bytes >= 1024 * MiB ? `${bytes / (1024 * MiB)} GiB` : `${bytes / MiB} MiB`;
}

/** Signed percentage with one decimal. */
function pct(x: number): string {
  return `${x >= 0 ? "+" : ""}${(x * 100).toFixed(1)}%`;
}

/** Parity plot: measured median (x, min-max bars) against predicted (y), one colour per path, log-log, y = x dashed
 *  and the ±`band` tolerance dotted; the basic model's predictions as open markers. Notebook and report. */
export function predictionParityFigure(rows: readonly PredictionRow[], band = 0.15): Figure {
  const sorted = [...rows].sort((a, b) => a.bytes - b.bytes);
  const traces = pathsOf(rows).flatMap((path) => {
    const mine = sorted.filter((r) => r.path === path);
    const measured = mine.map((r) => r.measuredMedianSeconds);
    const errors = {
      type: "data",
      symmetric: false,
      array: mine.map((r) => r.measuredMax - r.measuredMedianSeconds),
      arrayminus: mine.map((r) => r.measuredMedianSeconds - r.measuredMin),
    };
    return [
      {
        type: "scatter",
        mode: "markers+text",
        name: `${path}: calibrated model`,
        legendgroup: path,
        x: measured,
        y: mine.map((r) => r.predictedSeconds),
        error_x: { ...errors, color: pathColor(path) },
        text: mine.map((r) => sizeLabel(r.bytes)),
        textposition: "top left",
        textfont: { size: 10, color: pathColor(path) },
        marker: { color: pathColor(path), size: 10, symbol: "circle" },
        hovertemplate: `${path}<br>%{text}<br>measured %{x:.4f} s<br>predicted %{y:.4f} s<extra></extra>`,
      },
      {
        type: "scatter",
        mode: "markers",
        name: `${path}: basic model (modelTime)`,
        legendgroup: path,
        visible: "legendonly",
        x: measured,
        y: mine.map((r) => r.basicPredictedSeconds),
        marker: { color: pathColor(path), size: 9, symbol: "circle-open", line: { width: 2 } },
        hovertemplate: `${path} basic model<br>measured %{x:.4f} s<br>predicted %{y:.4f} s<extra></extra>`,
      },
    ];
  });
  const all = rows.flatMap((r) => [r.measuredMin, r.measuredMax, r.predictedSeconds]).filter((v) => v > 0);
  const lo = Math.min(...all) / 1.5;
  const hi = Math.max(...all) * 1.5;
  const diagonal = (factor: number, name: string, dash: string, show: boolean) => ({
    type: "scatter",
    mode: "lines",
    name,
    showlegend: show,
    x: [lo, hi],
    y: [lo * factor, hi * factor],
    line: { color: "#555555", width: 1, dash },
    hoverinfo: "skip",
  });
  const title = "Predicted vs measured transfer time (parity plot)";
  const within = rows.filter((r) => Math.abs(r.residual) <= band).length;
  return {
    id: "prediction-parity",
    title,
    data: [
      diagonal(1, "predicted = measured", MODEL_LINE.dash, true),
      diagonal(1 + band, `±${band * 100}%`, "dot", true),
      diagonal(1 - band, `-${band * 100}%`, "dot", false),
      ...traces,
    ],
    layout: baseLayout(title, {
      xaxis: { title: { text: "measured median wall time (s, log scale; bars: min-max)" }, type: "log" },
      yaxis: { title: { text: "predicted wall time (s, log scale)" }, type: "log", scaleanchor: "x" },
      legend: { title: { text: "path" } },
      height: 560,
    }),
    summary: `${within} of ${rows.length} predictions within ±${band * 100}% of the measured median; ` + worstSummary(rows),
  };
}

/** "worst: <path> <size> +x%" for summaries. */
function worstSummary(rows: readonly PredictionRow[]): string {
  if (rows.length === 0) return "no rows";
  const worst = rows.reduce((a, b) => (Math.abs(b.residual) > Math.abs(a.residual) ? b : a));
  return `largest residual ${worst.path} ${sizeLabel(worst.bytes)} ${pct(worst.residual)}`;
}

/** Residuals by path and size: (predicted - measured) / measured for wall time (solid) and sender CPU (dotted),
 *  x = file size on a log axis, the ±`band` target shaded. Notebook and report. */
export function predictionResidualFigure(rows: readonly PredictionRow[], band = 0.15): Figure {
  const sorted = [...rows].sort((a, b) => a.bytes - b.bytes);
  const data = pathsOf(rows).flatMap((path) => {
    const mine = sorted.filter((r) => r.path === path);
    const x = mine.map((r) => r.bytes / MiB);
    return [
      {
        type: "scatter",
        mode: "lines+markers",
        name: `${path}: wall time`,
        legendgroup: path,
        x,
        y: mine.map((r) => r.residual * 100),
        line: { color: pathColor(path), ...MEASURED_LINE },
        marker: { size: 8 },
      },
      {
        type: "scatter",
        mode: "lines+markers",
        name: `${path}: sender CPU`,
        legendgroup: path,
        x,
        y: mine.map((r) => r.cpuResidual * 100),
        line: { color: pathColor(path), width: 2, dash: "dot" },
        marker: { size: 6, symbol: "diamond" },
      },
    ];
  });
  const title = "Residuals of the calibrated model, by path and file size";
  return {
    id: "prediction-residuals",
    title,
    data,
    layout: baseLayout(title, {
      xaxis: { title: { text: "file size (MiB, log scale)" }, type: "log" },
      yaxis: { title: { text: "residual: (predicted − measured) / measured (%)" }, zeroline: true },
      shapes: [{ type: "rect", xref: "paper", x0: 0, x1: 1, y0: -band * 100, y1: band * 100, fillcolor: "#2ca02c", opacity: 0.08, line: { width: 0 } }],
      legend: { title: { text: "path: quantity" } },
    }),
    summary: pathsOf(rows)
      .map((path) => `${path}: ${sorted.filter((r) => r.path === path).map((r) => `${sizeLabel(r.bytes)} ${pct(r.residual)} (CPU ${pct(r.cpuResidual)})`).join(", ")}`)
      .join("\n"),
  };
}

/** Wall time against file size: measured medians solid with min-max bars, the calibrated model dashed. */
export function predictionTimeFigure(rows: readonly PredictionRow[]): Figure {
  const sorted = [...rows].sort((a, b) => a.bytes - b.bytes);
  const data = pathsOf(rows).flatMap((path) => {
    const mine = sorted.filter((r) => r.path === path);
    const x = mine.map((r) => r.bytes / MiB);
    return [
      {
        type: "scatter",
        mode: "lines+markers",
        name: `${path} (measured)`,
        legendgroup: path,
        x,
        y: mine.map((r) => r.measuredMedianSeconds),
        error_y: { type: "data", symmetric: false, array: mine.map((r) => r.measuredMax - r.measuredMedianSeconds), arrayminus: mine.map((r) => r.measuredMedianSeconds - r.measuredMin) },
        line: { color: pathColor(path), ...MEASURED_LINE },
      },
      {
        type: "scatter",
        mode: "lines",
        name: `${path} (calibrated model)`,
        legendgroup: path,
        x,
        y: mine.map((r) => r.predictedSeconds),
        line: { color: pathColor(path), ...MODEL_LINE },
      },
    ];
  });
  const title = "Transfer time over loopback: calibrated model (dashed) and measurement (solid)";
  return {
    id: "prediction-time",
    title,
    data,
    layout: baseLayout(title, {
      xaxis: { title: { text: "file size (MiB, log scale)" }, type: "log" },
      yaxis: { title: { text: "wall time (s, log scale)" }, type: "log" },
      legend: { title: { text: "path" } },
    }),
    summary: worstSummary(rows),
  };
}

/** Where the time goes, per path: the calibrated model's terms as stacked bars, one bar for the sender's chain
 *  and one for the receiver's; the taller bar of each pair is the predicted wall time (pipelined, full share). */
export function predictionBreakdownFigure(costs: readonly TransferCost[]): Figure {
  const names = [...new Set(costs.flatMap((c) => c.terms.map((t) => t.name)))];
  const x = costs.flatMap((c) => [`${c.path} · sender`, `${c.path} · receiver`]);
  const palette = ["#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1", "#ff9da7", "#9c755f", "#bab0ac", "#86bcb6", "#d37295"];
  const data = names.map((name, i) => ({
    type: "bar",
    name,
    x,
    y: costs.flatMap((c) => {
      const term = c.terms.filter((t) => t.name === name);
      const seconds = term.reduce((s, t) => s + t.busySeconds, 0) * 1000;
      return term[0]?.side === "receiver" ? [0, seconds] : [seconds, 0];
    }),
    marker: { color: palette[i % palette.length] },
    hovertemplate: `${name}<br>%{y:.2f} ms<extra></extra>`,
  }));
  const bytes = costs[0]?.bytes ?? 0;
  const title = `Where the time goes: the calibrated model's terms, ${sizeLabel(bytes)} over loopback`;
  return {
    id: "prediction-breakdown",
    title,
    data,
    layout: baseLayout(title, {
      barmode: "stack",
      xaxis: { title: { text: "path · side (sender and receiver run concurrently: the taller bar sets the time)" }, tickangle: -30 },
      yaxis: { title: { text: "time on that side's critical path (ms)" } },
      legend: { title: { text: "cost term" } },
      height: 560,
      margin: { t: 60, r: 20, b: 140, l: 70 },
    }),
    summary: costs
      .map((c) => `${c.path}: sender ${(c.senderBusySeconds * 1000).toFixed(1)} ms, receiver ${(c.receiverSeconds * 1000).toFixed(1)} ms -> ${(c.pipelinedSeconds * 1000).toFixed(1)} ms`)
      .join("\n"),
  };
}
