// Chapter 6's figures: the Kafka-style broker serving C consumers, measured, beside the model's expectations
// (computed by the analysis; the figures only draw them).
import { Figure } from "../../plot/figure";
import { baseLayout, pathColor, MODEL_LINE, MEASURED_LINE } from "../../plot/style";
import type { Spread } from "../../statistics/spread";
import type { BrokerAnalysis, BrokerRow } from "./analysis";

/** Rows of one scenario and cache, per serving mode, sorted by consumer count. */
function series(analysis: BrokerAnalysis, scenario: string, cache: string): Map<string, BrokerRow[]> {
  const out = new Map<string, BrokerRow[]>();
  for (const row of analysis.rows.filter((r) => r.scenario === scenario && r.cache === cache)) {
    out.set(row.serving, [...(out.get(row.serving) ?? []), row].sort((a, b) => a.consumers - b.consumers));
  }
  return out;
}

/** A measured line with min-max error bars for one serving mode. */
function measuredTrace(serving: string, rows: BrokerRow[], pick: (r: BrokerRow) => Spread | null) {
  const spreads = rows.map(pick);
  return {
    type: "scatter",
    mode: "lines+markers",
    name: `${serving} (measured)`,
    x: rows.map((r) => r.consumers),
    y: spreads.map((s) => s?.median ?? null),
    error_y: { type: "data", symmetric: false, array: spreads.map((s) => (s ? s.max - s.median : 0)), arrayminus: spreads.map((s) => (s ? s.median - s.min : 0)) },
    line: { color: pathColor(serving), ...MEASURED_LINE },
  };
}

/** Disk bytes read per log byte against C on cold catch-up: "copied into pagecache exactly once" is a flat line at 1. */
export function diskReadsFigure(analysis: BrokerAnalysis): Figure {
  const lines = series(analysis, "catch-up", "cold");
  const cs = [...new Set([...lines.values()].flat().map((r) => r.consumers))].sort((a, b) => a - b);
  const title = "Disk reads per log byte as consumers are added (cold cache, catch-up)";
  return {
    id: "broker-disk-reads",
    title,
    data: [
      ...[...lines].map(([serving, rows]) => measuredTrace(serving, rows, (r) => r.diskReadsPerLogByte)),
      { type: "scatter", mode: "lines", name: "no page cache: every consumer reads the disk (C)", x: cs, y: cs, line: { color: "#d62728", ...MODEL_LINE } },
      { type: "scatter", mode: "lines", name: "page cache: read from disk exactly once (1)", x: cs, y: cs.map(() => 1), line: { color: "#2ca02c", ...MODEL_LINE } },
    ],
    layout: baseLayout(title, {
      xaxis: { title: { text: "consumers reading the whole log (C)" }, type: "log", tickvals: cs },
      yaxis: { title: { text: "broker disk read_bytes / log bytes (ratio)" }, rangemode: "tozero" },
      legend: { title: { text: "serving" } },
    }),
    summary: [...lines].map(([s, rows]) => `${s}: ${rows.map((r) => `C=${r.consumers} ${r.diskReadsPerLogByte.median.toFixed(2)}`).join(", ")}`).join("\n"),
  };
}

/** Broker CPU per GiB served against C, per serving mode (warm catch-up), the model dashed. */
export function brokerCpuFigure(analysis: BrokerAnalysis): Figure {
  const lines = series(analysis, "catch-up", "warm");
  const title = "Broker CPU per GiB served (warm cache, catch-up)";
  const model = [...lines].map(([serving, rows]) => ({
    type: "scatter",
    mode: "lines",
    name: `${serving} (model, default parameters)`,
    x: rows.map((r) => r.consumers),
    y: rows.map((r) => r.modelCpuSecondsPerGiB),
    line: { color: pathColor(serving), ...MODEL_LINE },
  }));
  return {
    id: "broker-cpu",
    title,
    data: [...[...lines].map(([serving, rows]) => measuredTrace(serving, rows, (r) => r.brokerCpuSecondsPerGiB)), ...model],
    layout: baseLayout(title, {
      xaxis: { title: { text: "consumers (C)" }, type: "log", tickvals: [...new Set([...lines.values()].flat().map((r) => r.consumers))] },
      yaxis: { title: { text: "broker user + system CPU (s per GiB served)" }, rangemode: "tozero" },
      legend: { title: { text: "serving" } },
    }),
    summary: [...lines].map(([s, rows]) => `${s}: ${rows.map((r) => `C=${r.consumers} ${r.brokerCpuSecondsPerGiB.median.toFixed(2)} s/GiB`).join(", ")}`).join("\n"),
  };
}

/** The syscalls that moved the served bytes, per GiB, measured (solid) beside the model (hatched). */
export function brokerSyscallsFigure(analysis: BrokerAnalysis): Figure {
  const rows = analysis.rows.filter((r) => r.scenario === "catch-up" && r.cache === "warm" && r.dataSyscallsPerGiB);
  const label = (r: BrokerRow) => `${r.serving}, C=${r.consumers}`;
  const title = "Syscalls per GiB served: broker vs model";
  return {
    id: "broker-syscalls",
    title,
    data: [
      { type: "bar", name: "broker (measured median)", x: rows.map(label), y: rows.map((r) => r.dataSyscallsPerGiB!.median), marker: { color: rows.map((r) => pathColor(r.serving)) } },
      { type: "bar", name: "model", x: rows.map(label), y: rows.map((r) => r.modelSyscallsPerGiB), marker: { color: rows.map((r) => pathColor(r.serving)), opacity: 0.45, pattern: { shape: "/", solidity: 0.5 } } },
    ],
    layout: baseLayout(title, {
      barmode: "group",
      xaxis: { title: { text: "serving mode and consumers" } },
      yaxis: { title: { text: "data syscalls per GiB served" }, rangemode: "tozero" },
      legend: { title: { text: "source" } },
    }),
    summary: rows.map((r) => `${label(r)}: ${Math.round(r.dataSyscallsPerGiB!.median)} measured, ${Math.round(r.modelSyscallsPerGiB)} model`).join("\n"),
  };
}

/** Every chapter-6 figure, in reading order. */
export function brokerFigures(analysis: BrokerAnalysis): Figure[] {
  return [diskReadsFigure(analysis), brokerCpuFigure(analysis), brokerSyscallsFigure(analysis)];
}
