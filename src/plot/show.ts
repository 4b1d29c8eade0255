// Shows a Figure in a notebook cell: plotly JSON, an HTML fallback and plain text in ONE output,
// because classic Notebook 6 and nbconvert render only the HTML, JupyterLab prefers the JSON.
import * as path from "path";
import { Figure } from "./figure";
import { figureHtml } from "./html";

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
