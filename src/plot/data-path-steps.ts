// The data-path step diagram: one frame per step of a path's step table (where the bytes are, who moves them,
// in which CPU mode), as chapters 1 and 5 draw them.
import { Figure } from "./figure";
import { baseLayout, pathColor } from "./style";
import type { PathSteps, Step } from "../model/transfer-model";

/** Horizontal position of each place on the diagram, in the seed's left-to-right order. */
const PLACE_X: Record<string, number> = {
  disk: 0, "page cache": 1, pipe: 1.5, "user buffer": 2, "socket buffer": 3, NIC: 4,
};
/** Vertical band: user space above the line, kernel and hardware below it. */
const PLACE_Y: Record<string, number> = {
  disk: 0, "page cache": 1, pipe: 1.5, "user buffer": 2.5, "socket buffer": 1, NIC: 0,
};

/** Words for one step, as the slider and the annotation say it. */
export function describeStep(step: Step): string {
  const label = step.seedStep ? `${step.seedStep} ` : "";
  if (step.kind === "to-kernel") return `${label}syscall: switch user → kernel mode`;
  if (step.kind === "to-user") return `${label}syscall returns: switch kernel → user mode`;
  if (step.kind === "fault") return `${label}page fault: the kernel maps a page-cache page into the process (${step.from} → ${step.to})`;
  if (step.kind === "descriptor") return `${label}descriptor only (address, length): ${step.from} → ${step.to}, no bytes copied`;
  return `${label}${step.actor === "cpu" ? "CPU copy" : "DMA copy"}: ${step.from} → ${step.to}`;
}

/** The places as a fixed background trace. */
function placesTrace(used: Set<string>): Record<string, unknown> {
  const places = Object.keys(PLACE_X).filter((p) => used.has(p));
  return {
    type: "scatter",
    mode: "markers+text",
    name: "places",
    x: places.map((p) => PLACE_X[p]),
    y: places.map((p) => PLACE_Y[p]),
    text: places,
    textposition: "top center",
    marker: { size: 28, symbol: "square", color: "#dddddd", line: { color: "#555", width: 1 } },
    hoverinfo: "text",
  };
}

/** The highlighted move of one step: an arrow-like segment coloured by who does the work. */
function moveTrace(step: Step): Record<string, unknown> {
  const color = step.actor === "cpu" ? "#d62728" : step.actor === "dma" ? "#1f77b4" : "#999999";
  const isSwitch = step.kind === "to-kernel" || step.kind === "to-user";
  return {
    type: "scatter",
    mode: "lines+markers",
    name: step.kind === "copy" ? `${step.actor.toUpperCase()} copy` : isSwitch ? "mode switch" : step.kind === "fault" ? "page fault" : "descriptor",
    x: [PLACE_X[step.from], PLACE_X[step.to]],
    y: [PLACE_Y[step.from], PLACE_Y[step.to]],
    line: { color, width: isSwitch ? 2 : 5, dash: isSwitch || step.kind === "descriptor" ? "dot" : "solid" },
    marker: { size: [6, 16], symbol: ["circle", "triangle-up"], color },
  };
}

/** A stepped figure of one path: a slider walks the steps in order; notebook 1 animates the seed's 2.x and 3.x. */
export function dataPathStepsFigure(path: PathSteps): Figure {
  const steps = [...path.setup, ...path.perChunk];
  const used = new Set<string>(steps.flatMap((s) => [s.from, s.to]));
  const frames = steps.map((step, i) => ({
    name: `step ${i + 1}`,
    data: [placesTrace(used), moveTrace(step)],
    layout: { annotations: [{ text: `${i + 1}/${steps.length}: ${describeStep(step)}`, x: 2, y: 3.2, showarrow: false, font: { size: 14 } }] },
  }));
  const title = `${path.path}: the bytes' journey, step by step`;
  return {
    id: `steps-${path.path}`,
    title,
    data: frames[0].data,
    frames,
    layout: baseLayout(title, {
      xaxis: { title: { text: "left to right: disk → NIC (place on the data path)" }, range: [-0.5, 4.5], showticklabels: false, zeroline: false },
      yaxis: { title: { text: "kernel (below 2) / user space (above 2)" }, range: [-0.6, 3.5], showticklabels: false, zeroline: false },
      shapes: [{ type: "line", x0: -0.5, x1: 4.5, y0: 2, y1: 2, line: { color: "#888", dash: "dot" } }],
      annotations: frames[0].layout.annotations,
      sliders: [
        {
          active: 0,
          currentvalue: { prefix: "" },
          steps: frames.map((f) => ({ label: f.name.replace("step ", ""), method: "animate", args: [[f.name], { mode: "immediate", frame: { duration: 0, redraw: true } }] })),
        },
      ],
      updatemenus: [
        {
          type: "buttons",
          showactive: false,
          x: 0, y: -0.15,
          buttons: [{ label: "▶ play", method: "animate", args: [null, { frame: { duration: 900, redraw: true }, fromcurrent: true }] }],
        },
      ],
    }),
    summary: steps.map((s, i) => `${i + 1}. ${describeStep(s)}`).join("\n"),
  };
}
