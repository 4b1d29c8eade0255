// Chapter 2's figures: real transfers per path next to the cost model drawn from this machine's profile, and the
// IBM article's Table 1 as ratios. They draw the analysis's rows; the model's numbers arrive already computed.
import { Figure } from "../../plot/figure";
import { baseLayout, pathColor, logAxis, legendBelow, MODEL_LINE, MEASURED_LINE } from "../../plot/style";
import { modelBarMarker, measuredBarMarker } from "../../plot/bars";
import { IbmRow, ibmSaving, IBM_TABLE_1 } from "../../reference/ibm-zero-copy";
import type { PathRow, RatioPoint, ZeroCopyAnalysis } from "./analysis";
import { POST_CLAIMED_SAVING } from "../../reference/bytebytego-post";
import { TRANSFER_PATHS } from "../../vocabulary/transfer";

/** A legend entry that stands for a line style, not a path (the paths are named by their panels). */
function styleKey(name: string, line: Record<string, unknown>): Record<string, unknown> {
  return { type: "scatter", mode: "lines", name, x: [null], y: [null], line: { color: "#444444", ...line }, hoverinfo: "skip" };
}

/** Wall time against file size, one panel per path so no two paths' lines lie on top of each other: the median
 *  solid with its min-max, the model dashed, both in the path's colour; the same log axes in every panel. */
export function transferTimeFigure(a: ZeroCopyAnalysis): Figure {
  const paths = TRANSFER_PATHS.filter((p) => a.rows.some((r) => r.path === p));
  const columns = 3;
  const traces: Record<string, unknown>[] = [];
  const annotations: Record<string, unknown>[] = [];
  const axes: Record<string, unknown> = {};
  paths.forEach((path, i) => {
    const n = i + 1;
    const suffix = n === 1 ? "" : String(n);
    const rows = a.rows.filter((r) => r.path === path).sort((x, y) => x.bytes - y.bytes);
    const x = rows.map((r) => r.bytes / 1e6);
    const common = { xaxis: `x${suffix}`, yaxis: `y${suffix}`, showlegend: false, legendgroup: path };
    traces.push({
      ...common,
      type: "scatter",
      mode: "lines+markers",
      name: `${path} (measured)`,
      x,
      y: rows.map((r) => r.medianSeconds),
      error_y: { type: "data", symmetric: false, array: rows.map((r) => r.maxSeconds - r.medianSeconds), arrayminus: rows.map((r) => r.medianSeconds - r.minSeconds) },
      line: { color: pathColor(path), ...MEASURED_LINE },
    });
    traces.push({ ...common, type: "scatter", mode: "lines", name: `${path} (model)`, x, y: rows.map((r) => r.model.wallSeconds), line: { color: pathColor(path), ...MODEL_LINE } });
    annotations.push({ text: `<b>${path}</b>`, xref: `x${suffix} domain`, yref: `y${suffix} domain`, x: 0.02, y: 0.98, xanchor: "left", yanchor: "top", showarrow: false, font: { color: pathColor(path), size: 13 } });
    // the outer panels carry the axis titles; the inner ones share their scales and show only ticks (a title there
    // would sit on the previous panel's last points)
    const bottom = i + columns >= paths.length;
    const left = i % columns === 0;
    axes[`xaxis${suffix}`] = { ...logAxis("file size (MB)", bottom ? {} : { title: { text: "" } }), ...(n > 1 ? { matches: "x" } : {}) };
    axes[`yaxis${suffix}`] = { ...logAxis("wall time (s)", left ? {} : { title: { text: "" } }), ...(n > 1 ? { matches: "y" } : {}) };
  });
  const title = "Time to send a file over loopback TCP, one panel per path";
  return {
    id: "transfer-time",
    title,
    data: [styleKey("measured: median, bars min-max", MEASURED_LINE), styleKey(`${a.modelLabel} (two free cores)`, MODEL_LINE), ...traces],
    layout: baseLayout(title, {
      grid: { rows: Math.ceil(paths.length / columns), columns, pattern: "independent", xgap: 0.08, ygap: 0.2 },
      ...axes,
      annotations,
      height: 640,
      legend: legendBelow("line", -0.16),
      margin: { t: 70, r: 20, b: 130, l: 70 },
    }),
    summary: paths
      .map((path) => {
        const rows = a.rows.filter((r) => r.path === path).sort((x, y) => x.bytes - y.bytes);
        return `${path}: ${rows.map((r) => `${(r.bytes / 1e6).toFixed(0)} MB ${r.medianSeconds.toFixed(3)} s (model ${r.model.wallSeconds.toFixed(3)})`).join(", ")}`;
      })
      .join("\n"),
  };
}

/** Paired bars per path at the largest size: the machine (solid) and the model (hatched), on a log axis so the
 *  stream's tall bar leaves sendfile's readable. */
export function perGiBFigure(rows: PathRow[], metric: "cpu" | "syscalls", modelLabel: string): Figure {
  const measured = (r: PathRow) => (metric === "cpu" ? r.cpuSecondsPerGiB : r.syscallsPerGiB);
  const model = (r: PathRow) => (metric === "cpu" ? r.model.cpuSecondsPerGiB : r.model.syscallsPerGiB);
  const unit = metric === "cpu" ? "sender CPU, user + system (s per GiB)" : "system calls (per GiB)";
  const size = rows.length ? `${(rows[0].bytes / 1e6).toFixed(0)} MB` : "";
  const title = metric === "cpu" ? `Sender CPU per GiB at ${size}: machine and model` : `System calls per GiB at ${size}: machine and model`;
  const text = (v: number) => (metric === "cpu" ? v.toFixed(2) : Math.round(v).toLocaleString("en-US"));
  return {
    id: `per-gib-${metric}`,
    title,
    data: [
      {
        type: "bar", name: "this machine (measured median)", x: rows.map((r) => r.path), y: rows.map(measured),
        text: rows.map((r) => text(measured(r))), textposition: "outside", cliponaxis: false,
        marker: { ...measuredBarMarker("#444444"), color: rows.map((r) => pathColor(r.path)) },
      },
      {
        type: "bar", name: modelLabel, x: rows.map((r) => r.path), y: rows.map(model),
        text: rows.map((r) => text(model(r))), textposition: "outside", cliponaxis: false,
        marker: { ...modelBarMarker("#444444"), line: { color: rows.map((r) => pathColor(r.path)), width: 2 }, pattern: { shape: "/", fgcolor: rows.map((r) => pathColor(r.path)), solidity: 0.35 } },
      },
    ],
    layout: baseLayout(title, {
      barmode: "group",
      xaxis: { title: { text: "path" } },
      yaxis: logAxis(unit),
      legend: legendBelow("source"),
      margin: { t: 60, r: 20, b: 120, l: 80 },
      height: 480,
    }),
    summary: rows.map((r) => `${r.path}: ${text(measured(r))} measured, ${text(model(r))} model`).join("\n"),
  };
}

/** The IBM table's transferTo/traditional ratio, this machine's sendfile/read-write ratio and the model's, per size. */
export function ibmRatioFigure(ibm: readonly IbmRow[], machine: RatioPoint[], model: RatioPoint[], modelLabel: string, chunk: number): Figure {
  const title = "Zero-copy time as a fraction of the traditional copy";
  const line = (name: string, points: RatioPoint[], color: string, style: Record<string, unknown>) => ({
    type: "scatter",
    mode: "lines+markers",
    name,
    x: points.map((p) => p.bytes / 1e6),
    y: points.map((p) => p.ratio),
    error_y: points.some((p) => p.min !== undefined)
      ? { type: "data", symmetric: false, array: points.map((p) => (p.max ?? p.ratio) - p.ratio), arrayminus: points.map((p) => p.ratio - (p.min ?? p.ratio)) }
      : undefined,
    line: { color, ...style },
  });
  const ibmPoints = ibm.map((r) => ({ bytes: r.bytes, ratio: 1 - ibmSaving(r) }));
  const sizes = [...ibm.map((r) => r.bytes), ...machine.map((p) => p.bytes)];
  const post = 1 - POST_CLAIMED_SAVING;
  const kib = `${chunk / 1024} KiB`;
  return {
    id: "ibm-ratio",
    title,
    data: [
      line(`IBM Table 1: transferTo / ${kib} copy (published)`, ibmPoints, "#555555", { dash: "dot", width: 2 }),
      line(`this machine: sendfile / ${kib} read+write (measured; bars: extremes)`, machine, pathColor("sendfile"), MEASURED_LINE),
      line(`${modelLabel}: sendfile / ${kib} read+write`, model, pathColor("sendfile"), MODEL_LINE),
      {
        type: "scatter",
        mode: "lines",
        name: "ByteByteGo's post: \"approximately 65%\" less time",
        x: [Math.min(...sizes) / 1e6, Math.max(...sizes) / 1e6],
        y: [post, post],
        line: { color: "#d62728", dash: "dashdot", width: 1.5 },
      },
    ],
    layout: baseLayout(title, {
      xaxis: logAxis("file size (MB)"),
      yaxis: { title: { text: "zero-copy time / traditional time (1 = no gain)" }, rangemode: "tozero" },
      shapes: [{ type: "line", xref: "paper", x0: 0, x1: 1, y0: 1, y1: 1, line: { color: "#999999", width: 1 } }],
      legend: legendBelow("source"),
      margin: { t: 60, r: 20, b: 140, l: 70 },
      height: 520,
    }),
    summary: `IBM ratios ${ibmPoints.map((p) => p.ratio.toFixed(2)).join(", ")}; this machine ${machine.map((p) => p.ratio.toFixed(2)).join(", ")}; model ${model.map((p) => p.ratio.toFixed(2)).join(", ")}`,
  };
}

/** Every chapter-2 figure of an analysed study, in reading order. */
export function zeroCopyFigures(a: ZeroCopyAnalysis): Figure[] {
  return [
    transferTimeFigure(a),
    perGiBFigure(a.largest, "cpu", a.modelLabel),
    perGiBFigure(a.largest, "syscalls", a.modelLabel),
    ibmRatioFigure(IBM_TABLE_1, a.ratios, a.modelRatios, a.modelLabel, a.chunk),
  ];
}
