// Bars that say whose number they show, as lines do with MODEL_LINE (dashed) and MEASURED_LINE (solid):
// a model's bar is hatched and pale, a measured bar solid with its min-max range as an error bar.
// Used by the chapter 3 and 4 figure builders.
import type { Spread } from "../statistics/spread";

/** Marker of a model bar: hatched in the series colour, so theory and measurement pair up by colour. */
export function modelBarMarker(color: string): Record<string, unknown> {
  return { color: "rgba(255,255,255,0)", line: { color, width: 2 }, pattern: { shape: "/", fgcolor: color, solidity: 0.35 } };
}

/** Marker of a measured bar: solid colour. */
export function measuredBarMarker(color: string): Record<string, unknown> {
  return { color, line: { color, width: 1 } };
}

/** plotly error_y of medians with their min-max range (asymmetric), for measured bars and points. */
export function rangeErrorBars(spreads: Spread[], scale = 1): Record<string, unknown> {
  return {
    type: "data",
    symmetric: false,
    array: spreads.map((s) => (s.max - s.median) * scale),
    arrayminus: spreads.map((s) => (s.median - s.min) * scale),
    color: "#333",
    thickness: 1.5,
  };
}

/** "1.2" / "34" / "5,678": a number short enough for a bar label. */
export function shortNumber(value: number): string {
  if (value === 0) return "0";
  if (Math.abs(value) >= 100) return Math.round(value).toLocaleString("en-US");
  if (Math.abs(value) >= 10) return value.toFixed(1);
  if (Math.abs(value) >= 0.1) return value.toFixed(2);
  return value.toPrecision(2);
}

/** "1" / "16,384": a whole count with thousands separators (never "1.00"). */
export function countLabel(value: number): string {
  return Math.round(value).toLocaleString("en-US");
}

/** Breaks a category label into lines of about `width` characters with <br>, so tick labels stay level. */
export function wrapLabel(text: string, width = 18): string {
  const lines: string[] = [];
  let line = "";
  for (const word of text.split(" ")) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else {
      line = line ? `${line} ${word}` : word;
    }
  }
  if (line) lines.push(line);
  return lines.join("<br>");
}

/** Where a measured bar's label goes: inside the bar at its base, level, away from the min-max error bar at its top. */
export const INSIDE_LABEL = { textposition: "inside", insidetextanchor: "start", textangle: 0, constraintext: "none", insidetextfont: { color: "#ffffff" } } as const;
