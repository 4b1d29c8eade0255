// Chapter 5's figures: the producer's side. Where the sink's bytes are over time, what each flush policy
// costs until the ack and afterwards (machine solid, model hatched or dashed), which counters see the
// writes when, and the kernel's flusher at work. Built from ProducerResult records and PolicyModel records.
import { Figure } from "../../plot/figure";
import { baseLayout, pathColor, legendBelow, MODEL_LINE, MEASURED_LINE } from "../../plot/style";
import type { Table } from "../../plot/table";
import { PathStage, PRODUCER_SEND_PATH, NIC_RECEIVE_PATH, LOOPBACK_RECEIVE_PATH } from "../../reference/receive-path";
import { POST_STEPS } from "../../reference/bytebytego-post";
import type { LoopbackRow } from "./analysis";
import { ProducerPolicy, ProducerResult, ProducerRun } from "../../experiments/producer-records";
import type { PolicyModel } from "./analysis";
import type { PathSteps } from "../../model/transfer-model";
import { dataPathStepsFigure } from "../../plot/data-path-steps";
import { summarize } from "../../statistics/spread";
import { MiB, formatBytes } from "../../units/sizes";


/** One colour per flush policy: the model path's colour where a policy is one path; fsync-end gets its own. */
export const POLICY_COLORS: Record<ProducerPolicy, string> = {
  "page-cache": pathColor("recv-write"),
  "fsync-end": "#e377c2",
  "fsync-each": pathColor("recv-write-fsync"),
};

/** Colours of the places a byte can be in, for the timeline (these are places, not paths). */
const PLACE_COLORS = { pageCache: "#e6a817", disk: "#2f4b7c", device: "#999999" };

/** The run whose wall time is closest to its policy's median: the one a timeline shows. */
export function medianRun(result: ProducerResult, policy: ProducerPolicy): ProducerRun | undefined {
  const runs = result.runs.filter((r) => r.policy === policy);
  const median = result.summaries.find((s) => s.policy === policy)?.metrics.wallSeconds.median;
  if (runs.length === 0 || median === undefined) return undefined;
  return runs.reduce((best, r) => (Math.abs(r.wallSeconds - median) < Math.abs(best.wallSeconds - median) ? r : best));
}

/** This machine's dirty_expire_centisecs in words ("3000 = 30 s"), as the run read it. */
function expireText(result: ProducerResult): string {
  const e = result.conditions.writeback.dirtyExpireCentisecs;
  return e === null ? "unreadable" : `${e} = ${e / 100} s`;
}

/** Axis name of facet i for plotly ("x", "x2", ...). */
function axis(i: number): string {
  return i === 0 ? "x" : `x${i + 1}`;
}

/**
 * Where the bytes are over time, one panel per policy: written into the page cache, covered by a returned
 * fsync, and the disk device's writes (all processes), on the producer's clock; the model dashed. The
 * ack is a vertical line, the later fsync a shaded band. Notebook 5's central picture.
 */
export function bytesTimelineFigure(result: ProducerResult, models: PolicyModel[]): Figure {
  const policies = result.conditions.policies;
  const bytes = result.conditions.bytes;
  const width = 1 / policies.length;
  const gap = 0.04;
  const data: Record<string, unknown>[] = [];
  const shapes: Record<string, unknown>[] = [];
  const annotations: Record<string, unknown>[] = [];
  const layoutAxes: Record<string, unknown> = {};
  const summary: string[] = [];
  policies.forEach((policy, i) => {
    const run = medianRun(result, policy);
    const model = models.find((m) => m.policy === policy);
    if (!run) return;
    const x = axis(i);
    const first = i === 0;
    const ms = (s: number) => s * 1000;
    const line = (name: string, group: string, xs: number[], ys: number[], color: string, style: Record<string, unknown>) => ({
      type: "scatter",
      mode: "lines",
      name,
      legendgroup: group,
      showlegend: first,
      xaxis: x,
      yaxis: "y",
      x: xs,
      y: ys,
      line: { color, ...style },
    });
    const t = run.samples.map((s) => ms(s.seconds));
    data.push(line("in the page cache: written (measured)", "written", t, run.samples.map((s) => s.writtenBytes / MiB), PLACE_COLORS.pageCache, MEASURED_LINE));
    // Durable bytes jump when an fsync returns: a step, not a ramp.
    data.push(line("on the disk: fsync returned (measured)", "durable", t, run.samples.map((s) => s.durableBytes / MiB), PLACE_COLORS.disk, { ...MEASURED_LINE, shape: "hv" }));
    if (run.samples.every((s) => s.deviceWriteBytes !== null)) {
      data.push(line("disk device writes, all processes (measured)", "device", t, run.samples.map((s) => (s.deviceWriteBytes as number) / MiB), PLACE_COLORS.device, { dash: "dot", width: 2 }));
    }
    const end = Math.max(run.laterFsyncEndSeconds, model?.ackSeconds ?? 0) * 1.05;
    if (model) {
      const receive = ms(model.receiveSeconds);
      const ack = ms(model.ackSeconds);
      data.push(line(`in the page cache (${model.label})`, "model-written", [0, receive, ms(end)], [0, bytes / MiB, bytes / MiB], PLACE_COLORS.pageCache, MODEL_LINE));
      const disk =
        policy === "page-cache" ? { x: [0, ms(end)], y: [0, 0] } : policy === "fsync-end" ? { x: [0, receive, ack, ms(end)], y: [0, 0, bytes / MiB, bytes / MiB] } : { x: [0, ack, ms(end)], y: [0, bytes / MiB, bytes / MiB] };
      data.push(line(`on the disk (${model.label})`, "model-disk", disk.x, disk.y, PLACE_COLORS.disk, MODEL_LINE));
    }
    shapes.push({ type: "line", xref: x, yref: "paper", x0: ms(run.ackSeconds), x1: ms(run.ackSeconds), y0: 0, y1: 1, line: { color: "#333", width: 1.5 } });
    shapes.push({ type: "rect", xref: x, yref: "paper", x0: ms(run.laterFsyncStartSeconds), x1: ms(run.laterFsyncEndSeconds), y0: 0, y1: 1, fillcolor: "#2f4b7c", opacity: 0.12, line: { width: 0 } });
    annotations.push({ xref: x, yref: "paper", x: ms(run.ackSeconds), y: 1.0, text: "ack", showarrow: false, xanchor: "right", font: { size: 11 } });
    annotations.push({ xref: "paper", yref: "paper", x: i * width + (width - gap) / 2, y: 1.08, text: `<b>${policy}</b>`, showarrow: false, font: { color: POLICY_COLORS[policy], size: 14 } });
    layoutAxes[i === 0 ? "xaxis" : `xaxis${i + 1}`] = {
      domain: [i * width, (i + 1) * width - gap],
      anchor: "y",
      range: [0, ms(end)],
      title: { text: i === Math.floor(policies.length / 2) ? "time since the producer sent its first byte (ms)" : "" },
    };
    summary.push(
      `${policy}: all written at ${ms(run.samples.find((s) => s.writtenBytes === bytes)?.seconds ?? NaN).toFixed(0)} ms, ack at ${ms(run.ackSeconds).toFixed(0)} ms, ` +
        `on disk at ${ms(run.samples.find((s) => s.durableBytes === bytes)?.seconds ?? NaN).toFixed(0)} ms (later fsync ${ms(run.laterFsyncSeconds).toFixed(1)} ms)`,
    );
  });
  if (policies.includes("page-cache")) {
    annotations.push({ xref: "paper", yref: "paper", x: 0, y: -0.3, xanchor: "left", yanchor: "top", align: "left", showarrow: false, font: { size: 11 },
      text: `Shaded: a later fsync() right after the ack. Without it the kernel's flusher writes page-cache data back<br>once it is dirty_expire_centisecs old (${expireText(result)} on this machine).` });
  }
  const title = `Where the sink's bytes are over time (${(bytes / MiB).toFixed(0)} MiB, median run per policy)`;
  return {
    id: "producer-timeline",
    title,
    data,
    layout: baseLayout(title, {
      ...layoutAxes,
      yaxis: { title: { text: "bytes (MiB)" }, rangemode: "tozero" },
      shapes,
      annotations,
      height: 580,
      margin: { t: 90, r: 20, b: 200, l: 70 },
      legend: { orientation: "h", y: -0.45 },
    }),
    summary: summary.join("\n"),
  };
}

/**
 * Time per policy as stacked bars: until the ack (what the producer waits for) and the writeback after it;
 * machine solid with min-max bars, model hatched.
 */
export function policyTimeFigure(result: ProducerResult, models: PolicyModel[]): Figure {
  const policies = result.conditions.policies;
  const summaries = policies.map((p) => result.summaries.find((s) => s.policy === p)!);
  const model = policies.map((p) => models.find((m) => m.policy === p));
  const colors = policies.map((p) => POLICY_COLORS[p]);
  const ms = (s: number) => s * 1000;
  const bar = (name: string, group: string, y: number[], base: number[] | undefined, hatched: boolean, later: boolean, error?: { plus: number[]; minus: number[] }) => ({
    type: "bar",
    name,
    offsetgroup: group,
    x: policies,
    y,
    base,
    error_y: error ? { type: "data", symmetric: false, array: error.plus, arrayminus: error.minus } : undefined,
    marker: {
      color: colors,
      opacity: later ? 0.45 : hatched ? 0.55 : 1,
      pattern: hatched ? { shape: later ? "." : "/", solidity: 0.5 } : later ? { shape: "x", solidity: 0.3 } : undefined,
      line: { color: colors, width: 1.5 },
    },
  });
  const ack = summaries.map((s) => ms(s.metrics.wallSeconds.median));
  const later = summaries.map((s) => ms(s.metrics.laterFsyncSeconds.median));
  const modelAck = model.map((m) => ms(m?.ackSeconds ?? NaN));
  const modelLater = model.map((m) => ms(m?.laterSeconds ?? NaN));
  const title = `Time per flush policy: until the ack, and the writeback after it (${(result.conditions.bytes / MiB).toFixed(0)} MiB)`;
  return {
    id: "producer-time",
    title,
    data: [
      bar("until the ack: machine (median, min-max)", "machine", ack, undefined, false, false, {
        plus: summaries.map((s, i) => ms(s.metrics.wallSeconds.max) - ack[i]),
        minus: summaries.map((s, i) => ack[i] - ms(s.metrics.wallSeconds.min)),
      }),
      bar("writeback after the ack: machine (a later fsync, median)", "machine", later, ack, false, true),
      bar(`until the ack: ${models[0]?.label ?? "model"}`, "model", modelAck, undefined, true, false),
      bar(`writeback after the ack: ${models[0]?.label ?? "model"} (the flusher's work)`, "model", modelLater, modelAck, true, true),
    ],
    layout: baseLayout(title, {
      barmode: "group",
      xaxis: { title: { text: "flush policy of the sink" } },
      yaxis: { title: { text: "time (ms); bar top = all bytes on the disk" }, rangemode: "tozero" },
      legend: legendBelow("source", -0.22),
      height: 560,
      margin: { t: 60, r: 20, b: 170, l: 70 },
    }),
    summary: policies
      .map((p, i) => `${p}: ack ${ack[i].toFixed(1)} ms (model ${modelAck[i].toFixed(1)}), later fsync ${later[i].toFixed(1)} ms (model writeback ${modelLater[i].toFixed(1)})`)
      .join("\n"),
  };
}

/**
 * Who sees the written bytes, and when: the sink's /proc/self/io write_bytes (charged when a page is
 * dirtied) and the disk device's completed writes (all processes), until the ack and during the later
 * fsync; the model's bytes on disk at the ack hatched. Medians with min-max.
 */
export function writeAccountingFigure(result: ProducerResult, models: PolicyModel[]): Figure {
  const policies = result.conditions.policies;
  const runsOf = (p: ProducerPolicy) => result.runs.filter((r) => r.policy === p);
  const spread = summarize;
  const hasDevice = result.runs.every((r) => r.deviceWriteBytesDuring !== null && r.deviceWriteBytesLater !== null);
  const bar = (name: string, pick: (r: ProducerRun) => number, color: string) => {
    const s = policies.map((p) => spread(runsOf(p).map(pick)));
    return {
      type: "bar",
      name,
      x: policies,
      y: s.map((v) => v.median / MiB),
      error_y: { type: "data", symmetric: false, array: s.map((v) => (v.max - v.median) / MiB), arrayminus: s.map((v) => (v.median - v.min) / MiB) },
      marker: { color, line: { color, width: 1.5 } },
    };
  };
  const data: Record<string, unknown>[] = [
    bar("sink's write_bytes until the ack", (r) => r.writeBytesDuring, "#1f77b4"),
    bar("sink's write_bytes in the later fsync", (r) => r.writeBytesLater, "#aec7e8"),
  ];
  if (hasDevice) {
    data.push(bar("disk device writes until the ack (all processes)", (r) => r.deviceWriteBytesDuring as number, PLACE_COLORS.disk));
    data.push(bar("disk device writes in the later fsync (all processes)", (r) => r.deviceWriteBytesLater as number, "#98a9c6"));
  }
  data.push({
    type: "bar",
    name: `${models[0]?.label ?? "model"}: bytes on the disk at the ack`,
    x: policies,
    y: policies.map((p) => (models.find((m) => m.policy === p)?.diskBytesAtAck ?? NaN) / MiB),
    marker: { color: "#7f7f7f", opacity: 0.55, pattern: { shape: "/", solidity: 0.5 }, line: { color: "#7f7f7f", width: 1.5 } },
  });
  const n = result.conditions.bytes / MiB;
  const title = `Who counts the written bytes, and when (${result.conditions.filesystem}${result.conditions.device ? ` on ${result.conditions.device}` : ", no block device"})`;
  return {
    id: "producer-write-accounting",
    title,
    data,
    layout: baseLayout(title, {
      barmode: "group",
      xaxis: { title: { text: "flush policy of the sink" } },
      yaxis: { title: { text: "bytes written (MiB, median with min-max)" }, rangemode: "tozero" },
      shapes: [{ type: "line", xref: "paper", x0: 0, x1: 1, y0: n, y1: n, line: { color: "#333", dash: "dot", width: 1 } }],
      annotations: [{ xref: "paper", x: 1, y: n, text: `payload ${n.toFixed(0)} MiB`, showarrow: false, xanchor: "right", yanchor: "bottom", font: { size: 11 } }],
      legend: legendBelow("counter", -0.22),
      height: 560,
      margin: { t: 60, r: 20, b: 170, l: 70 },
    }),
    summary: policies
      .map((p) => {
        const runs = runsOf(p);
        const dev = hasDevice ? `, device ${(spread(runs.map((r) => r.deviceWriteBytesDuring as number)).median / MiB).toFixed(1)} then ${(spread(runs.map((r) => r.deviceWriteBytesLater as number)).median / MiB).toFixed(1)} MiB` : "";
        return `${p}: write_bytes ${(spread(runs.map((r) => r.writeBytesDuring)).median / MiB).toFixed(1)} MiB until the ack${dev}`;
      })
      .join("\n"),
  };
}

/**
 * The flusher at work, file by file: files written at once and left in the page cache, each fsynced at a
 * different age. A slow fsync means the pages were still dirty; an instant one means the kernel's flusher
 * had already written them back. dirty_expire_centisecs is a line, the flusher's next wake-up a band.
 */
export function flusherFigure(result: ProducerResult): Figure | null {
  const f = result.flusher;
  if (!f) return null;
  const ages = f.probes.map((p) => p.ageSeconds);
  const data: Record<string, unknown>[] = [
    {
      type: "scatter",
      mode: "lines+markers",
      name: "fsync time of a file of that age (measured)",
      x: ages,
      y: f.probes.map((p) => p.fsyncSeconds * 1000),
      marker: { size: 9, color: POLICY_COLORS["page-cache"] },
      line: { color: POLICY_COLORS["page-cache"], ...MEASURED_LINE },
    },
  ];
  if (f.probes.every((p) => p.deviceWriteBytes !== null)) {
    data.push({
      type: "bar",
      name: "disk device writes during that fsync (all processes, MiB)",
      x: ages,
      y: f.probes.map((p) => (p.deviceWriteBytes as number) / MiB),
      yaxis: "y2",
      width: 0.8,
      marker: { color: PLACE_COLORS.disk, opacity: 0.35 },
    });
  }
  const expire = f.expireSeconds;
  const title = `The flusher: ${f.files} files of ${(f.bytesPerFile / MiB).toFixed(0)} MiB left in the page cache, each fsynced at its own age`;
  return {
    id: "producer-flusher",
    title,
    data,
    layout: baseLayout(title, {
      xaxis: { title: { text: "age of the file's dirty data when fsync() is called (s)" }, rangemode: "tozero" },
      yaxis: { title: { text: "fsync time (ms)" }, rangemode: "tozero" },
      yaxis2: { title: { text: "device writes during the fsync (MiB)" }, overlaying: "y", side: "right", rangemode: "tozero", showgrid: false, tickformat: ".0f" },
      shapes: [
        { type: "line", x0: expire, x1: expire, yref: "paper", y0: 0, y1: 1, line: { color: "#d62728", dash: "dashdot", width: 1.5 } },
        { type: "rect", x0: expire, x1: expire + f.writebackIntervalSeconds, yref: "paper", y0: 0, y1: 1, fillcolor: "#d62728", opacity: 0.08, line: { width: 0 } },
      ],
      annotations: [
        { x: expire, yref: "paper", y: 1.02, text: `dirty_expire_centisecs = ${expire} s; the flusher wakes every ${f.writebackIntervalSeconds} s`, showarrow: false, xanchor: "center", font: { size: 11 } },
      ],
      margin: { t: 80, r: 70, b: 60, l: 70 },
      legend: { orientation: "h", y: -0.2 },
    }),
    summary: f.probes.map((p) => `age ${p.ageSeconds.toFixed(1)} s: fsync ${(p.fsyncSeconds * 1000).toFixed(1)} ms`).join("\n"),
  };
}

/** The model's producer side in the post's numbering: write() and leave it to the flusher, or fsync() each write. */
export function producerDiagramFigure(steps: { recvWrite: PathSteps; recvWriteFsync: PathSteps }): Figure {
  const captions = Object.fromEntries(
    POST_STEPS.filter((s) => s.part === 1).map((s) => [s.label, `(the post's arrow ${s.from} → ${s.to}; its one line: “${s.text}”)`]),
  );
  const figure = dataPathStepsFigure(
    [
      { title: "1.1–1.3 write(), the flusher writes back later (Kafka's default)", steps: steps.recvWrite, side: "producer" },
      { title: "1.1–1.3 write() then fsync() (flush.messages=1)", steps: steps.recvWriteFsync, side: "producer" },
    ],
    "The producer's bytes into the broker, in the post's numbering (model)",
    captions,
  );
  return { ...figure, id: "producer-diagram" };
}

/** One of the reference's paths as a table: the post's step, the stage, who, whether the payload is copied, source. */
export function pathStagesTable(id: string, caption: string, stages: readonly PathStage[]): Table {
  return {
    id,
    caption,
    columns: ["post", "stage", "who", "payload copied", "what happens", "source"],
    rows: stages.map((s) => [s.post || "–", s.stage, s.who, s.copiesPayload ? "yes" : "no", s.quote ? `${s.what} *“${s.quote}”*` : s.what, `[${s.source.title}](${s.source.url})`]),
  };
}

/** The producer client's send path, then a real NIC's receive path into the broker. */
export function nicPathTable(): Table {
  return pathStagesTable("producer-nic-path", "With a real NIC: the producer client's send path (–), then the broker's receive path (the post's 1.1-1.3)", [...PRODUCER_SEND_PATH, ...NIC_RECEIVE_PATH]);
}

/** The broker's receive path on this machine's loopback. */
export function loopbackPathTable(): Table {
  return pathStagesTable("producer-loopback-path", "On this machine's loopback (the producer and the broker on one host): what changes", LOOPBACK_RECEIVE_PATH);
}

/** What the loopback device and the NET_RX softirq counted while each policy's runs sent their payload. */
export function loopbackTable(rows: LoopbackRow[], payload: number): Table {
  const n = (v: number | null, f: (x: number) => string) => (v === null ? "n/a" : f(v));
  return {
    id: "producer-loopback-counters",
    caption: `The loopback device and the receive softirq during one run (medians), for a ${formatBytes(payload)} payload`,
    columns: ["policy", "lo packets", "lo bytes", "bytes per packet", "NET_RX softirqs"],
    rows: rows.map((r) => [
      r.policy, n(r.packets, (x) => Math.round(x).toLocaleString("en-US")), n(r.bytes, formatBytes),
      r.packets && r.bytes !== null ? formatBytes(r.bytes / r.packets) : "n/a", n(r.netRxSoftirqs, (x) => Math.round(x).toLocaleString("en-US")),
    ]),
    numeric: [1, 2, 3, 4],
    note: "From /proc/net/dev (lo) and /proc/softirqs (NET_RX, all CPUs), read before the producer sends and after the ack. System-wide: other loopback traffic counts too. lo counts each packet once; ACKs are packets too.",
  };
}
