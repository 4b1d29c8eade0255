// Shared checks of the chapter 3 and 4 figure tests: every figure has a title, a legend, titled axes with
// units on its value axes, named traces, and says whose numbers it shows (model hatched/dashed, measured solid).
import { expect } from "vitest";
import { Figure } from "../src/plot/figure";

type Trace = Record<string, any>;

/** Checks the conventions of src/figures/copy-path.ts on one figure; `valueAxes` are the axes that carry numbers. */
export function expectWellFormed(figure: Figure, valueAxes: string[]): void {
  expect(figure.id).toMatch(/^[a-z0-9-]+$/);
  expect(figure.title.length).toBeGreaterThan(10);
  const layout = figure.layout as Record<string, any>;
  expect(layout.title.text).toBe(figure.title);
  expect(layout.showlegend).toBe(true);
  const axes = Object.entries(layout).filter(([k]) => /^[xy]axis\d*$/.test(k));
  // axes that share one scale (`matches`) may leave the title to one of them, which must have it
  const scaleOf = (key: string, axis: any) => axis.matches ?? key.replace("axis", "");
  for (const [key, axis] of axes) {
    const group = axes.filter(([k, a]) => scaleOf(k, a) === scaleOf(key, axis));
    expect(group.map(([, a]) => a.title?.text).find(Boolean), `${figure.id} ${key} title`).toBeTruthy();
  }
  for (const key of valueAxes) {
    expect(layout[key]?.title?.text, `${figure.id} ${key} unit`).toMatch(/\(.+\)/);
  }
  expect(figure.summary.length).toBeGreaterThan(0);
  expect(figure.data.length).toBeGreaterThan(0);
  for (const trace of figure.data as Trace[]) {
    expect(trace.name, `${figure.id} trace name`).toBeTruthy();
    const name = String(trace.name);
    if (/\bmodel\b/.test(name)) expect(isModelStyle(trace), `${figure.id}: "${name}" drawn as model`).toBe(true);
    if (/\bmeasured\b/.test(name) && !/\bmodel\b/.test(name)) expect(isModelStyle(trace), `${figure.id}: "${name}" drawn as measured`).toBe(false);
  }
  // Plain JSON: what the notebook output and the report embed.
  expect(JSON.parse(JSON.stringify(figure))).toEqual(figure);
}

/** A model trace is hatched (bars), dashed (lines) or text-only annotations of model numbers. */
function isModelStyle(trace: Trace): boolean {
  if (trace.type === "bar") return Boolean(trace.marker?.pattern?.shape);
  if (trace.mode === "text" || trace.mode === "markers+text") return true;
  return trace.line?.dash === "dash" || trace.line?.dash === "dot";
}

/** The traces whose name contains `text`. */
export function tracesNamed(figure: Figure, text: string): Trace[] {
  return (figure.data as Trace[]).filter((t) => String(t.name).includes(text));
}
