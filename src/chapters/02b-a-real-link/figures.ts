// Chapter 2b's figures: time against link rate beside the model, CPU per GiB by side and machine-wide, the
// fraction of a core each path needs to fill a link, a broker's cores at Ethernet's rates, and the crossovers.
// They draw the analysis's rows; the model's numbers arrive already computed.
import { Figure } from "../../plot/figure";
import { baseLayout, pathColor, legendBelow, MODEL_LINE, MEASURED_LINE } from "../../plot/style";
import { formatRate, formatGbit, LinkRate } from "../../units/rates";
import { TRANSFER_PATHS } from "../../vocabulary/transfer";
import type { RealLinkAnalysis, LinkRow } from "./analysis";
import { MiB } from "../../units/sizes";

const GBIT = 1e9;

/** "9.9 Gbit/s": crossovers are estimates, one decimal is all they carry. */
const gbit = (bitsPerSecond: number) => formatGbit(bitsPerSecond, 1);

/** The paths the analysis has rows for, in the vocabulary's order. */
function pathsOf(a: RealLinkAnalysis): string[] {
  return TRANSFER_PATHS.filter((p) => a.rows.some((r) => r.path === p));
}

/** A title with a second, smaller line under it, and room for both. */
function titled(title: string, subtitle: string): Record<string, unknown> {
  return { title: { text: `${title}<br><sub>${subtitle}</sub>` }, margin: { t: 80, r: 20, b: 60, l: 70 } };
}

/** The category label of a link on the CPU figure's axis. */
function linkLabel(rate: LinkRate): string {
  return formatRate(rate);
}

/** Median wall time against link rate (log-log), one solid line per path with min-max bars; the model dashed;
 *  the link alone dotted. */
export function wallTimeFigure(a: RealLinkAnalysis): Figure {
  const measured = pathsOf(a).map((path) => {
    const rows = a.rows.filter((r) => r.path === path && r.rate !== null);
    return {
      type: "scatter",
      mode: "lines+markers",
      name: `${path} (measured)`,
      legendgroup: path,
      x: rows.map((r) => r.rate! / GBIT),
      y: rows.map((r) => r.medianSeconds),
      error_y: { type: "data", symmetric: false, array: rows.map((r) => r.maxSeconds - r.medianSeconds), arrayminus: rows.map((r) => r.medianSeconds - r.minSeconds) },
      line: { color: pathColor(path), ...MEASURED_LINE },
    };
  });
  const modelled = pathsOf(a).map((path) => {
    const points = a.modelCurve.filter((m) => m.path === path);
    return {
      type: "scatter",
      mode: "lines",
      name: `${path} (model)`,
      legendgroup: path,
      showlegend: false,
      x: points.map((p) => p.rate / GBIT),
      y: points.map((p) => p.seconds),
      line: { color: pathColor(path), ...MODEL_LINE },
    };
  });
  // the same model with the CPU ceilings the cost model predicts from the machine profile, dotted
  const fromProfile = pathsOf(a).map((path) => {
    const points = (a.profileCurve ?? []).filter((m) => m.path === path);
    return {
      type: "scatter",
      mode: "lines",
      name: `${path} (model, ceiling from the profile)`,
      legendgroup: path,
      showlegend: false,
      x: points.map((p) => p.rate / GBIT),
      y: points.map((p) => p.seconds),
      line: { color: pathColor(path), dash: "dot", width: 2 },
    };
  }).filter((t) => t.x.length > 0);
  const grid = [...new Set(a.modelCurve.map((m) => m.rate))].sort((x, y) => x - y);
  const wire = {
    type: "scatter",
    mode: "lines",
    name: "the link alone: bytes x 8 / rate",
    x: grid.map((r) => r / GBIT),
    y: grid.map((r) => (a.bytes * 8) / r),
    line: { color: "#555555", dash: "dot", width: 1.5 },
  };
  const title = `Time to send ${(a.bytes / MiB).toFixed(0)} MiB through a link of each rate, by path`;
  const subtitle = "the model: the slower of the link and the path's CPU ceiling";
  // one legend entry per path (its colour) and one per line style: three lines per path would make fifteen entries
  const style = (name: string, dash: string) => ({ type: "scatter", mode: "lines", name, x: [null], y: [null], line: { color: "#444444", dash, width: 2 }, hoverinfo: "skip" });
  const keys = [style(`model (dashed): ${a.modelInput}`, "dash"), ...(a.profileInput ? [style(`model (dotted): ${a.profileInput}`, "dot")] : [])];
  return {
    id: "link-wall-time",
    title,
    data: [...measured, ...modelled, ...fromProfile, ...keys, { ...wire, line: { color: "#555555", dash: "longdash", width: 1.5 } }],
    layout: baseLayout(title, {
      ...titled(title, subtitle),
      xaxis: { title: { text: "link rate (Gbit/s, log scale)" }, type: "log", dtick: "D2" },
      yaxis: { title: { text: "wall time, median with min-max (s, log scale)" }, type: "log", dtick: "D2" },
      legend: legendBelow(undefined, -0.2),
      height: 600,
      margin: { t: 80, r: 20, b: 200, l: 70 },
    }),
    summary: pathsOf(a)
      .map((path) => `${path}: ${a.rows.filter((r) => r.path === path).map((r) => `${linkLabel(r.rate)} ${r.medianSeconds.toFixed(3)} s`).join(", ")}`)
      .join("\n"),
  };
}

/** The three CPU views per GiB side by side: the sender's rusage, the receiver's, and every CPU's busy time net
 *  of the background (with its uncertainty); one line per path across the links. */
export function cpuPerGiBFigure(a: RealLinkAnalysis): Figure {
  const links: LinkRate[] = [...a.rates, null];
  const panels: Array<{ key: "sender" | "receiver" | "machine"; label: string }> = [
    { key: "sender", label: "sender process" },
    { key: "receiver", label: "receiver process" },
    { key: "machine", label: "all CPUs, net of background" },
  ];
  const value = (r: LinkRow, key: string) => (key === "sender" ? r.senderCpuPerGiB : key === "receiver" ? r.receiverCpuPerGiB : r.machine?.netSecondsPerGiB ?? Number.NaN);
  const data = panels.flatMap((panel, i) =>
    pathsOf(a).map((path) => {
      const rows = links.map((rate) => a.rows.find((r) => r.path === path && r.rate === rate)).filter((r): r is LinkRow => r !== undefined);
      return {
        type: "scatter",
        mode: "lines+markers",
        name: path,
        legendgroup: path,
        showlegend: i === 0,
        xaxis: i === 0 ? "x" : `x${i + 1}`,
        yaxis: i === 0 ? "y" : `y${i + 1}`,
        x: rows.map((r) => linkLabel(r.rate)),
        y: rows.map((r) => value(r, panel.key)),
        error_y: panel.key === "machine" ? { type: "data", array: rows.map((r) => 2 * (r.machine?.uncertaintySecondsPerGiB ?? 0)) } : undefined,
        line: { color: pathColor(path), ...MEASURED_LINE },
      };
    }),
  );
  const axes: Record<string, unknown> = {};
  panels.forEach((panel, i) => {
    const suffix = i === 0 ? "" : String(i + 1);
    axes[`xaxis${suffix}`] = { domain: [i / 3 + 0.02, (i + 1) / 3 - 0.03], title: { text: panel.label }, type: "category", tickangle: -45 };
    axes[`yaxis${suffix}`] = { anchor: i === 0 ? "x" : `x${i + 1}`, rangemode: "tozero", ...(i === 0 ? { title: { text: "CPU-seconds per GiB (median; all CPUs: sum, +-2 sd)" } } : {}) };
  });
  const title = "CPU per GiB at each link rate: each process, and all CPUs together";
  return {
    id: "link-cpu-per-gib",
    title,
    data,
    layout: baseLayout(title, { ...axes, legend: { title: { text: "path" } }, height: 500, margin: { t: 60, r: 20, b: 120, l: 70 } }),
    summary: pathsOf(a)
      .map((path) => {
        const rows = a.rows.filter((r) => r.path === path);
        return `${path}: sender ${rows.map((r) => r.senderCpuPerGiB.toFixed(2)).join("/")}, receiver ${rows.map((r) => r.receiverCpuPerGiB.toFixed(2)).join("/")}, all CPUs ${rows.map((r) => r.machine?.netSecondsPerGiB.toFixed(2) ?? "-").join("/")} s/GiB (${links.map(linkLabel).join(", ")})`;
      })
      .join("\n"),
  };
}

/** The fraction of a core the sender kept busy filling each link (measured), and the line its CPU per byte
 *  through the slowest link draws up to 100 Gbit/s; one core and this machine's cores as references. */
export function coreFractionFigure(a: RealLinkAnalysis): Figure {
  const measured = pathsOf(a).map((path) => {
    const rows = a.rows.filter((r) => r.path === path && r.rate !== null && r.filledLink);
    return {
      type: "scatter",
      mode: "markers",
      name: `${path} (measured)`,
      legendgroup: path,
      x: rows.map((r) => r.rate! / GBIT),
      y: rows.map((r) => r.senderCores),
      marker: { color: pathColor(path), size: 9 },
    };
  });
  const lines = pathsOf(a).map((path) => {
    const points = a.cores.filter((c) => c.path === path);
    return {
      type: "scatter",
      mode: "lines",
      name: `${path} (x rate)`,
      legendgroup: path,
      x: points.map((c) => c.rate / GBIT),
      y: points.map((c) => c.cores),
      line: { color: pathColor(path), ...MODEL_LINE },
    };
  });
  const span = [Math.min(a.rates[0], ...a.cores.map((c) => c.rate)) / GBIT, Math.max(...a.cores.map((c) => c.rate)) / GBIT];
  const reference = (name: string, cores: number, dash: string) => ({ type: "scatter", mode: "lines", name, x: span, y: [cores, cores], line: { color: "#555555", dash, width: 1.5 } });
  const title = "Fraction of a core the sender needs to fill the link";
  const subtitle = `dots: sender CPU / wall time through the links each path filled; dashed: its CPU per byte through ${formatRate(a.rates[0])} x the rate`;
  return {
    id: "link-core-fraction",
    title,
    data: [...measured, ...lines, reference("one core", 1, "dot"), reference(`this machine: ${a.cpus} cores`, a.cpus, "dashdot")],
    layout: baseLayout(title, {
      ...titled(title, subtitle),
      xaxis: { title: { text: "link rate (Gbit/s, log scale)" }, type: "log", dtick: "D2" },
      yaxis: { title: { text: "sender CPU / wall time (cores, log scale)" }, type: "log", dtick: "D2" },
      legend: { title: { text: "path" } },
      height: 520,
    }),
    summary: pathsOf(a)
      .map((path) => `${path}: ${a.rows.filter((r) => r.path === path && r.rate !== null && r.filledLink).map((r) => `${formatRate(r.rate)} ${r.senderCores.toFixed(3)}`).join(", ")} cores`)
      .join("\n"),
  };
}

/** Cores a broker needs to fill a link of 1, 10, 25 and 100 Gbit/s, per path: bars from the sender's CPU per
 *  byte through the slowest link, a whisker to the same from the unshaped runs (which carry loopback's receive). */
export function brokerCoresFigure(a: RealLinkAnalysis): Figure {
  const rates = [...new Set(a.cores.map((c) => c.rate))].sort((x, y) => x - y);
  const data = pathsOf(a).map((path) => {
    const mine = rates.map((rate) => a.cores.find((c) => c.path === path && c.rate === rate)!);
    return {
      type: "bar",
      name: path,
      x: rates.map((r) => formatRate(r)),
      y: mine.map((c) => c.cores),
      error_y: { type: "data", symmetric: false, array: mine.map((c) => Math.max(0, c.coresUnshaped - c.cores)), arrayminus: mine.map((c) => Math.max(0, c.cores - c.coresUnshaped)) },
      marker: { color: pathColor(path) },
    };
  });
  const title = "Cores a broker needs to fill its link, by path";
  const subtitle = `bars: the sender's CPU per byte through ${formatRate(a.rates[0])}; whisker: to the same from the unshaped runs, whose sender also runs loopback's receive path`;
  return {
    id: "link-broker-cores",
    title,
    data,
    layout: baseLayout(title, {
      barmode: "group",
      xaxis: { title: { text: "link rate" }, type: "category" },
      ...titled(title, subtitle),
      yaxis: { title: { text: "cores to fill the link (log scale)" }, type: "log", dtick: "D2" },
      legend: { title: { text: "path" } },
    }),
    summary: rates
      .map((rate) => `${formatRate(rate)}: ${pathsOf(a).map((p) => { const c = a.cores.find((x) => x.path === p && x.rate === rate)!; return `${p} ${c.cores.toPrecision(2)} cores (${c.consumersPerCore.toPrecision(3)} consumers/core)`; }).join(", ")}`)
      .join("\n"),
  };
}

/** Each path's crossover rate: where the model puts it (bytes / CPU ceiling measured unshaped) and the fastest the
 *  path went through a shaped link it could not fill; a triangle where it filled every link (a lower bound). */
export function crossoverFigure(a: RealLinkAnalysis): Figure {
  const paths = a.crossovers.map((c) => c.path);
  const measured = a.crossovers.filter((c) => c.measured !== undefined);
  const bounded = a.crossovers.filter((c) => c.measured === undefined && c.atLeast !== undefined);
  const title = "Where time stops following the link: model and machine";
  const subtitle = "bars: from the fastest link the path filled to the slowest it could not";
  return {
    id: "link-crossover",
    title,
    data: [
      {
        type: "scatter",
        mode: "markers",
        name: `model: ${a.modelInput}`,
        x: paths,
        y: a.crossovers.map((c) => c.model / GBIT),
        marker: { symbol: "diamond-open", size: 14, color: paths.map(pathColor), line: { width: 2.5 } },
      },
      {
        type: "scatter",
        mode: "markers",
        name: "machine: fastest through a link it could not fill",
        x: measured.map((c) => c.path),
        y: measured.map((c) => c.measured! / GBIT),
        error_y: {
          type: "data",
          symmetric: false,
          array: measured.map((c) => Math.max(0, (c.firstNotFilled ?? c.measured!) - c.measured!) / GBIT),
          arrayminus: measured.map((c) => Math.max(0, c.measured! - (c.lastFilled ?? c.measured!)) / GBIT),
        },
        marker: { symbol: "circle", size: 11, color: measured.map((c) => pathColor(c.path)) },
      },
      {
        type: "scatter",
        mode: "markers",
        name: "machine: filled every shaped link, so at least",
        x: bounded.map((c) => c.path),
        y: bounded.map((c) => c.atLeast! / GBIT),
        marker: { symbol: "triangle-up", size: 12, color: bounded.map((c) => pathColor(c.path)) },
      },
    ],
    layout: baseLayout(title, {
      ...titled(title, subtitle),
      xaxis: { title: { text: "path" }, type: "category" },
      yaxis: { title: { text: "crossover link rate (Gbit/s, log scale)" }, type: "log", dtick: "D2" },
      legend: legendBelow("source", -0.25),
      margin: { t: 80, r: 20, b: 120, l: 80 },
    }),
    summary: a.crossovers
      .map((c) => `${c.path}: model ${gbit(c.model)}, machine ${c.measured !== undefined ? gbit(c.measured) : `>= ${gbit(c.atLeast!)}`}`)
      .join("\n"),
  };
}

/** Every chapter-2b figure, in reading order. */
export function realLinkFigures(a: RealLinkAnalysis): Figure[] {
  return [wallTimeFigure(a), cpuPerGiBFigure(a), coreFractionFigure(a), brokerCoresFigure(a), crossoverFigure(a)];
}
