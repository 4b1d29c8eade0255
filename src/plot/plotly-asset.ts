// plotly.js is served from node_modules, never a CDN: pages load a copy placed next to them.
import * as fs from "fs";
import * as path from "path";
import { makeDirectory } from "../files/directory";

/** File name pages refer to, relative to themselves. */
export const PLOTLY_FILE = "plotly.min.js";

/** Path of plotly.min.js inside node_modules. */
export function plotlySource(): string {
  return require.resolve("plotly.js-dist-min/plotly.min.js");
}

/** Copies plotly.min.js into `dir` (if missing or stale) so pages there render offline; returns its path. */
export function copyPlotlyInto(dir: string): string {
  const source = plotlySource();
  const target = path.join(dir, PLOTLY_FILE);
  makeDirectory(dir);
  const stale = !fs.existsSync(target) || fs.statSync(target).size !== fs.statSync(source).size;
  if (stale) fs.copyFileSync(source, target);
  return target;
}
