// Chapter 3's figures: the page cache in the model (hit ratios, readahead counters) beside the machine
// (cold vs warm reads, readahead, re-reads), drawn from the chapter's result record; notebook 3 and the
// report both call these.
import { Figure } from "../../plot/figure";
import { baseLayout, logAxis, legendBelow, MODEL_LINE, MEASURED_LINE } from "../../plot/style";
import type { PolicyName } from "../../model/vocabulary";
import type { ReadSpeedRow } from "./analysis";
import { PAGE_SIZE } from "../../reference/linux";
import type { HitRatioSweep, ReadaheadScenario, RereadModelPass } from "./analysis";
import type { ColdWarmRecord, ReadaheadRecord, RereadRecord, ReadPass } from "../../experiments/cache-reads-records";
import type { Table } from "../../plot/table";
import { modelBarMarker, measuredBarMarker, rangeErrorBars, shortNumber, wrapLabel, INSIDE_LABEL } from "../../plot/bars";
import { MiB } from "../../units/sizes";


/** One colour per replacement policy, in every chapter 3 figure. */
export const POLICY_COLORS: Record<PolicyName, string> = { lru: "#d62728", clock: "#2ca02c", fifo: "#9467bd", opt: "#1f77b4" };

/** One colour per cache state. */
export const CACHE_STATE_COLORS = { cold: "#1f77b4", warm: "#ff7f0e" } as const;

/** One colour per access pattern (model scenario keys and the machine's two patterns). */
export const PATTERN_COLORS: Record<string, string> = {
  sequential: "#2ca02c",
  "sequential-machine": "#17becf",
  random: "#d62728",
  "short-runs": "#9467bd",
  "small-cache": "#8c564b",
};

/**
 * Cold vs warm whole-file reads: read(2) throughput on the left (measured; the bar text gives residency
 * before the pass), MiB fetched from storage on the right (measured read_bytes beside the model's disk pages).
 */
export function coldWarmFigure(record: ColdWarmRecord, model: RereadModelPass[], fileBytes: number): Figure {
  const states = ["cold", "warm"] as const;
  const modelMiB = { cold: (model[0].diskPages * PAGE_SIZE) / MiB, warm: ((model[1]?.diskPages ?? 0) * PAGE_SIZE) / MiB };
  const resident = (state: "cold" | "warm") => {
    const pass = record.passes.find((p) => p.label === state)!;
    return `${Math.round((100 * pass.residentBefore) / pass.totalPages)}% → ${Math.round((100 * pass.residentAfter) / pass.totalPages)}% resident`;
  };
  const data: Record<string, unknown>[] = [];
  for (const state of states) {
    const summary = record[state];
    data.push({
      type: "bar", name: `${state}: measured`, legendgroup: `${state}-measured`,
      x: [state], y: [summary.mibps.median], error_y: rangeErrorBars([summary.mibps]),
      text: [`${shortNumber(summary.mibps.median)} MiB/s<br>${resident(state)}`], textposition: "inside", insidetextanchor: "start", textangle: 0,
      marker: measuredBarMarker(CACHE_STATE_COLORS[state]), xaxis: "x", yaxis: "y", offsetgroup: "measured",
    });
    data.push({
      type: "bar", name: `${state}: measured`, legendgroup: `${state}-measured`, showlegend: false,
      x: [state], y: [summary.readBytes.median / MiB], error_y: rangeErrorBars([summary.readBytes], 1 / MiB),
      text: [`${shortNumber(summary.readBytes.median / MiB)} MiB`], textposition: "outside",
      marker: measuredBarMarker(CACHE_STATE_COLORS[state]), xaxis: "x2", yaxis: "y2", offsetgroup: "measured",
    });
    data.push({
      type: "bar", name: `${state}: model (disk pages × 4 KiB)`,
      x: [state], y: [modelMiB[state]], text: [`${shortNumber(modelMiB[state])} MiB`], textposition: "outside",
      marker: modelBarMarker(CACHE_STATE_COLORS[state]), xaxis: "x2", yaxis: "y2", offsetgroup: "model",
    });
  }
  const n = record.cold.mibps.n;
  const title = `Cold vs warm read of a ${shortNumber(fileBytes / MiB)} MiB file (median of ${n}, min-max bars)`;
  return {
    id: "cold-warm",
    title,
    data,
    layout: baseLayout(title, {
      barmode: "group",
      xaxis: { domain: [0, 0.45], title: { text: "cache state before the read" } },
      yaxis: { title: { text: "read(2) throughput (MiB/s)" }, rangemode: "tozero" },
      xaxis2: { domain: [0.55, 1], anchor: "y2", title: { text: "cache state before the read" } },
      yaxis2: { anchor: "x2", title: { text: "fetched from storage per read (MiB)" }, rangemode: "tozero" },
      legend: legendBelow(undefined, -0.22),
      margin: { t: 60, r: 20, b: 130, l: 70 },
    }),
    summary:
      `cold: ${shortNumber(record.cold.mibps.median)} MiB/s, ${shortNumber(record.cold.readBytes.median / MiB)} MiB read_bytes (model ${shortNumber(modelMiB.cold)} MiB); ` +
      `warm: ${shortNumber(record.warm.mibps.median)} MiB/s, ${shortNumber(record.warm.readBytes.median / MiB)} MiB read_bytes (model ${shortNumber(modelMiB.warm)} MiB)`,
  };
}

/** Hit ratio vs cache size for every policy on one pattern (model, dashed), with the file size marked. */
export function hitRatioFigure(sweep: HitRatioSweep): Figure {
  const policies = [...new Set(sweep.points.map((p) => p.policy))];
  const data = policies.map((policy) => {
    const points = sweep.points.filter((p) => p.policy === policy).sort((a, b) => a.capacity - b.capacity);
    return {
      type: "scatter", mode: "lines+markers", name: `${policy.toUpperCase()} (model)`,
      x: points.map((p) => (100 * p.capacity) / sweep.filePages),
      y: points.map((p) => 100 * p.hitRatio),
      line: { ...MODEL_LINE, color: POLICY_COLORS[policy] },
      marker: { color: POLICY_COLORS[policy], size: 7 },
      hovertemplate: `${policy.toUpperCase()}: %{y:.1f}% hits with a cache of %{x:.0f}% of the file<extra></extra>`,
    };
  });
  // Policies whose lines coincide (within half a point everywhere) are named together, since one hides the other.
  const curve = (policy: string) => sweep.points.filter((p) => p.policy === policy).sort((a, b) => a.capacity - b.capacity).map((p) => p.hitRatio);
  const same = policies.filter((p) => p !== policies[0] && curve(p).every((h, i) => Math.abs(h - curve(policies[0])[i]) < 0.005));
  const together = same.length ? [policies[0], ...same].map((p) => p.toUpperCase()).join(", ") : "";
  const passes = sweep.accesses / sweep.filePages;
  const title = `Hit ratio vs cache size, ${sweep.label} (model: ${sweep.filePages}-page file, ${shortNumber(passes)} passes, no readahead)`;
  const summary = policies
    .map((policy) => {
      const below = sweep.points.filter((p) => p.policy === policy && p.capacity < sweep.filePages);
      const near = below.sort((a, b) => b.capacity - a.capacity)[0];
      return near ? `${policy}: ${(100 * near.hitRatio).toFixed(1)}% at ${Math.round((100 * near.capacity) / sweep.filePages)}% of the file` : `${policy}: -`;
    })
    .join("; ");
  return {
    id: `hit-ratio-${sweep.key}`,
    title,
    data,
    layout: baseLayout(title, {
      xaxis: { title: { text: "cache size (% of the file's pages)" }, rangemode: "tozero" },
      yaxis: { title: { text: "hit ratio (% of accesses)" }, range: [0, 100] },
      shapes: [{ type: "line", x0: 100, x1: 100, y0: 0, y1: 100, line: { color: "#888", dash: "dot" } }],
      annotations: [
        { x: 100, y: 100, text: "cache = file", showarrow: false, yanchor: "bottom", font: { size: 11, color: "#555" } },
        ...(together ? [{ xref: "paper", yref: "paper", x: 0.01, y: 0.99, xanchor: "left", yanchor: "top", showarrow: false, align: "left", font: { size: 12, color: "#333" }, text: `${together}: one line (within half a point at every size)` }] : []),
      ],
      legend: legendBelow("replacement policy", -0.2),
      margin: { t: 60, r: 20, b: 120, l: 70 },
    }),
    summary: `${sweep.label}: ${summary}`,
  };
}

/** The parts a fetched page can be: asked for (a demand miss), read ahead and later used, read ahead and never used. */
const FETCH_PARTS = [
  { key: "misses", label: "demand fetch (a miss)", color: "#7f7f7f" },
  { key: "readaheadUsed", label: "read ahead, then used (a hit)", color: "#2ca02c" },
  { key: "readaheadWasted", label: "read ahead, never used (wasted)", color: "#d62728" },
] as const;

/** Model readahead: where the pages each scenario fetched went (stacked), and the pages per disk request (right axis). */
export function readaheadModelFigure(scenarios: ReadaheadScenario[]): Figure {
  const x = scenarios.map((s) => wrapLabel(s.label));
  const data: Record<string, unknown>[] = FETCH_PARTS.map((part) => ({
    type: "bar", name: `${part.label} (model)`, x, y: scenarios.map((s) => s[part.key]),
    marker: modelBarMarker(part.color),
  }));
  data.push({
    type: "scatter", mode: "markers+text", name: "pages per disk request (model, right axis)", x,
    y: scenarios.map((s) => s.pagesPerRequest), yaxis: "y2", text: scenarios.map((s) => shortNumber(s.pagesPerRequest)),
    textposition: "middle right", marker: { symbol: "diamond", size: 12, color: "#000" },
  });
  const accesses = Math.max(...scenarios.map((s) => s.accesses));
  const title = `Readahead in the model: what happened to each fetched page (${accesses} accesses of 4 KiB, LRU)`;
  return {
    id: "readahead-model",
    title,
    data,
    layout: baseLayout(title, {
      barmode: "stack",
      height: 540,
      xaxis: { title: { text: "access pattern (scenario)" }, tickangle: 0 },
      yaxis: { title: { text: "pages fetched from disk (4 KiB pages)" }, rangemode: "tozero" },
      yaxis2: logAxis("disk request size (pages)", { overlaying: "y", side: "right", showgrid: false }),
      legend: { title: { text: "fate of a fetched page" }, orientation: "h", y: -0.3 },
      margin: { t: 60, r: 70, b: 150, l: 70 },
    }),
    summary: scenarios
      .map((s) => `${s.label}: ${s.misses} demand, ${s.readaheadUsed} used, ${s.readaheadWasted} wasted, ${shortNumber(s.pagesPerRequest)} pages/request`)
      .join("\n"),
  };
}

/**
 * Readahead on the machine beside the model, for 4 KiB reads in file order and at shuffled pages:
 * throughput (measured), KiB per device request (model vs the device's counters), and bytes fetched per
 * byte asked for (model disk pages vs /proc/self/io read_bytes).
 */
export function readaheadMachineFigure(record: ReadaheadRecord, model: ReadaheadScenario[], readAheadKiB: number | null): Figure {
  const patterns = ["sequential", "random"] as const;
  const modelFor = (pattern: "sequential" | "random") =>
    pattern === "random" ? model.find((s) => s.key === "random")! : (model.find((s) => s.key === "sequential-machine") ?? model.find((s) => s.key === "sequential")!);
  const data: Record<string, unknown>[] = [];
  for (const pattern of patterns) {
    const color = PATTERN_COLORS[pattern];
    const m = record[pattern];
    const s = modelFor(pattern);
    data.push({
      type: "bar", name: `${pattern} 4 KiB: measured`, legendgroup: `${pattern}-measured`, offsetgroup: `measured-${pattern}`,
      x: ["read(2) MiB/s"], y: [m.mibps.median], error_y: rangeErrorBars([m.mibps]),
      text: [shortNumber(m.mibps.median)], ...INSIDE_LABEL, marker: measuredBarMarker(color), xaxis: "x", yaxis: "y",
    });
    const perRequest = m.deviceKiBPerRequest;
    data.push({
      type: "bar", name: `${pattern} 4 KiB: measured`, legendgroup: `${pattern}-measured`, showlegend: false, offsetgroup: `measured-${pattern}`,
      x: ["KiB per disk request"], y: [perRequest ? perRequest.median : 0], error_y: perRequest ? rangeErrorBars([perRequest]) : undefined,
      text: [perRequest ? shortNumber(perRequest.median) : "n/a"], ...INSIDE_LABEL, marker: measuredBarMarker(color), xaxis: "x2", yaxis: "y2",
    });
    data.push({
      type: "bar", name: `${pattern} 4 KiB: model (${s.readaheadMax}-page window)`, legendgroup: `${pattern}-model`, offsetgroup: `model-${pattern}`,
      x: ["KiB per disk request"], y: [(s.pagesPerRequest * PAGE_SIZE) / 1024], text: [shortNumber((s.pagesPerRequest * PAGE_SIZE) / 1024)],
      textposition: "outside", marker: modelBarMarker(color), xaxis: "x2", yaxis: "y2",
    });
    data.push({
      type: "bar", name: `${pattern} 4 KiB: measured`, legendgroup: `${pattern}-measured`, showlegend: false, offsetgroup: `measured-${pattern}`,
      x: ["fetched per byte asked"], y: [m.readBytesPerByte.median], error_y: rangeErrorBars([m.readBytesPerByte]),
      text: [shortNumber(m.readBytesPerByte.median)], ...INSIDE_LABEL, marker: measuredBarMarker(color), xaxis: "x3", yaxis: "y3",
    });
    data.push({
      type: "bar", name: `${pattern} 4 KiB: model (${s.readaheadMax}-page window)`, legendgroup: `${pattern}-model`, showlegend: false, offsetgroup: `model-${pattern}`,
      x: ["fetched per byte asked"], y: [s.diskPages / s.accesses], text: [shortNumber(s.diskPages / s.accesses)],
      textposition: "outside", marker: modelBarMarker(color), xaxis: "x3", yaxis: "y3",
    });
  }
  const title = `Readahead on this machine (read_ahead_kb = ${readAheadKiB ?? "?"}) beside the model: ${record.calls} cold 4 KiB reads`;
  return {
    id: "readahead-machine",
    title,
    data,
    layout: baseLayout(title, {
      barmode: "group",
      height: 500,
      xaxis: { domain: [0, 0.28], title: { text: "speed" } },
      yaxis: logAxis("read(2) throughput (MiB/s)"),
      xaxis2: { domain: [0.36, 0.64], anchor: "y2", title: { text: "request size" } },
      yaxis2: logAxis("disk request size (KiB)", { anchor: "x2" }),
      xaxis3: { domain: [0.72, 1], anchor: "y3", title: { text: "overfetch" } },
      yaxis3: { anchor: "x3", title: { text: "bytes fetched / bytes asked (ratio)" }, rangemode: "tozero" },
      legend: legendBelow("pattern, source", -0.22),
      margin: { t: 60, r: 20, b: 130, l: 70 },
    }),
    summary: patterns
      .map((p) => {
        const m = record[p];
        return `${p}: ${shortNumber(m.mibps.median)} MiB/s, ${m.deviceKiBPerRequest ? shortNumber(m.deviceKiBPerRequest.median) : "n/a"} KiB/device request (model ${shortNumber((modelFor(p).pagesPerRequest * PAGE_SIZE) / 1024)}), fetched/asked ${shortNumber(m.readBytesPerByte.median)}`;
      })
      .join("; "),
  };
}

/** The same file read k times from a cold start: MiB fetched from storage per read (model dashed, measured solid) and read time. */
export function rereadsFigure(record: RereadRecord, model: RereadModelPass[]): Figure {
  const reads = record.passes.map((_, i) => i + 1);
  const color = CACHE_STATE_COLORS.cold;
  const data: Record<string, unknown>[] = [
    {
      type: "scatter", mode: "lines+markers+text", name: "MiB from storage: measured (/proc/self/io read_bytes)",
      x: reads, y: record.passes.map((p) => p.readBytes / MiB), text: record.passes.map((p) => shortNumber(p.readBytes / MiB)),
      textposition: "top right", line: { ...MEASURED_LINE, width: 6, color: "rgba(31,119,180,0.45)" }, marker: { color, size: 9 },
    },
    // Drawn over the measurement: where the two agree, the dashes run along the wide measured line.
    {
      type: "scatter", mode: "lines+markers", name: "MiB from storage: model (disk pages × 4 KiB)",
      x: model.map((p) => p.read), y: model.map((p) => (p.diskPages * PAGE_SIZE) / MiB),
      line: { ...MODEL_LINE, color: "#000" }, marker: { color: "#000", size: 12, symbol: "circle-open" },
    },
    {
      type: "scatter", mode: "lines+markers", name: "read time: measured (ms, right axis)", yaxis: "y2",
      x: reads, y: record.passes.map((p) => p.seconds * 1000), line: { ...MEASURED_LINE, width: 2, color: CACHE_STATE_COLORS.warm }, marker: { color: CACHE_STATE_COLORS.warm, size: 7 },
    },
  ];
  const fileMiB = record.passes[0].bytes / MiB;
  const title = `Reading the same ${shortNumber(fileMiB)} MiB file ${record.reads} times from a cold cache: disk traffic per read`;
  return {
    id: "rereads",
    title,
    data,
    layout: baseLayout(title, {
      xaxis: { title: { text: "read number (whole file each)" }, dtick: 1 },
      yaxis: { title: { text: "fetched from storage (MiB)" }, rangemode: "tozero" },
      yaxis2: { title: { text: "time in read(2) (ms)" }, overlaying: "y", side: "right", rangemode: "tozero", showgrid: false, tickmode: "auto", nticks: 6 },
      legend: legendBelow("what, source", -0.2),
      margin: { t: 60, r: 70, b: 100, l: 70 },
    }),
    summary: record.passes
      .map((p, i) => `read ${i + 1}: ${shortNumber(p.readBytes / MiB)} MiB from storage (model ${shortNumber(((model[i]?.diskPages ?? 0) * PAGE_SIZE) / MiB)}), ${(p.seconds * 1000).toFixed(1)} ms`)
      .join("; "),
  };
}

/** Every whole-file pass of the cold/warm measurement as a table (residency, time, read_bytes, device requests, CRC). */
export function passesTable(id: string, caption: string, passes: ReadPass[], model?: RereadModelPass[]): Table {
  return {
    id,
    caption,
    columns: ["pass", "resident before → after (pages)", "time in read(2), ms", "MiB/s", "read_bytes, MiB", ...(model ? ["model, MiB"] : []), "device requests", "data"],
    rows: passes.map((p, i) => [
      p.label,
      `${p.residentBefore} → ${p.residentAfter} of ${p.totalPages}`,
      (p.seconds * 1000).toFixed(1),
      p.mibps.toFixed(0),
      (p.readBytes / MiB).toFixed(1),
      ...(model ? [(((model[i]?.diskPages ?? 0) * PAGE_SIZE) / MiB).toFixed(1)] : []),
      p.device ? String(p.device.requests) : "n/a",
      p.verified ? "CRC ok" : "CRC MISMATCH",
    ]),
    numeric: model ? [2, 3, 4, 5, 6] : [2, 3, 4, 5],
    marked: passes.flatMap((p, i) => (p.verified ? [] : [i])),
    note: "Device requests count the whole device: another program's reads in the same window count too.",
  };
}

/** The model's readahead scenarios as a table: misses, pages read ahead by fate, disk requests and their size. */
export function scenariosTable(scenarios: ReadaheadScenario[]): Table {
  return {
    id: "readahead-scenarios",
    caption: "The model's readahead scenarios, page by page",
    columns: ["scenario", "misses", "read ahead", "then used", "wasted", "disk requests", "pages per request"],
    rows: scenarios.map((s) => [s.label, String(s.misses), String(s.readaheadPages), String(s.readaheadUsed), String(s.readaheadWasted), String(s.diskRequests), s.pagesPerRequest.toFixed(1)]),
    numeric: [1, 2, 3, 4, 5, 6],
  };
}

/** The four read passes' speed, measured (solid, min-max) beside the storage model on this machine's profile
 *  (hatched), on a log axis: a warm read and a shuffled cold one are two orders of magnitude apart. */
export function readSpeedFigure(rows: ReadSpeedRow[], modelLabel: string): Figure {
  const colors: Record<ReadSpeedRow["key"], string> = { cold: CACHE_STATE_COLORS.cold, warm: CACHE_STATE_COLORS.warm, sequential: PATTERN_COLORS.sequential, random: PATTERN_COLORS.random };
  const x = rows.map((r) => wrapLabel(r.label, 16));
  const title = "How fast each read went, and what the storage model says";
  return {
    id: "read-speed-model",
    title,
    data: [
      {
        type: "bar", name: "this machine (measured median, min-max)", x, y: rows.map((r) => r.measured.median), error_y: rangeErrorBars(rows.map((r) => r.measured)),
        text: rows.map((r) => shortNumber(r.measured.median)), ...INSIDE_LABEL, marker: { ...measuredBarMarker("#444444"), color: rows.map((r) => colors[r.key]) }, offsetgroup: "measured",
      },
      {
        type: "bar", name: modelLabel, x, y: rows.map((r) => r.modelMiBps), text: rows.map((r) => shortNumber(r.modelMiBps)), textposition: "outside", cliponaxis: false,
        marker: { ...modelBarMarker("#444444"), line: { color: rows.map((r) => colors[r.key]), width: 2 }, pattern: { shape: "/", fgcolor: rows.map((r) => colors[r.key]), solidity: 0.35 } }, offsetgroup: "model",
      },
    ],
    layout: baseLayout(title, {
      barmode: "group",
      xaxis: { title: { text: "read pass" }, tickangle: 0 },
      yaxis: logAxis("read(2) throughput (MiB/s)"),
      legend: legendBelow("source", -0.25),
      margin: { t: 60, r: 20, b: 140, l: 80 },
      height: 480,
    }),
    summary: rows.map((r) => `${r.label}: ${shortNumber(r.measured.median)} MiB/s measured, ${shortNumber(r.modelMiBps)} model`).join("; "),
  };
}
