// Chapter 2's figures: real transfers per path next to the model, and the IBM article's Table 1 as ratios.
// They draw the analysis's rows; the model's numbers arrive already computed.
import { Figure } from "../../plot/figure";
import { baseLayout, pathColor, MODEL_LINE, MEASURED_LINE } from "../../plot/style";
import type { TransferResult } from "../../experiments/transfer-records";
import { IbmRow, ibmSaving, IBM_TABLE_1 } from "../../reference/ibm-zero-copy";
import type { PerGiBRow, RatioPoint, ZeroCopyAnalysis } from "./analysis";
import { POST_CLAIMED_SAVING } from "../../reference/bytebytego-post";


/** Median wall time against file size, one solid line per path with min-max bars; the model dashed. */
export function transferTimeFigure(results: TransferResult[], model: { path: string; bytes: number; seconds: number }[] = [], modelLabel = "model"): Figure {
  const paths = [...new Set(results.flatMap((r) => r.summaries.map((s) => s.path)))];
  const measured = paths.map((path) => {
    const points = results
      .map((r) => ({ bytes: r.conditions.bytes, s: r.summaries.find((s) => s.path === path)?.metrics.wallSeconds }))
      .filter((p) => p.s)
      .sort((a, b) => a.bytes - b.bytes);
    return {
      type: "scatter",
      mode: "lines+markers",
      name: `${path} (measured)`,
      legendgroup: path,
      x: points.map((p) => p.bytes / 1e6),
      y: points.map((p) => p.s!.median),
      error_y: { type: "data", symmetric: false, array: points.map((p) => p.s!.max - p.s!.median), arrayminus: points.map((p) => p.s!.median - p.s!.min) },
      line: { color: pathColor(path), ...MEASURED_LINE },
    };
  });
  const modelPaths = [...new Set(model.map((m) => m.path))];
  const modelled = modelPaths.map((path) => {
    const points = model.filter((m) => m.path === path).sort((a, b) => a.bytes - b.bytes);
    return {
      type: "scatter",
      mode: "lines",
      name: `${path} (${modelLabel})`,
      legendgroup: path,
      x: points.map((p) => p.bytes / 1e6),
      y: points.map((p) => p.seconds),
      line: { color: pathColor(path), ...MODEL_LINE },
    };
  });
  const title = "Time to send a file over loopback TCP, by path";
  return {
    id: "transfer-time",
    title,
    data: [...measured, ...modelled],
    layout: baseLayout(title, {
      xaxis: { title: { text: "file size (MB, log scale)" }, type: "log" },
      yaxis: { title: { text: "wall time, median with min-max (s, log scale)" }, type: "log" },
      legend: { title: { text: "path" } },
    }),
    summary: measured.map((t) => `${t.name}: ${t.y.map((v) => v.toFixed(3)).join(", ")} s`).join("\n"),
  };
}

/** Paired bars per path: the machine (solid) and the model (hatched) for one per-GiB metric. */
export function perGiBFigure(rows: PerGiBRow[], metric: "cpu" | "syscalls"): Figure {
  const measuredKey = metric === "cpu" ? "cpuSecondsPerGiB" : "syscallsPerGiB";
  const modelKey = metric === "cpu" ? "modelCpuSecondsPerGiB" : "modelSyscallsPerGiB";
  const unit = metric === "cpu" ? "sender CPU, user + system (s per GiB)" : "syscalls per GiB (log scale)";
  const title = metric === "cpu" ? "Sender CPU per GiB: machine vs model" : "Syscalls per GiB: machine vs model";
  const bar = (name: string, key: keyof PerGiBRow, hatched: boolean) => ({
    type: "bar",
    name,
    x: rows.map((r) => r.path),
    y: rows.map((r) => r[key] as number),
    marker: {
      color: rows.map((r) => pathColor(r.path)),
      opacity: hatched ? 0.45 : 1,
      pattern: hatched ? { shape: "/", solidity: 0.5 } : undefined,
      line: { color: rows.map((r) => pathColor(r.path)), width: 1.5 },
    },
  });
  return {
    id: `per-gib-${metric}`,
    title,
    data: [bar("machine (measured median)", measuredKey, false), bar("model", modelKey, true)],
    layout: baseLayout(title, {
      barmode: "group",
      xaxis: { title: { text: "path" } },
      yaxis: metric === "cpu" ? { title: { text: unit }, rangemode: "tozero" } : { title: { text: unit }, type: "log" },
      legend: { title: { text: "source" } },
    }),
    summary: rows.map((r) => `${r.path}: ${Number(r[measuredKey]).toPrecision(3)} measured, ${Number(r[modelKey]).toPrecision(3)} model`).join("\n"),
  };
}

/** The IBM table's transferTo/traditional ratio, this machine's sendfile/read-write ratio and the model's, per size. */
export function ibmRatioFigure(ibm: readonly IbmRow[], machine: RatioPoint[], model: RatioPoint[]): Figure {
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
  const seed = { bytes: 0, ratio: 1 - POST_CLAIMED_SAVING };
  return {
    id: "ibm-ratio",
    title,
    data: [
      line("IBM Table 1: transferTo / 4 KiB copy (published)", ibmPoints, "#555555", { dash: "dot", width: 2 }),
      line("this machine: sendfile / 4 KiB read+write (measured)", machine, pathColor("sendfile"), MEASURED_LINE),
      line("model: sendfile-sg / 4 KiB read+write", model, pathColor("sendfile"), MODEL_LINE),
      {
        type: "scatter",
        mode: "lines",
        name: "ByteByteGo's post: \"approximately 65%\" less time",
        x: [Math.min(...sizes) / 1e6, Math.max(...sizes) / 1e6],
        y: [seed.ratio, seed.ratio],
        line: { color: "#d62728", dash: "dashdot", width: 1.5 },
      },
    ],
    layout: baseLayout(title, {
      xaxis: { title: { text: "file size (MB, log scale)" }, type: "log" },
      yaxis: { title: { text: "zero-copy time / traditional time (1 = no gain)" }, rangemode: "tozero" },
      legend: { title: { text: "source" } },
    }),
    summary: `IBM ratios ${ibmPoints.map((p) => p.ratio.toFixed(2)).join(", ")}; this machine ${machine.map((p) => p.ratio.toFixed(2)).join(", ")}`,
  };
}


/** Every chapter-2 figure of an analysed study, in reading order. */
export function zeroCopyFigures(analysis: ZeroCopyAnalysis): Figure[] {
  return [
    transferTimeFigure(analysis.results, analysis.modelPoints, analysis.modelLabel),
    perGiBFigure(analysis.rows, "cpu"),
    perGiBFigure(analysis.rows, "syscalls"),
    ibmRatioFigure(IBM_TABLE_1, analysis.ratios, analysis.modelRatios),
  ];
}
