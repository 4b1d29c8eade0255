// The data-path diagram in ByteByteGo's numbering: one panel per data path, the places in three bands (user space,
// kernel, hardware) with the user/kernel boundary drawn and labelled, one arrow per step that moves bytes, labelled
// with the post's step number and who moves them (CPU, DMA engine, NIC). The mode switches (from the IBM article,
// not the post) are a second layer: arrows across the boundary, one pair per system call, toggled from the legend.
// Cumulative: the static figure shows every step; a slider walks the post's steps, earlier ones stay drawn and the
// current one is highlighted. Chapters 1 and 5 draw it from the model's step tables.
import { Figure } from "./figure";
import { baseLayout } from "./style";
import type { PathSteps, Step } from "../model/transfer-model";

/** One panel: a path's steps and how to title it. `side` says which way the bytes flow: out to a consumer, or in
 *  from a producer (the network then stands on the left). */
export interface DiagramPanel {
  title: string;
  steps: PathSteps;
  side: "consumer" | "producer";
}

/** Who moves the bytes, as the arrows are coloured and the legend names them (at most five colours per figure). */
export const MOVER_STYLE = {
  cpu: { color: "#d62728", name: "CPU copies every byte", dash: "solid", rank: 1 },
  dma: { color: "#1f77b4", name: "DMA engine copies (the CPU only programs it)", dash: "solid", rank: 2 },
  nic: { color: "#2ca02c", name: "NIC on the wire", dash: "solid", rank: 3 },
  descriptor: { color: "#7f7f7f", name: "descriptors only: no byte moves", dash: "dot", rank: 4 },
  switch: { color: "#9467bd", name: "mode switch: a system call enters or leaves the kernel (IBM article; the post does not number them)", dash: "solid", rank: 5 },
} as const;

/** The short word each arrow carries after its step number. */
function moverWord(step: Step): string {
  if (step.kind === "descriptor") return "descriptors";
  if (step.kind === "fault") return "page fault";
  return step.actor === "cpu" ? "CPU" : step.actor === "dma" ? "DMA" : "NIC";
}

/** Panel coordinates: u across (0..10), v up (0..4); hardware below v = 1.4, kernel up to 2.8, user space above. */
const BANDS = [
  { name: "hardware", v0: 0, v1: 1.4, fill: "#f3f3f3" },
  { name: "kernel", v0: 1.4, v1: 2.8, fill: "#eaf1fb" },
  { name: "user space", v0: 2.8, v1: 4, fill: "#fdf3e6" },
] as const;
const BOUNDARY_V = 2.8;
const U_MAX = 10;
const V_MAX = 4;

/** Where each place stands in a panel, by the side the bytes flow to, with the words on its box and half its width. */
const PLACES: Record<DiagramPanel["side"], Record<string, { u: number; v: number; label: string; du: number }>> = {
  consumer: {
    disk: { u: 1.3, v: 0.7, label: "disk", du: 0.6 },
    "page cache": { u: 1.3, v: 2.1, label: "OS cache<br>(page cache)", du: 0.95 },
    pipe: { u: 4.0, v: 2.1, label: "pipe", du: 0.5 },
    "user buffer": { u: 4.6, v: 3.4, label: "Kafka application<br>(user buffer)", du: 0.95 },
    "socket buffer": { u: 6.6, v: 2.1, label: "socket<br>buffer", du: 0.7 },
    NIC: { u: 6.6, v: 0.7, label: "NIC", du: 0.6 },
    network: { u: 9.2, v: 0.7, label: "consumer", du: 0.75 },
  },
  producer: {
    network: { u: 0.8, v: 0.7, label: "producer", du: 0.72 },
    NIC: { u: 3.0, v: 0.7, label: "NIC", du: 0.6 },
    "socket buffer": { u: 3.0, v: 2.1, label: "socket<br>buffer", du: 0.7 },
    "user buffer": { u: 5.4, v: 3.4, label: "Kafka application<br>(user buffer)", du: 0.95 },
    "page cache": { u: 8.4, v: 2.1, label: "OS cache<br>(page cache)", du: 0.95 },
    disk: { u: 8.4, v: 0.7, label: "disk", du: 0.6 },
  },
};
/** Half the height of a place's box, in panel units. */
const BOX_DV = 0.36;
/** How much taller a panel unit of v is than one of u on screen (a panel is about 500 x 330 px for 10 x 4 units). */
const ASPECT = 1.65;

/** The axis names of panel i in a 2-column grid ("x", "y" for the first). */
function axesOf(i: number): { x: string; y: string; xName: string; yName: string } {
  const n = i === 0 ? "" : String(i + 1);
  return { x: `x${n}`, y: `y${n}`, xName: `xaxis${n}`, yName: `yaxis${n}` };
}

/** The fraction of the way from a box's centre toward (du, dv) at which the segment leaves the box. */
function edge(du: number, dv: number, halfWidth: number): number {
  const tu = du === 0 ? Infinity : halfWidth / Math.abs(du);
  const tv = dv === 0 ? Infinity : BOX_DV / Math.abs(dv);
  return Math.min(tu, tv, 0.45);
}

/** The arrow of one step between two boxes, shortened to their edges, and where its label sits: beside the arrow's
 *  middle, on the side away from the panel's centre, so labels do not sit on their own arrows. */
function arrowGeometry(side: DiagramPanel["side"], step: Step, offset: number) {
  const a = PLACES[side][step.from];
  const b = PLACES[side][step.to];
  const du = b.u - a.u;
  const dv = b.v - a.v;
  // The unit normal on screen, pointing away from the panel's centre.
  const length = Math.hypot(du, dv * ASPECT);
  let nu = (-dv * ASPECT) / length;
  let nv = du / length / ASPECT;
  const mid = { u: (a.u + b.u) / 2, v: (a.v + b.v) / 2 };
  // "Away" is measured from the middle of the user/kernel boundary: kernel and hardware labels go down or out.
  if (nu * (mid.u - U_MAX / 2) + nv * ASPECT * ASPECT * (mid.v - BOUNDARY_V) < 0) {
    nu = -nu;
    nv = -nv;
  }
  // Two arrows between the same boxes (sendfile's descriptor beside no copy) are drawn side by side.
  const ta = edge(du, dv, a.du);
  const tb = edge(-du, -dv, b.du);
  const x = [a.u + du * ta + nu * offset, b.u - du * tb + nu * offset];
  const y = [a.v + dv * ta + nv * offset, b.v - dv * tb + nv * offset];
  // Beside a steep arrow the label starts at its right (its left near the panel's right edge), so it never runs off
  // the panel; beside a flat or diagonal one it is centred off the line.
  const steep = Math.abs(nu) > 0.8;
  if (steep) {
    const right = (x[0] + x[1]) / 2 < U_MAX - 1.6;
    return { x, y, label: { u: (x[0] + x[1]) / 2 + (right ? 0.15 : -0.15), v: (y[0] + y[1]) / 2, position: right ? "middle right" : "middle left" } };
  }
  // A flat arrow between two boxes is often shorter than its label: the label goes under the boxes in the hardware
  // row, over them in the kernel's (below the boundary), clear of the arrows that cross the panel diagonally.
  if (Math.abs(dv) < 0.05) {
    const v = a.v < BANDS[0].v1 ? a.v - BOX_DV - 0.2 : a.v + BOX_DV + 0.17;
    return { x, y, label: { u: (x[0] + x[1]) / 2, v, position: "middle center" } };
  }
  const away = 0.42;
  return { x, y, label: { u: (x[0] + x[1]) / 2 + nu * away, v: (y[0] + y[1]) / 2 + nv * away, position: "middle center" } };
}

/** Steps that move bytes (or hand descriptors on): the arrows of the post's story. Mode switches are the other layer. */
function isMove(step: Step): boolean {
  return step.kind === "copy" || step.kind === "wire" || step.kind === "descriptor" || step.kind === "fault";
}

/** The mover style of a step. */
function styleOf(step: Step): (typeof MOVER_STYLE)[keyof typeof MOVER_STYLE] {
  if (step.kind === "descriptor" || step.kind === "fault") return MOVER_STYLE.descriptor;
  return step.actor === "cpu" ? MOVER_STYLE.cpu : step.actor === "dma" ? MOVER_STYLE.dma : MOVER_STYLE.nic;
}

/** One arrow trace per moving step, plus one label trace; `order` is the step's place in the slider's walk. */
interface StepTraces {
  label: string;
  arrow: Record<string, unknown>;
  text: Record<string, unknown>;
  width: number;
}

/** The traces of one panel's moving steps. */
function panelStepTraces(panel: DiagramPanel, axes: { x: string; y: string }, seen: Set<string>): StepTraces[] {
  const steps = [...panel.steps.setup, ...panel.steps.perChunk].filter(isMove);
  const pairs = new Map<string, number>();
  return steps.map((step) => {
    const key = [step.from, step.to].sort().join("|");
    const count = pairs.get(key) ?? 0;
    pairs.set(key, count + 1);
    const { x, y, label } = arrowGeometry(panel.side, step, 0.18 * count);
    const style = styleOf(step);
    const group = style.name;
    const showlegend = !seen.has(group);
    seen.add(group);
    const width = step.kind === "descriptor" ? 2 : 3.5;
    const number = step.seedStep || "·";
    return {
      label: step.seedStep,
      width,
      arrow: {
        type: "scatter",
        mode: "lines+markers",
        name: group,
        legendgroup: group,
        legendrank: style.rank,
        showlegend,
        xaxis: axes.x,
        yaxis: axes.y,
        x,
        y,
        line: { color: style.color, width, dash: style.dash },
        marker: { symbol: ["circle", "arrow"], size: [1, 15], angleref: "previous", color: style.color },
        hoverinfo: "text",
        hovertext: `${number} ${moverWord(step)}: ${step.description}`,
      },
      text: {
        type: "scatter",
        mode: "text",
        name: `${number} ${moverWord(step)}`,
        legendgroup: group,
        showlegend: false,
        xaxis: axes.x,
        yaxis: axes.y,
        x: [label.u],
        y: [label.v],
        text: [`<b>${number}</b> ${moverWord(step)}`],
        textposition: label.position,
        textfont: { color: style.color, size: 12 },
        hoverinfo: "skip",
      },
    };
  });
}

/** The mode-switch layer of a panel: per system call, a down arrow (enter) and an up arrow (return) across the boundary. */
function panelSwitchTraces(panel: DiagramPanel, axes: { x: string; y: string }, first: boolean): Record<string, unknown>[] {
  const steps = [...panel.steps.setup, ...panel.steps.perChunk];
  const calls: { call: string; switches: number }[] = [];
  for (const step of steps) {
    if (step.kind !== "to-kernel" && step.kind !== "to-user") continue;
    const last = calls[calls.length - 1];
    if (step.kind === "to-kernel") calls.push({ call: step.call, switches: 1 });
    else if (last) last.switches += 1;
  }
  const style = MOVER_STYLE.switch;
  // The calls stand in a row under the application's box, between the arrows into it and out of it; a path whose
  // bytes never reach the application (sendfile) has them at the panel's free right-hand side instead.
  const app = PLACES[panel.side]["user buffer"];
  const reachesApp = steps.some((s) => isMove(s) && (s.from === "user buffer" || s.to === "user buffer"));
  const centre = reachesApp ? app.u : 8.1;
  const spacing = 1.0;
  return calls.flatMap(({ call, switches }, i) => {
    const u = centre + (i - (calls.length - 1) / 2) * spacing;
    const arrow = (du: number, down: boolean, showlegend: boolean) => ({
      type: "scatter",
      mode: "lines+markers",
      name: style.name,
      legendgroup: style.name,
      legendrank: style.rank,
      showlegend,
      xaxis: axes.x,
      yaxis: axes.y,
      x: [u + du, u + du],
      y: down ? [app.v - BOX_DV - 0.02, BOUNDARY_V - 0.32] : [BOUNDARY_V - 0.32, app.v - BOX_DV - 0.02],
      line: { color: style.color, width: 2 },
      marker: { symbol: ["circle", "arrow"], size: [1, 9], angleref: "previous", color: style.color },
      hoverinfo: "text",
      hovertext: down ? `${call}() enters the kernel: user → kernel mode switch` : `${call}() returns: kernel → user mode switch`,
    });
    return [
      arrow(-0.1, true, first && i === 0),
      ...(switches > 1 ? [arrow(0.1, false, false)] : []),
      {
        type: "scatter",
        mode: "text",
        name: `${call}(): ${switches} mode switches`,
        legendgroup: style.name,
        showlegend: false,
        xaxis: axes.x,
        yaxis: axes.y,
        x: [u],
        y: [BOUNDARY_V - 0.48],
        text: [`${call}()`],
        textposition: "middle center",
        textfont: { color: style.color, size: 11 },
        hoverinfo: "skip",
      },
    ];
  });
}

/** Bands, boxes and the boundary of one panel: shapes and annotations that never change. */
function panelBackground(panel: DiagramPanel, axes: { x: string; y: string }, used: Set<string>) {
  const shapes: Record<string, unknown>[] = [];
  const annotations: Record<string, unknown>[] = [];
  for (const band of BANDS) {
    shapes.push({ type: "rect", xref: axes.x, yref: axes.y, x0: 0, x1: U_MAX, y0: band.v0, y1: band.v1, fillcolor: band.fill, line: { width: 0 }, layer: "below" });
    annotations.push({ xref: axes.x, yref: axes.y, x: U_MAX - 0.05, y: band.v0 + 0.05, text: band.name, showarrow: false, xanchor: "right", yanchor: "bottom", font: { size: 10, color: "#777" } });
  }
  shapes.push({ type: "line", xref: axes.x, yref: axes.y, x0: 0, x1: U_MAX, y0: BOUNDARY_V, y1: BOUNDARY_V, line: { color: "#555", width: 1.5, dash: "dash" } });
  annotations.push({ xref: axes.x, yref: axes.y, x: 0.05, y: BOUNDARY_V, text: "user/kernel boundary", showarrow: false, xanchor: "left", yanchor: "bottom", font: { size: 10, color: "#555" } });
  const all = [...panel.steps.setup, ...panel.steps.perChunk];
  const count = (f: (s: Step) => boolean) => all.filter(f).length;
  const cpu = count((s) => s.kind === "copy" && s.actor === "cpu");
  const dma = count((s) => s.kind === "copy" && s.actor === "dma");
  const switches = count((s) => s.kind === "to-kernel" || s.kind === "to-user");
  annotations.push({
    xref: axes.x, yref: axes.y, x: U_MAX - 0.05, y: V_MAX - 0.08, xanchor: "right", yanchor: "top", showarrow: false, align: "right",
    text: `per call: ${cpu} CPU + ${dma} DMA copies<br>${switches} mode switches`, font: { size: 10, color: "#555" },
  });
  for (const [place, at] of Object.entries(PLACES[panel.side])) {
    if (!used.has(place)) continue;
    const outside = place === "network";
    shapes.push({
      type: "rect", xref: axes.x, yref: axes.y, x0: at.u - at.du, x1: at.u + at.du, y0: at.v - BOX_DV, y1: at.v + BOX_DV,
      fillcolor: outside ? "#ffffff" : "#ffffff", line: { color: "#444", width: 1, dash: outside ? "dot" : "solid" },
    });
    annotations.push({ xref: axes.x, yref: axes.y, x: at.u, y: at.v, text: at.label, showarrow: false, font: { size: 11, color: "#222" } });
  }
  return { shapes, annotations };
}

/** What the caption says when the slider stands on `label` ("" = every step): the chapter's words for the step,
 *  then the moves that make it up, e.g. "CPU page cache → socket buffer". */
function caption(label: string, panels: DiagramPanel[], captions: Record<string, string>): string {
  if (!label) return "Every step is drawn. Move the slider to walk them in the post's order: earlier steps stay, the current one is bold.";
  const steps = panels.flatMap((p) => [...p.steps.setup, ...p.steps.perChunk]).filter((s) => s.seedStep === label && isMove(s));
  const moves = [...new Set(steps.map((s) => `${moverWord(s)} ${s.from} → ${s.to}`))].join("; ");
  return `<b>${label}</b> ${captions[label] ?? ""}<br>here: ${moves}`;
}

/**
 * The diagram of one or more paths, two panels per row, in the post's numbering. Static: every step drawn.
 * Slider: walks the post's steps in order, earlier ones kept (faded), the current one bold, later ones hidden.
 */
export function dataPathStepsFigure(panels: DiagramPanel[], title = "The bytes' journey, step by step", captions: Record<string, string> = {}): Figure {
  const rows = Math.ceil(panels.length / 2);
  const columns = panels.length === 1 ? 1 : 2;
  const gapX = 0.06;
  const gapY = 0.12 / rows;
  const layoutAxes: Record<string, unknown> = {};
  const shapes: Record<string, unknown>[] = [];
  // The caption stands above the panels' titles, whatever the figure's height.
  const annotations: Record<string, unknown>[] = [{ xref: "paper", yref: "paper", x: 0, y: 1.0, yshift: 26, yanchor: "bottom", xanchor: "left", align: "left", showarrow: false, text: caption("", panels, captions), font: { size: 12, color: "#333" } }];
  const stepTraces: StepTraces[] = [];
  const layerTraces: Record<string, unknown>[] = [];
  const seen = new Set<string>();
  panels.forEach((panel, i) => {
    const axes = axesOf(i);
    const column = i % columns;
    const row = Math.floor(i / columns);
    const width = (1 - gapX * (columns - 1)) / columns;
    const height = (1 - gapY * (rows - 1)) / rows;
    const x0 = column * (width + gapX);
    const y1 = 1 - row * (height + gapY);
    layoutAxes[axes.xName] = { domain: [x0, x0 + width], range: [0, U_MAX], visible: false, fixedrange: true, anchor: axes.y };
    layoutAxes[axes.yName] = { domain: [y1 - height, y1], range: [0, V_MAX], visible: false, fixedrange: true, anchor: axes.x };
    const used = new Set([...panel.steps.setup, ...panel.steps.perChunk].filter(isMove).flatMap((s) => [s.from, s.to]));
    const background = panelBackground(panel, axes, used);
    shapes.push(...background.shapes);
    annotations.push(...background.annotations);
    annotations.push({ xref: "paper", yref: "paper", x: x0, y: y1, xanchor: "left", yanchor: "bottom", text: `<b>${panel.title}</b>`, showarrow: false, font: { size: 12 } });
    stepTraces.push(...panelStepTraces(panel, axes, seen));
    layerTraces.push(...panelSwitchTraces(panel, axes, i === 0));
  });
  const traces = [...stepTraces.flatMap((s) => [s.arrow, s.text]), ...layerTraces];
  const order = [...new Set(stepTraces.map((s) => s.label).filter((l) => l))].sort((a, b) => parseFloat(a) - parseFloat(b) || a.localeCompare(b));
  const stepIndices = stepTraces.flatMap((_, i) => [2 * i, 2 * i + 1]);
  // One slider position per post step, plus "all"; each restyles the step traces only, never the layer.
  const state = (current: string) => {
    const rank = (label: string) => (label ? order.indexOf(label) : -1);
    const now = current ? order.indexOf(current) : order.length;
    const visible: boolean[] = [];
    const opacity: number[] = [];
    const width: number[] = [];
    for (const s of stepTraces) {
      // Unnumbered moves belong with the numbered step before them (splice's pipe hand-offs, say).
      const r = rank(s.label);
      const shown = !current || r <= now;
      const highlighted = !current || r === now;
      for (let k = 0; k < 2; k++) {
        visible.push(shown);
        opacity.push(highlighted ? 1 : 0.3);
        width.push(highlighted && current ? s.width + 2 : s.width);
      }
    }
    return [{ visible, opacity, "line.width": width }, { "annotations[0].text": caption(current, panels, captions) }, stepIndices];
  };
  const sliderSteps = [{ label: "all", method: "update", args: state("") }, ...order.map((label) => ({ label, method: "update", args: state(label) }))];
  const height = 270 + rows * 330;
  return {
    id: `steps-${panels.map((p) => p.steps.path).join("-")}`,
    title,
    data: traces,
    layout: baseLayout(title, {
      ...layoutAxes,
      title: { text: title, y: 1 - 14 / height, yanchor: "top" },
      height,
      margin: { t: 120, r: 20, b: 150, l: 20 },
      shapes,
      annotations,
      legend: { orientation: "h", x: 0, y: 0, yanchor: "top", font: { size: 11 } },
      hovermode: "closest",
      sliders: [
        {
          active: 0,
          x: 0,
          y: 0,
          yanchor: "top",
          len: 1,
          pad: { t: 60, b: 0 },
          currentvalue: { prefix: "step: ", font: { size: 12 } },
          steps: sliderSteps,
        },
      ],
    }),
    summary: panels
      .map((p) => `${p.title}\n${[...p.steps.setup, ...p.steps.perChunk].filter(isMove).map((s) => `  ${(s.seedStep || "-").padEnd(4)} ${moverWord(s).padEnd(11)} ${s.from} → ${s.to}: ${s.description}`).join("\n")}`)
      .join("\n"),
  };
}
