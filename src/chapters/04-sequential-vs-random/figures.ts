// Chapter 4 figures: sequential vs random I/O on the model's disks (HDD, SATA SSD, NVMe), Kafka's RAID-5
// claim beside the model's array, and this machine's measurements beside the model of this machine.
// Built from the records of src/experiments/disk-model-runs.ts and disk-experiment.ts; notebook 4 and the
// disk report experiment both call these.
import { Figure } from "../../plot/figure";
import { baseLayout, logAxis, legendBelow, MODEL_LINE, MEASURED_LINE } from "../../plot/style";
import type { ProfileThroughput, RandomReadBreakdown, RequestSizePoint, ArrayEstimate, BufferedReadPrediction } from "./analysis";
import { KAFKA_DISK_CLAIM, diskCase } from "./analysis";
import type { DiskResult, DiskCase } from "../../experiments/disk-records";
import type { Spread } from "../../statistics/spread";
import { MiB, formatBytes } from "../../units/sizes";
import { modelBarMarker, measuredBarMarker, rangeErrorBars, shortNumber, INSIDE_LABEL } from "../../plot/bars";


/** One colour per access pattern. */
export const ACCESS_COLORS = { sequential: "#2ca02c", random: "#d62728" } as const;

/** One colour per disk profile; "this machine" is the profile built from this machine's measurements. */
export const DISK_COLORS: Record<string, string> = {
  hdd: "#8c564b",
  "sata-ssd": "#ff7f0e",
  nvme: "#1f77b4",
  "this machine": "#17becf",
};

/** Colour of a disk profile, grey for anything unknown. */
export function diskColor(disk: string): string {
  return DISK_COLORS[disk] ?? "#7f7f7f";
}

/** The machine's measured sequential and random reads to draw beside its profile (MiB/s spreads). */
export interface MeasuredPair {
  label: string;
  sequential: Spread;
  random: Spread;
}

/**
 * Sequential vs random 4 KiB throughput per disk profile (model, hatched, log scale) with the ratio above each
 * pair; with `measured`, the machine's own direct reads stand solid beside the model of this machine.
 */
export function profileThroughputFigure(rows: ProfileThroughput[], measured?: MeasuredPair): Figure {
  const x = rows.map((r) => r.disk);
  const seqLabel = `sequential, ${shortNumber(rows[0].sequentialRequestBytes / 1024)} KiB requests`;
  const data: Record<string, unknown>[] = [
    {
      type: "bar", name: `${seqLabel} (model)`, x, y: rows.map((r) => r.sequentialBytesPerSecond / MiB),
      text: rows.map((r) => shortNumber(r.sequentialBytesPerSecond / MiB)), textposition: "outside",
      marker: modelBarMarker(ACCESS_COLORS.sequential), offsetgroup: "seq-model",
    },
    {
      type: "bar", name: "random 4 KiB, queue depth 1 (model)", x, y: rows.map((r) => r.randomBytesPerSecond / MiB),
      text: rows.map((r) => shortNumber(r.randomBytesPerSecond / MiB)), textposition: "outside",
      marker: modelBarMarker(ACCESS_COLORS.random), offsetgroup: "rnd-model",
    },
  ];
  if (measured) {
    data.push(
      {
        type: "bar", name: `sequential (measured: ${measured.label})`, x: ["this machine"], y: [measured.sequential.median],
        error_y: rangeErrorBars([measured.sequential]), marker: measuredBarMarker(ACCESS_COLORS.sequential), offsetgroup: "seq-measured",
        text: [shortNumber(measured.sequential.median)], ...INSIDE_LABEL,
      },
      {
        type: "bar", name: `random 4 KiB (measured: ${measured.label})`, x: ["this machine"], y: [measured.random.median],
        error_y: rangeErrorBars([measured.random]), marker: measuredBarMarker(ACCESS_COLORS.random), offsetgroup: "rnd-measured",
        text: [shortNumber(measured.random.median)], ...INSIDE_LABEL,
      },
    );
  }
  const top = Math.max(...rows.map((r) => r.sequentialBytesPerSecond / MiB), measured?.sequential.max ?? 0);
  const seqKiB = shortNumber(rows[0].sequentialRequestBytes / 1024);
  const title = `Sequential (${seqKiB} KiB requests) vs random 4 KiB reads per disk (model hatched, measured solid)`;
  return {
    id: "disk-profiles",
    title,
    data,
    layout: baseLayout(title, {
      barmode: "group",
      height: 500,
      xaxis: { title: { text: "disk profile" } },
      yaxis: logAxis("throughput (MiB/s)", { range: [-1.5, Math.log10(top) + 1] }),
      annotations: rows.map((r) => ({
        x: r.disk, y: Math.log10(top) + 0.6, text: `<b>${shortNumber(r.ratio)}x</b>`, showarrow: false, font: { size: 14 },
      })),
      legend: legendBelow("pattern, source", -0.2),
      margin: { t: 60, r: 20, b: 140, l: 70 },
    }),
    summary: rows.map((r) => `${r.disk}: sequential ${shortNumber(r.sequentialBytesPerSecond / MiB)} MiB/s vs random 4 KiB ${shortNumber(r.randomBytesPerSecond / MiB)} MiB/s = ${shortNumber(r.ratio)}x`).join("\n"),
  };
}

/** The components of one random read, in the order they happen. */
const READ_PARTS = [
  { key: "overheadSeconds", label: "command overhead / flash latency", color: "#7f7f7f" },
  { key: "seekSeconds", label: "seek (arm moves)", color: "#8c564b" },
  { key: "rotateSeconds", label: "rotational wait", color: "#e377c2" },
  { key: "transferSeconds", label: "transfer of 4 KiB", color: "#2ca02c" },
] as const;

/** Where a random 4 KiB read's time goes on each profile (model, stacked horizontal bars, ms). */
export function randomReadBreakdownFigure(rows: RandomReadBreakdown[]): Figure {
  const y = rows.map((r) => r.disk);
  const data: Record<string, unknown>[] = READ_PARTS.map((part) => ({
    type: "bar", orientation: "h", name: `${part.label} (model)`, y, x: rows.map((r) => r[part.key] * 1000),
    marker: modelBarMarker(part.color),
  }));
  data.push({
    type: "scatter", mode: "text", name: "total per read (model)", y, x: rows.map((r) => r.totalSeconds * 1000),
    text: rows.map((r) => `  ${r.totalSeconds * 1000 >= 1 ? (r.totalSeconds * 1000).toFixed(2) + " ms" : (r.totalSeconds * 1e6).toFixed(0) + " µs"}`),
    textposition: "middle right", showlegend: false, textfont: { size: 13 },
  });
  const title = `Where one random 4 KiB read's time goes (model, mean of ${rows[0]?.requests ?? 0} reads at random blocks)`;
  const longest = Math.max(...rows.map((r) => r.totalSeconds * 1000));
  return {
    id: "random-read-breakdown",
    title,
    data,
    layout: baseLayout(title, {
      barmode: "stack",
      height: 380,
      xaxis: { title: { text: "time per read (ms)" }, range: [0, longest * 1.25] },
      yaxis: { title: { text: "disk profile" } },
      legend: legendBelow("component", -0.3),
      margin: { t: 60, r: 20, b: 120, l: 90 },
    }),
    summary: rows.map((r) => `${r.disk}: ${(r.totalSeconds * 1000).toFixed(3)} ms (seek ${(r.seekSeconds * 1000).toFixed(2)}, rotation ${(r.rotateSeconds * 1000).toFixed(2)}, transfer ${(r.transferSeconds * 1000).toFixed(3)})`).join("\n"),
  };
}

/** A measured point of random-read throughput at one request size. */
export interface MeasuredRequestPoint {
  requestBytes: number;
  mibps: Spread;
}

/**
 * Random-read throughput vs request size per profile (model, dashed) with each profile's sequential rate as a
 * dotted ceiling; the machine's direct random reads (solid) where measured.
 */
export function requestSizeFigure(points: RequestSizePoint[], measured: MeasuredRequestPoint[] = [], measuredLabel = "this machine, O_DIRECT random reads"): Figure {
  const disks = [...new Set(points.map((p) => p.disk))];
  const data: Record<string, unknown>[] = [];
  for (const disk of disks) {
    const curve = points.filter((p) => p.disk === disk).sort((a, b) => a.requestBytes - b.requestBytes);
    const color = diskColor(disk);
    data.push({
      type: "scatter", mode: "lines+markers", name: `${disk}: random (model)`, legendgroup: disk,
      x: curve.map((p) => p.requestBytes / 1024), y: curve.map((p) => p.randomBytesPerSecond / MiB),
      line: { ...MODEL_LINE, color }, marker: { color, size: 6 },
    });
    data.push({
      type: "scatter", mode: "lines", name: `${disk}: transfer rate, the ceiling (model)`, legendgroup: disk, showlegend: false,
      x: [curve[0].requestBytes / 1024, curve[curve.length - 1].requestBytes / 1024],
      y: [curve[0].mediaBytesPerSecond / MiB, curve[0].mediaBytesPerSecond / MiB],
      line: { dash: "dot", width: 1, color }, hoverinfo: "skip",
    });
  }
  if (measured.length) {
    const color = diskColor("this machine");
    data.push({
      type: "scatter", mode: "lines+markers", name: `${measuredLabel} (measured)`,
      x: measured.map((m) => m.requestBytes / 1024), y: measured.map((m) => m.mibps.median), error_y: rangeErrorBars(measured.map((m) => m.mibps)),
      line: { ...MEASURED_LINE, color }, marker: { color, size: 10, symbol: "square" },
    });
  }
  const title = "Random reads vs request size: big requests amortise positioning (model dashed, dotted = transfer rate)";
  return {
    id: "request-size",
    title,
    data,
    layout: baseLayout(title, {
      height: 500,
      xaxis: logAxis("request size (KiB)"),
      yaxis: logAxis("throughput (MiB/s)"),
      legend: legendBelow("disk, source", -0.2),
      margin: { t: 60, r: 20, b: 150, l: 70 },
    }),
    summary: disks
      .map((disk) => {
        const curve = points.filter((p) => p.disk === disk);
        const smallest = curve[0];
        const largest = curve[curve.length - 1];
        return `${disk}: ${shortNumber(smallest.randomBytesPerSecond / MiB)} MiB/s at ${smallest.requestBytes / 1024} KiB, ${shortNumber(largest.randomBytesPerSecond / MiB)} MiB/s at ${largest.requestBytes / 1024} KiB (transfer rate ${shortNumber(smallest.mediaBytesPerSecond / MiB)})`;
      })
      .join("\n"),
  };
}

/** Kafka's quoted array numbers beside the model's six-disk RAID-5 (MB/s as Kafka writes them, log scale). */
export function kafkaArrayFigure(estimate: ArrayEstimate): Figure {
  const x = ["sequential (linear) writes", `random ${formatBytes(estimate.writeBytes)} writes`];
  const mb = (v: number) => v / 1e6;
  const series = [
    { name: "Kafka design doc (quoted)", y: [KAFKA_DISK_CLAIM.sequentialBytesPerSecond, KAFKA_DISK_CLAIM.randomBytesPerSecond], marker: measuredBarMarker("#7f7f7f"), ratio: KAFKA_DISK_CLAIM.ratio },
    { name: "model: one small write at a time", y: [estimate.sequentialBytesPerSecond, estimate.randomQd1BytesPerSecond], marker: modelBarMarker(diskColor("hdd")), ratio: estimate.ratioQd1 },
    { name: "model: all six disks busy", y: [estimate.sequentialBytesPerSecond, estimate.randomBusyBytesPerSecond], marker: modelBarMarker("#bcbd22"), ratio: estimate.ratioBusy },
  ];
  const data = series.map((s) => ({
    type: "bar", name: `${s.name} (linear / random ${shortNumber(s.ratio)}x)`, x, y: s.y.map(mb), marker: s.marker,
    text: s.y.map((v) => (v >= 1e6 ? `${shortNumber(mb(v))} MB/s` : `${shortNumber(v / 1e3)} kB/s`)), textposition: "outside",
  }));
  const title = `Kafka's claim: ${estimate.disks} × 7200 rpm disks in RAID-5, linear vs random writes (quoted vs model)`;
  return {
    id: "kafka-array",
    title,
    data,
    layout: baseLayout(title, {
      barmode: "group",
      height: 480,
      xaxis: { title: { text: "write pattern" } },
      yaxis: logAxis("write throughput (MB/s)", { range: [-2, 3.6] }),
      legend: legendBelow(undefined, -0.2),
      margin: { t: 60, r: 20, b: 130, l: 70 },
    }),
    summary:
      `Kafka: 600 MB/s vs 100 kB/s = 6000x; model: ${shortNumber(mb(estimate.sequentialBytesPerSecond))} MB/s vs ` +
      `${shortNumber(estimate.randomQd1BytesPerSecond / 1e3)}-${shortNumber(estimate.randomBusyBytesPerSecond / 1e3)} kB/s = ${shortNumber(estimate.ratioBusy)}-${shortNumber(estimate.ratioQd1)}x`,
  };
}

/** A log-axis range from a third of the smallest bar to three times the largest, so every bar and its label shows. */
function logRange(data: Record<string, unknown>[]): [number, number] {
  const values = data.flatMap((t) => (t.y as number[]) ?? []).filter((v) => v > 0);
  return [Math.log10(Math.min(...values) / 3), Math.log10(Math.max(...values) * 3)];
}

/** The groups of machine cases notebook 4 compares, 4 KiB each: sequential and random side by side. */
const MACHINE_GROUPS = [
  { label: "read, buffered (cold cache)", tick: "read, buffered<br>(cold cache)", op: "read", io: "buffered", fsync: "none" },
  { label: "read, O_DIRECT", tick: "read,<br>O_DIRECT", op: "read", io: "direct", fsync: "none" },
  { label: "write, buffered, no fsync", tick: "write, buffered,<br>no fsync", op: "write", io: "buffered", fsync: "none" },
  { label: "write, buffered, fsync at end", tick: "write, buffered,<br>fsync at end", op: "write", io: "buffered", fsync: "end" },
  { label: "write, O_DIRECT", tick: "write,<br>O_DIRECT", op: "write", io: "direct", fsync: "none" },
] as const;

/**
 * This machine's 4 KiB reads and writes, sequential vs random (measured, solid, min-max bars, log scale), with
 * the model's prediction for buffered reads on this machine's profile (hatched) where given.
 */
export function machineDiskFigure(result: DiskResult, prediction?: BufferedReadPrediction, block = 4096): Figure {
  const groups = MACHINE_GROUPS.filter((g) => diskCase(result, g.op, "sequential", g.io, block, g.fsync) && diskCase(result, g.op, "random", g.io, block, g.fsync));
  const x = groups.map((g) => g.tick);
  const data: Record<string, unknown>[] = [];
  for (const pattern of ["sequential", "random"] as const) {
    const cases = groups.map((g) => diskCase(result, g.op, pattern, g.io, block, g.fsync) as DiskCase);
    data.push({
      type: "bar", name: `${pattern} ${block / 1024} KiB (measured)`, x, y: cases.map((c) => c.mibps.median),
      error_y: rangeErrorBars(cases.map((c) => c.mibps)), text: cases.map((c) => shortNumber(c.mibps.median)), ...INSIDE_LABEL, textangle: -90, // upright labels do not fit four bars a group
      marker: measuredBarMarker(ACCESS_COLORS[pattern]), offsetgroup: `${pattern}-measured`,
    });
  }
  if (prediction && groups.some((g) => g.label === MACHINE_GROUPS[0].label)) {
    const at = [MACHINE_GROUPS[0].tick];
    const window = `${shortNumber(prediction.readaheadBytes / 1024)} KiB readahead requests`;
    data.push(
      {
        type: "bar", name: `sequential (model: this machine's profile, ${window})`, x: at, y: [prediction.sequentialBytesPerSecond / MiB],
        marker: modelBarMarker(ACCESS_COLORS.sequential), offsetgroup: "sequential-model", text: [shortNumber(prediction.sequentialBytesPerSecond / MiB)], textposition: "outside",
      },
      {
        type: "bar", name: "random 4 KiB (model: this machine's profile)", x: at, y: [prediction.randomBytesPerSecond / MiB],
        marker: modelBarMarker(ACCESS_COLORS.random), offsetgroup: "random-model", text: [shortNumber(prediction.randomBytesPerSecond / MiB)], textposition: "outside",
      },
    );
  }
  const c = result.conditions;
  const title = `This machine: sequential vs random ${block / 1024} KiB I/O (${shortNumber(c.fileBytes / MiB)} MiB file on ${c.filesystem}, median of ${c.runs})`;
  return {
    id: "machine-disk",
    title,
    data,
    layout: baseLayout(title, {
      barmode: "group",
      height: 520,
      xaxis: { title: { text: "operation, path through the kernel" } },
      yaxis: logAxis("throughput (MiB/s)", { range: logRange(data) }),
      legend: legendBelow("pattern, source", -0.25),
      margin: { t: 60, r: 20, b: 140, l: 70 },
    }),
    summary: groups
      .map((g) => {
        const s = diskCase(result, g.op, "sequential", g.io, block, g.fsync)!;
        const r = diskCase(result, g.op, "random", g.io, block, g.fsync)!;
        return `${g.label}: sequential ${shortNumber(s.mibps.median)} vs random ${shortNumber(r.mibps.median)} MiB/s (${shortNumber(s.mibps.median / r.mibps.median)}x)`;
      })
      .join("\n"),
  };
}
