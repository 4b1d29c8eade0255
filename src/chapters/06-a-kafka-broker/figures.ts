// Chapter 6's figures and tables: the broker serving C consumers (disk reads, broker CPU and calls per GiB beside
// the model), the same serving through shaped links (throughput against rate, CPU per GiB, the cores sendfile
// leaves idle), and the crash's data folder, read-back and first batch. They draw the rows the analysis computed
// and never call the model.
import type { Figure } from "../../plot/figure";
import type { Table } from "../../plot/table";
import { baseLayout, pathColor, MODEL_LINE, MEASURED_LINE } from "../../plot/style";
import type { Spread } from "../../statistics/spread";
import { formatRate, LinkRate } from "../../units/rates";
import { LINK_BOUND_SLOWDOWN } from "./analysis";
import type { KafkaBrokerAnalysis, FanoutRow, LinkAnalysis, LinkRow } from "./analysis";

const GBIT = 1e9;

/** A legend under the plot, so long names never cut into it. */
const LEGEND_BELOW = { orientation: "h", x: 0, xanchor: "left", y: -0.22, yanchor: "top" };

/** A title with a smaller second line, and room for both and for the legend under the plot. */
function titled(title: string, subtitle: string, bottom = 130): Record<string, unknown> {
  return { title: { text: `${title}<br><sub>${subtitle}</sub>` }, margin: { t: 80, r: 20, b: bottom, l: 80 } };
}

/** The consumer counts as a log axis ticked at each count, and marked as log in its title. */
function consumerAxis(counts: number[]): Record<string, unknown> {
  return { title: { text: "consumers reading the log (C, log scale)" }, type: "log", tickvals: counts, ticktext: counts.map(String) };
}

/** Rows of one scenario and cache per serving mode, sorted by C. */
function series(a: KafkaBrokerAnalysis, scenario: string, cache: string): Array<[string, FanoutRow[]]> {
  const out = new Map<string, FanoutRow[]>();
  for (const row of a.fanout.filter((r) => r.scenario === scenario && r.cache === cache)) out.set(row.serving, [...(out.get(row.serving) ?? []), row]);
  return [...out].map(([s, rows]) => [s, rows.sort((x, y) => x.consumers - y.consumers)]);
}

/** Error bars from a spread: min to max around the median. */
function spreadBars(spreads: Spread[], scale = 1): Record<string, unknown> {
  return { type: "data", symmetric: false, array: spreads.map((s) => (s.max - s.median) * scale), arrayminus: spreads.map((s) => (s.median - s.min) * scale) };
}

/** A measured line with min-max bars for one serving mode against C. */
function measured(serving: string, rows: FanoutRow[], pick: (r: FanoutRow) => Spread) {
  const spreads = rows.map(pick);
  return {
    type: "scatter",
    mode: "lines+markers",
    name: `${serving} (measured, median and min-max)`,
    x: rows.map((r) => r.consumers),
    y: spreads.map((s) => s.median),
    error_y: spreadBars(spreads),
    line: { color: pathColor(serving), ...MEASURED_LINE },
  };
}

/** Disk bytes read per log byte against C on a cold catch-up: "copied into pagecache exactly once" is a flat line at 1. */
export function diskReadsFigure(a: KafkaBrokerAnalysis): Figure {
  const lines = series(a, "catch-up", "cold");
  const cs = [...new Set(lines.flatMap(([, rows]) => rows.map((r) => r.consumers)))].sort((x, y) => x - y);
  const title = "Disk reads per log byte as consumers are added (cold cache, catch-up)";
  return {
    id: "broker-disk-reads",
    title,
    // the references first, so the measured lines are drawn over them
    data: [
      { type: "scatter", mode: "lines", name: "without a page cache: every consumer reads the disk (C)", x: cs, y: cs, line: { color: "#555555", dash: "dot", width: 2 } },
      { type: "scatter", mode: "lines", name: "with it: read from disk exactly once (1)", x: cs, y: cs.map(() => 1), line: { color: "#2ca02c", dash: "dash", width: 5 }, opacity: 0.5 },
      ...lines.map(([serving, rows]) => measured(serving, rows, (r) => r.diskReadsPerLogByte)),
    ],
    layout: baseLayout(title, {
      ...titled(title, "the broker's read_bytes from /proc/&lt;pid&gt;/io over the log's size; the log evicted before each run"),
      xaxis: consumerAxis(cs),
      yaxis: { title: { text: "disk bytes read / log bytes" }, rangemode: "tozero" },
      legend: LEGEND_BELOW,
      height: 500,
    }),
    summary: lines.map(([s, rows]) => `${s}: ${rows.map((r) => `C=${r.consumers} ${r.diskReadsPerLogByte.median.toFixed(2)}`).join(", ")}`).join("\n"),
  };
}

/** Broker CPU per GiB served against C (warm catch-up), per serving mode, the model dashed. */
export function brokerCpuFigure(a: KafkaBrokerAnalysis): Figure {
  const lines = series(a, "catch-up", "warm");
  const cs = [...new Set(lines.flatMap(([, rows]) => rows.map((r) => r.consumers)))].sort((x, y) => x - y);
  const title = "Broker CPU per GiB served (warm cache, catch-up)";
  const model = lines.flatMap(([serving, rows]) => [
    {
      type: "scatter",
      mode: "lines",
      name: `${serving}: model, copies and calls only (${a.modelLabel})`,
      x: rows.map((r) => r.consumers),
      y: rows.map((r) => r.model.cpuSecondsPerGiB),
      line: { color: pathColor(serving), ...MODEL_LINE },
    },
    {
      type: "scatter",
      mode: "lines",
      name: `${serving}: model, the same + all of loopback's per-byte TCP work`,
      x: rows.map((r) => r.consumers),
      y: rows.map((r) => r.model.withDeliverySecondsPerGiB),
      line: { color: pathColor(serving), dash: "dot", width: 2 },
    },
  ]);
  return {
    id: "broker-cpu",
    title,
    data: [...lines.map(([serving, rows]) => measured(serving, rows, (r) => r.brokerCpuSecondsPerGiB)), ...model],
    layout: baseLayout(title, {
      ...titled(title, "solid: the broker's getrusage; the model's dashed and dotted lines bound it: loopback runs part of TCP's per-byte work on either side", 150),
      xaxis: consumerAxis(cs),
      yaxis: { title: { text: "broker CPU (s per GiB served)" }, rangemode: "tozero" },
      legend: LEGEND_BELOW,
      height: 520,
    }),
    summary: lines
      .map(([s, rows]) => `${s}: ${rows.map((r) => `C=${r.consumers} ${r.brokerCpuSecondsPerGiB.median.toFixed(3)} (model ${r.model.cpuSecondsPerGiB.toFixed(3)})`).join(", ")} s/GiB`)
      .join("\n"),
  };
}

/** The calls that wrote responses and moved records, per GiB, measured beside the model (log axis: they differ 40-fold). */
export function brokerSyscallsFigure(a: KafkaBrokerAnalysis): Figure {
  const rows = a.fanout.filter((r) => r.scenario === "catch-up" && r.cache === "warm").sort((x, y) => (x.serving === y.serving ? x.consumers - y.consumers : x.serving.localeCompare(y.serving)));
  const label = (r: FanoutRow) => `${r.serving}, C=${r.consumers}`;
  const title = "Calls per GiB served that write responses and move records";
  return {
    id: "broker-syscalls",
    title,
    data: [
      {
        type: "bar", name: "broker (measured median, min-max)", x: rows.map(label), y: rows.map((r) => r.dataSyscallsPerGiB.median),
        error_y: spreadBars(rows.map((r) => r.dataSyscallsPerGiB)), marker: { color: rows.map((r) => pathColor(r.serving)) },
      },
      {
        type: "bar", name: "model (header write + sendfile calls, or + pread and write per 64 KiB)", x: rows.map(label), y: rows.map((r) => r.model.dataSyscallsPerGiB),
        marker: { color: rows.map((r) => pathColor(r.serving)), opacity: 0.45, pattern: { shape: "/", solidity: 0.5 } },
      },
    ],
    layout: baseLayout(title, {
      ...titled(title, "write(2), sendfile(2) and pread(2) as the broker counts them; the measured ones include calls that found the socket full"),
      barmode: "group",
      xaxis: { title: { text: "serving mode and consumers" }, type: "category" },
      yaxis: { title: { text: "calls per GiB served (log scale)" }, type: "log", dtick: 1 },
      legend: LEGEND_BELOW,
      height: 520,
    }),
    summary: rows.map((r) => `${label(r)}: ${Math.round(r.dataSyscallsPerGiB.median)} measured, ${Math.round(r.model.dataSyscallsPerGiB)} model`).join("\n"),
  };
}

/** Ticks at 1, 2 and 5 of each decade within a span of bit/s, in Gbit/s: readable, and few enough not to collide. */
function ticks125(span: number[]): number[] {
  const out: number[] = [];
  for (let decade = 10 ** Math.floor(Math.log10(span[0] / GBIT)); decade <= span[1] / GBIT; decade *= 10) {
    for (const m of [1, 2, 5]) if (m * decade >= span[0] / GBIT && m * decade <= span[1] / GBIT) out.push(Number((m * decade).toPrecision(3)));
  }
  return out;
}

/** The serving modes of the link study, in plan order. */
function servings(l: LinkAnalysis): string[] {
  return [...new Set(l.rows.map((r) => r.serving))];
}

/** Served throughput against the link's rate (log-log): measured per serving mode, the link itself dotted, the
 *  model (the lower of the rate and the serving mode's unshaped ceiling) dashed. */
export function linkThroughputFigure(a: KafkaBrokerAnalysis): Figure | null {
  const l = a.link;
  if (!l) return null;
  const shaped = (s: string) => l.rows.filter((r) => r.serving === s && r.rate !== null).sort((x, y) => x.rate! - y.rate!);
  const span = [l.rates[0] / 2, Math.max(...l.rates, ...l.crossovers.map((c) => c.model)) * 2];
  const grid = Array.from({ length: 40 }, (_, i) => span[0] * (span[1] / span[0]) ** (i / 39));
  const data: Record<string, unknown>[] = [];
  for (const s of servings(l)) {
    const rows = shaped(s);
    data.push({
      type: "scatter", mode: "lines+markers", name: `${s} (measured)`, legendgroup: s,
      x: rows.map((r) => r.rate! / GBIT), y: rows.map((r) => r.throughput.median / GBIT), error_y: spreadBars(rows.map((r) => r.throughput), 1 / GBIT),
      line: { color: pathColor(s), ...MEASURED_LINE },
    });
    const ceiling = l.crossovers.find((c) => c.serving === s)!.model;
    data.push({
      type: "scatter", mode: "lines", name: `${s} (model: the lower of the rate and ${(ceiling / GBIT).toFixed(1)} Gbit/s, its fastest unshaped run)`, legendgroup: s,
      x: grid.map((g) => g / GBIT), y: grid.map((g) => Math.min(g, ceiling) / GBIT), line: { color: pathColor(s), ...MODEL_LINE },
    });
  }
  data.push({ type: "scatter", mode: "lines", name: "the link itself (throughput = rate)", x: span.map((g) => g / GBIT), y: span.map((g) => g / GBIT), line: { color: "#555555", dash: "dot", width: 1.5 } });
  const title = `What ${l.consumers} consumers were served through a link of each rate`;
  return {
    id: "broker-link-throughput",
    title,
    data,
    layout: baseLayout(title, {
      ...titled(title, "all consumers together, warm catch-up; the broker and its consumers inside one tbf-shaped namespace", 150),
      xaxis: { title: { text: "link rate (Gbit/s, log scale)" }, type: "log", tickvals: ticks125(span) },
      yaxis: { title: { text: "served (Gbit/s, log scale)" }, type: "log", tickvals: ticks125(span) },
      legend: LEGEND_BELOW,
      height: 540,
    }),
    summary: servings(l)
      .map((s) => `${s}: ${l.rows.filter((r) => r.serving === s).map((r) => `${formatRate(r.rate)} ${(r.throughput.median / GBIT).toFixed(2)} Gbit/s`).join(", ")}`)
      .join("\n"),
  };
}

/** The broker's own CPU per GiB and every CPU's (net of the background), at each link rate, per serving mode. */
export function linkCpuFigure(a: KafkaBrokerAnalysis): Figure | null {
  const l = a.link;
  if (!l) return null;
  const links: LinkRate[] = [...l.rates, null];
  const pick = (s: string) => links.map((rate) => l.rows.find((r) => r.serving === s && r.rate === rate)).filter((r): r is LinkRow => r !== undefined);
  const data: Record<string, unknown>[] = [];
  for (const s of servings(l)) {
    const rows = pick(s);
    data.push({
      type: "scatter", mode: "lines+markers", name: `${s}: broker process (measured)`, legendgroup: s, x: rows.map((r) => formatRate(r.rate)),
      y: rows.map((r) => r.brokerCpuSecondsPerGiB.median), error_y: spreadBars(rows.map((r) => r.brokerCpuSecondsPerGiB)), line: { color: pathColor(s), ...MEASURED_LINE },
    });
    data.push({
      type: "scatter", mode: "lines", name: `${s}: broker model, copies and calls only (${a.modelLabel})`, legendgroup: s, x: rows.map((r) => formatRate(r.rate)),
      y: rows.map((r) => r.model.brokerCpuSecondsPerGiB), line: { color: pathColor(s), ...MODEL_LINE },
    });
    data.push({
      type: "scatter", mode: "lines", name: `${s}: broker model, + all of loopback's per-byte TCP work`, legendgroup: s, x: rows.map((r) => formatRate(r.rate)),
      y: rows.map((r) => r.model.brokerWithDeliverySecondsPerGiB), line: { color: pathColor(s), dash: "dot", width: 2 },
    });
    data.push({
      type: "scatter", mode: "lines+markers", name: `${s}: all CPUs, net of the background (+-2 sd)`, legendgroup: s, xaxis: "x2", yaxis: "y2",
      x: rows.map((r) => formatRate(r.rate)), y: rows.map((r) => r.machine.netSecondsPerGiB), error_y: { type: "data", array: rows.map((r) => 2 * r.machine.uncertaintySecondsPerGiB) },
      line: { color: pathColor(s), ...MEASURED_LINE }, marker: { symbol: "square" },
    });
  }
  const title = "CPU per GiB served at each link rate: the broker's own, and all CPUs'";
  return {
    id: "broker-link-cpu",
    title,
    data,
    layout: baseLayout(title, {
      ...titled(title, "left: the broker's getrusage; right: /proc/stat busy time of every CPU (broker, consumers, softirqs) minus everyone else's", 170),
      xaxis: { domain: [0, 0.46], title: { text: "link (broker process)" }, type: "category" },
      yaxis: { title: { text: "CPU-seconds per GiB served" }, rangemode: "tozero" },
      xaxis2: { domain: [0.54, 1], title: { text: "link (all CPUs)" }, type: "category" },
      yaxis2: { anchor: "x2", rangemode: "tozero" },
      legend: LEGEND_BELOW,
      height: 660,
    }),
    summary: servings(l)
      .map((s) => `${s}: broker ${pick(s).map((r) => r.brokerCpuSecondsPerGiB.median.toFixed(3)).join("/")}, all CPUs ${pick(s).map((r) => `${r.machine.netSecondsPerGiB.toFixed(2)}+-${r.machine.uncertaintySecondsPerGiB.toFixed(2)}`).join("/")} s/GiB (${links.map((x) => formatRate(x)).join(", ")})`)
      .join("\n"),
  };
}

/** Cores every CPU spent serving at each link rate, net of the background, per serving mode: what sendfile leaves idle. */
export function linkCoresFigure(a: KafkaBrokerAnalysis): Figure | null {
  const l = a.link;
  if (!l) return null;
  const links: LinkRate[] = [...l.rates, null];
  const data: Record<string, unknown>[] = servings(l).map((s) => {
    const rows = links.map((rate) => l.rows.find((r) => r.serving === s && r.rate === rate)).filter((r): r is LinkRow => r !== undefined);
    return {
      type: "bar", name: s, x: rows.map((r) => formatRate(r.rate)), y: rows.map((r) => r.machine.netCores),
      error_y: { type: "data", array: rows.map((r) => 2 * r.machine.netCoresUncertainty) },
      marker: { color: pathColor(s) },
    };
  });
  const title = "Cores kept busy while serving, by link rate: what read+write burns and sendfile leaves idle";
  return {
    id: "broker-link-cores",
    title,
    data,
    layout: baseLayout(title, {
      ...titled(title, `every CPU's busy time during the runs net of the background, over their wall time (+-2 sd); broker and ${l.consumers} consumers`),
      barmode: "group",
      xaxis: { title: { text: "link rate" }, type: "category" },
      yaxis: { title: { text: "cores busy (all CPUs, net)" }, rangemode: "tozero" },
      // this machine's cores, across the whole plot
      shapes: [{ type: "line", xref: "paper", x0: 0, x1: 1, y0: l.cpus, y1: l.cpus, line: { color: "#555555", dash: "dashdot", width: 1.5 } }],
      annotations: [{ xref: "paper", x: 1, xanchor: "right", y: l.cpus, yanchor: "bottom", text: `this machine: ${l.cpus} cores`, showarrow: false }],
      legend: LEGEND_BELOW,
      height: 520,
    }),
    summary: l.savings.map((x) => `${formatRate(x.rate)}: read+write - sendfile ${x.machineSecondsPerGiB.toFixed(3)} +- ${x.machineUncertainty.toFixed(3)} s/GiB all CPUs (${x.coresAtRate.toFixed(3)} cores at the rate served), ${x.brokerSecondsPerGiB.toFixed(3)} s/GiB the broker`).join("\n"),
  };
}

/** The fan-out's figures, in reading order. */
export function fanoutFigures(a: KafkaBrokerAnalysis): Figure[] {
  return [diskReadsFigure(a), brokerCpuFigure(a), brokerSyscallsFigure(a)];
}

/** The link section's figures (none when the machine could not make links). */
export function linkFigures(a: KafkaBrokerAnalysis): Figure[] {
  return [linkThroughputFigure(a), linkCpuFigure(a), linkCoresFigure(a)].filter((f): f is Figure => f !== null);
}

/** Every chapter-6 figure, in reading order. */
export function kafkaBrokerFigures(a: KafkaBrokerAnalysis): Figure[] {
  return [...fanoutFigures(a), ...linkFigures(a)];
}

const int = (x: number) => Math.round(x).toLocaleString("en-US");
/** A spread as "median (min-max)". */
const spread = (x: Spread, digits: number, scale = 1) => `${(x.median * scale).toFixed(digits)} (${(x.min * scale).toFixed(digits)}-${(x.max * scale).toFixed(digits)})`;

/** The recovered data folder: every file, its size. */
export function dataFolderTable(a: KafkaBrokerAnalysis): Table {
  return {
    id: "broker-data-folder",
    caption: "The broker's data folder after recovery and a clean shutdown",
    columns: ["file", "bytes"],
    rows: a.study.crash.dataFolder.map((f) => [`\`${f.path}\``, int(f.bytes)]),
    numeric: [1],
    note: "segments named by their first offset, each with its sparse index; the clean-shutdown marker; the offsets known fsynced",
  };
}

/** What each client read back after the crash, and how it checked. */
export function readBackTable(a: KafkaBrokerAnalysis): Table {
  const c = a.study.crash;
  return {
    id: "broker-read-back",
    caption: `Read back after SIGKILL and recovery: ${int(c.produce.acknowledged)} records were acknowledged`,
    columns: ["client", "records read", "acknowledged found", "lost", "out of place", "first records", "checked by"],
    rows: c.readBack.map((r) => [r.client, int(r.records), int(r.acknowledgedFound), String(r.lost), String(r.misplaced), r.sample.map((x) => `\`${x}\``).join("; "), r.client === "kcat" ? `\`${r.checks}\`` : r.checks]),
    numeric: [1, 2, 3, 4],
  };
}

/** The first batch of the first segment: its 61-byte header and its first record, field by field. */
export function firstBatchTable(a: KafkaBrokerAnalysis): Table {
  const b = a.firstBatch;
  return {
    id: "broker-first-batch",
    caption: `The first batch of \`${b.file}\`, field by field`,
    columns: ["bytes", "field", "value", "note"],
    rows: [...b.header, ...b.firstRecord].map((r) => [`${r.position}..${r.position + r.size - 1}`, r.field, r.value, r.note]),
    numeric: [0],
    note: `${b.records - 1} more records follow in this batch, each laid out as record[0]`,
  };
}

/** The fan-out's conditions, one row each, the model beside the broker's CPU and calls. */
export function fanoutTable(a: KafkaBrokerAnalysis): Table {
  return {
    id: "broker-fanout",
    caption: "Every condition of the fan-out: medians (min-max) over the repeats",
    columns: ["scenario", "cache", "C", "serving", "runs", "served MiB/s", "broker CPU-s/GiB", "model", "broker busy", "disk reads x log", "calls/GiB", "model calls"],
    rows: a.fanout.map((r) => [
      r.scenario, r.cache, String(r.consumers), r.serving, String(r.n), spread(r.servedMiBps, 0), spread(r.brokerCpuSecondsPerGiB, 3),
      `${r.model.cpuSecondsPerGiB.toFixed(3)}-${r.model.withDeliverySecondsPerGiB.toFixed(3)}`, `${(r.brokerBusyCores.median * 100).toFixed(0)}%`,
      r.diskReadsPerLogByte.median.toFixed(2), int(r.dataSyscallsPerGiB.median), int(r.model.dataSyscallsPerGiB),
    ]),
    numeric: [2, 4, 5, 6, 7, 8, 9, 10, 11],
    note: "model: the broker's own work, and with loopback's delivery into the consumers' sockets on its core; calls: write, sendfile and pread as the broker counts them",
  };
}

/** The link study, one row per serving mode and link. */
export function linkTable(a: KafkaBrokerAnalysis): Table | null {
  const l = a.link;
  if (!l) return null;
  return {
    id: "broker-link",
    caption: `${l.consumers} consumers through each link: medians (min-max) over the repeats`,
    columns: ["link", "serving", "runs", "served Gbit/s", "filled", "broker CPU-s/GiB", "model", "all CPUs CPU-s/GiB", "consumers CPU-s/GiB", "background cores"],
    rows: l.rows.map((r) => [
      formatRate(r.rate), r.serving, String(r.n), spread(r.throughput, 2, 1 / GBIT), r.filledLink ? "yes" : r.rate === null ? "-" : "no",
      spread(r.brokerCpuSecondsPerGiB, 3), `${r.model.brokerCpuSecondsPerGiB.toFixed(3)}-${r.model.brokerWithDeliverySecondsPerGiB.toFixed(3)}`, `${r.machine.netSecondsPerGiB.toFixed(2)} ± ${r.machine.uncertaintySecondsPerGiB.toFixed(2)}`,
      r.consumerCpuSecondsPerGiB.toFixed(3), r.machine.backgroundCores.toFixed(2),
    ]),
    numeric: [2, 3, 5, 6, 7, 8, 9],
    note: `filled: served at least rate / ${LINK_BOUND_SLOWDOWN}; all CPUs: /proc/stat busy time net of the background, ± about one sd; background: everyone else's cores around the runs`,
  };
}
