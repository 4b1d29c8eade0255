// The notebooks' display helper. show() puts a Figure in a cell: plotly JSON, an HTML fallback and plain text in
// ONE output, because classic Notebook 6 and nbconvert render only the HTML, JupyterLab prefers the JSON.
// showVerdict() ends a chapter: its claims printed one per line, saved for the summary chapter, and a throw if
// any fails, so the cell, the notebook and the build fail loudly.
import * as path from "path";
import { Figure } from "./figure";
import { figureHtml } from "./html";
import { Verdict, claimLine, requireClaimsHold } from "../claims/claims";
import { saveVerdict } from "../claims/claims-store";

const JUPYTER_MODULE = path.join("tslab", "dist", "jupyter.js");

interface TslabJupyter {
  lastWriteDisplayData?: (content: unknown, update: boolean) => void;
}

/** The MIME bundle of one figure output; exported so tests can check what a cell sends. */
export function figureBundle(figure: Figure): Record<string, unknown> {
  return {
    "application/vnd.plotly.v1+json": { data: figure.data, layout: figure.layout, frames: figure.frames ?? [] },
    "text/html": figureHtml(figure),
    "text/plain": `[figure] ${figure.title}\n${figure.summary}`,
  };
}

/** Displays a figure from a notebook cell (tslab), or prints its summary when run outside Jupyter. */
export function show(figure: Figure): void {
  // Only inside the tslab kernel is its jupyter module already loaded; never load it elsewhere.
  const loaded = Object.keys(require.cache).find((file) => file.endsWith(JUPYTER_MODULE));
  const jupyter = loaded ? (require.cache[loaded]?.exports as TslabJupyter) : undefined;
  // tslab's display.raw() sends one MIME type per output; its writer takes a whole bundle.
  if (jupyter?.lastWriteDisplayData) {
    jupyter.lastWriteDisplayData({ data: figureBundle(figure), metadata: {}, transient: {} }, false);
  } else {
    console.log(`[figure] ${figure.title}\n${figure.summary}`);
  }
}

/** Prints a chapter's notes and claims (one "CLAIM PASS|FAIL" line each), saves them with the plan the chapter
 *  ran, and throws if none was checked or any failed; the last cell of every notebook calls it. */
export function showVerdict(verdict: Verdict, plan: unknown): void {
  saveVerdict(verdict, plan);
  for (const note of verdict.notes) console.log(note);
  for (const claim of verdict.claims) console.log(claimLine(claim));
  requireClaimsHold(verdict);
}
