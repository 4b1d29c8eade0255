// Chapter 1's figures and tables: ByteByteGo's diagram drawn from the model's step tables, the post's steps beside
// the model's, the work one call of each path does, and the calls a whole transfer needs.
import { Figure } from "../../plot/figure";
import { baseLayout, logAxis } from "../../plot/style";
import { countLabel } from "../../plot/bars";
import { dataPathStepsFigure, MOVER_STYLE } from "../../plot/data-path-steps";
import type { Table } from "../../plot/table";
import type { TransferCounts } from "../../model/transfer-model";
import { POST_STEPS, BYTEBYTEGO_POST } from "../../reference/bytebytego-post";
import { formatBytes, MiB } from "../../units/sizes";
import { CopyPathResult, PerCallWork, POST_PART_PATHS, stepsOf } from "./analysis";

/** The post's words for each step, as the diagram's caption says them when the slider stands on it. */
function postCaptions(): Record<string, string> {
  return Object.fromEntries(POST_STEPS.map((s) => [s.label, `the post: “${s.text}”${s.label.startsWith("1.") ? ` (arrow ${s.label}: ${s.from} → ${s.to})` : ""}`]));
}

/** ByteByteGo's diagram in its own numbering, four panels: 1.x, 2.x, and 3.x with and without scatter-gather. */
export function postDiagramFigure(result: CopyPathResult): Figure {
  const figure = dataPathStepsFigure(
    [
      { title: "1.1–1.3 the producer writes to the disk", steps: stepsOf(result, "recv-write"), side: "producer" },
      { title: "2.1–2.5 without zero-copy (read + write)", steps: stepsOf(result, "read-write"), side: "consumer" },
      { title: "3.1–3.3 zero-copy as the post draws it (NIC gathers)", steps: stepsOf(result, "sendfile-sg"), side: "consumer" },
      { title: "3.1–3.3 zero-copy, NIC without scatter-gather", steps: stepsOf(result, "sendfile"), side: "consumer" },
    ],
    `ByteByteGo's “${BYTEBYTEGO_POST.title}”, step by step, from the model's step tables`,
    postCaptions(),
  );
  return { ...figure, id: "post-diagram" };
}

/** The post's steps, its words, and the model's moves for each (both sendfile variants for 3.x). */
export function postStepsTable(result: CopyPathResult): Table {
  const rows = POST_STEPS.map((post) => {
    const inModel = POST_PART_PATHS[post.part].map((path) => {
      const found = result.postSteps.find((p) => p.label === post.label && p.path === path);
      return `${path}: ${found?.moves.join(", ") || "(missing)"}`;
    });
    const ok = POST_PART_PATHS[post.part].every((path) => result.postSteps.find((p) => p.label === post.label && p.path === path)?.matches);
    return [post.label, post.text, `${post.from} → ${post.to}`, inModel.join("; "), ok ? "✓" : "✗"];
  });
  return {
    id: "post-steps",
    caption: `The post's steps in its own words, and the model's moves that carry each label`,
    columns: ["step", "the post says", "meaning", "the model's moves (who, from → to)", "same meaning"],
    rows,
    note:
      `Source: ${BYTEBYTEGO_POST.author}, “${BYTEBYTEGO_POST.title}” (${BYTEBYTEGO_POST.date}), ${BYTEBYTEGO_POST.url}. ` +
      "The post gives 1.1-1.3 one line; the meanings of its three arrows are the diagram's. Mode switches carry no label: the post does not number them.",
    marked: rows.flatMap((r, i) => (r[4] === "✗" ? [i] : [])),
  };
}

/** Grouped bars of what one call of each path does, beside the bytes the CPU copies for the whole transfer. */
export function copyWorkFigure(perCall: PerCallWork[], single: TransferCounts[]): Figure {
  const paths = perCall.map((p) => p.path);
  const series = [
    { key: "cpuCopies", name: "CPU copies", color: MOVER_STYLE.cpu.color },
    { key: "dmaCopies", name: "DMA copies", color: MOVER_STYLE.dma.color },
    { key: "descriptors", name: "descriptor hand-offs (no bytes)", color: MOVER_STYLE.descriptor.color },
    { key: "modeSwitches", name: "user/kernel mode switches", color: MOVER_STYLE.switch.color },
    { key: "syscalls", name: "system calls", color: "#444444" },
  ] as const;
  const bytes = single[0]?.bytes ?? 0;
  const data: Record<string, unknown>[] = series.map((s) => ({
    type: "bar",
    name: s.name,
    x: paths,
    y: perCall.map((p) => p[s.key]),
    text: perCall.map((p) => String(p[s.key])),
    textposition: "outside",
    cliponaxis: false,
    marker: { color: s.color },
    xaxis: "x",
    yaxis: "y",
  }));
  data.push({
    type: "bar",
    name: `MiB the CPU copies to move ${formatBytes(bytes)}`,
    x: single.map((r) => r.path),
    y: single.map((r) => r.cpuBytes / MiB),
    text: single.map((r) => `${countLabel(r.cpuBytes / MiB)} MiB`),
    textposition: "outside",
    cliponaxis: false,
    marker: { color: MOVER_STYLE.cpu.color, opacity: 0.55, line: { color: MOVER_STYLE.cpu.color, width: 1.5 } },
    xaxis: "x2",
    yaxis: "y2",
  });
  const title = "The work of one call, per data path (model)";
  const top = Math.max(...perCall.flatMap((p) => series.map((s) => p[s.key])));
  return {
    id: "copy-work",
    title,
    data,
    layout: baseLayout(title, {
      barmode: "group",
      height: 500,
      xaxis: { domain: [0, 0.6], title: { text: "data path" } },
      yaxis: { title: { text: "operations per call (count)" }, rangemode: "tozero", range: [0, top + 1.5], dtick: 1 },
      xaxis2: { domain: [0.7, 1], anchor: "y2", tickangle: -30 },
      yaxis2: { anchor: "x2", title: { text: "MiB copied by the CPU" }, rangemode: "tozero" },
      annotations: [
        { xref: "paper", yref: "paper", x: 0, y: 1.02, xanchor: "left", yanchor: "bottom", showarrow: false, text: "<b>per call</b>: one read + write, one write of a mapping, one sendfile, two splices", font: { size: 12 } },
        { xref: "paper", yref: "paper", x: 0.7, y: 1.02, xanchor: "left", yanchor: "bottom", showarrow: false, text: `<b>per ${formatBytes(bytes)} moved</b>, whatever the call size`, font: { size: 12 } },
      ],
      legend: { orientation: "h", x: 0, y: -0.24, yanchor: "top" },
      margin: { t: 90, r: 20, b: 140, l: 70 },
    }),
    summary: perCall
      .map((p) => `${p.path}: per call ${p.cpuCopies} CPU + ${p.dmaCopies} DMA copies, ${p.descriptors} descriptor hand-offs, ${p.modeSwitches} mode switches, ${p.syscalls} syscalls`)
      .join("\n"),
  };
}

/** System calls to move the whole transfer: with the largest calls each path allows, and with the copy loops in
 *  `chunk`-byte calls (log scale: they span 1 to tens of thousands). */
export function callsFigure(single: TransferCounts[], chunked: TransferCounts[], chunk: number): Figure {
  const bytes = single[0]?.bytes ?? 0;
  // A path whose calls are the same in both settings (the zero-copy ones) gets one bar, not two equal ones.
  const bar = (records: TransferCounts[], name: string, color: string, only?: (r: TransferCounts, i: number) => boolean) => ({
    type: "bar",
    name,
    x: records.map((r) => r.path),
    y: records.map((r, i) => (only && !only(r, i) ? null : r.syscalls)),
    text: records.map((r, i) => (only && !only(r, i) ? "" : `${countLabel(r.syscalls)}<br>(${countLabel(r.chunks)} × ${formatBytes(r.callBytes)})`)),
    textposition: "outside",
    cliponaxis: false,
    marker: { color },
  });
  const title = `System calls to move ${formatBytes(bytes)} (model)`;
  const top = Math.max(...[...single, ...chunked].map((r) => r.syscalls));
  return {
    id: "copy-calls",
    title,
    data: [
      bar(single, "largest calls the kernel allows", "#1f77b4"),
      bar(chunked, `copy loops in ${formatBytes(chunk)} calls`, "#ff7f0e", (r, i) => r.chunks !== single[i].chunks),
    ],
    layout: baseLayout(title, {
      barmode: "group",
      height: 480,
      xaxis: { title: { text: "data path" } },
      yaxis: { ...logAxis("system calls"), range: [-0.3, Math.log10(top) + 1] },
      annotations: [{ xref: "paper", yref: "paper", x: 0, y: 1.02, xanchor: "left", yanchor: "bottom", showarrow: false, font: { size: 12 }, text: "bar label: system calls (calls × bytes per call)" }],
      legend: { orientation: "h", x: 0, y: -0.2, yanchor: "top", title: { text: "call size" } },
      margin: { t: 60, r: 20, b: 110, l: 80 },
    }),
    summary: chunked.map((r, i) => `${r.path}: ${single[i].syscalls} syscalls in its largest calls, ${r.syscalls} in ${formatBytes(r.chunk)} calls`).join("\n"),
  };
}

/** Every counter of both runs, as a table for the collapsed details. */
export function countersTable(single: TransferCounts[], chunked: TransferCounts[]): Table {
  const splice = single.find((r) => r.path === "splice");
  const row = (r: TransferCounts, setting: string) => [
    r.path, setting, countLabel(r.chunks), formatBytes(r.callBytes), countLabel(r.syscalls), countLabel(r.modeSwitches),
    countLabel(r.cpuCopies), countLabel(r.dmaCopies), countLabel(r.descriptors), formatBytes(r.cpuBytes), formatBytes(r.dmaBytes),
  ];
  return {
    id: "copy-counters",
    caption: `The model's counters for ${formatBytes(single[0]?.bytes ?? 0)}`,
    columns: ["path", "call size", "calls", "bytes per call", "syscalls", "mode switches", "CPU copies", "DMA copies", "descriptors", "bytes the CPU copies", "bytes DMA moves"],
    rows: [...single.map((r) => row(r, "largest")), ...chunked.map((r) => row(r, r.path === "read-write" || r.path === "mmap-write" ? "copy loop" : "largest"))],
    numeric: [2, 3, 4, 5, 6, 7, 8, 9, 10],
    note:
      "A copy or a mode switch counts once per call" +
      (splice ? `: ${countLabel(splice.chunks)} splice calls make ${countLabel(splice.dmaCopies)} DMA copy operations of ${formatBytes(splice.callBytes)} each, not ${countLabel(splice.dmaCopies)} copies of the file.` : "."),
  };
}
