// The workbook's layering rule, as data: folders of src/ from the bottom layer to the top. A file may import from
// its own layer (without cycles) and from the layers below, never from a layer above. README's Layout section says
// the same in words.
import type { ImportEdge } from "./import-graph";

export const LAYERS: readonly (readonly string[])[] = [
  ["units", "statistics", "random", "reference", "vocabulary", "files", "repo-root.ts"],
  ["native", "model", "claims", "cleanup"],
  ["plot"],
  ["link", "kafka"],
  ["experiments"],
  ["calibration"],
  ["chapters"],
  ["report", "notebook"],
  ["cli", "bench"],
];

/** The folder (or top-level file) of src/ a file belongs to: "src/model/wasm.ts" -> "model". */
export function unitOf(file: string): string {
  return file.replace(/^src\//, "").split("/")[0];
}

/** The layer index of a file, or -1 when its folder is in no layer. */
export function layerOf(file: string): number {
  const unit = unitOf(file);
  return LAYERS.findIndex((layer) => layer.includes(unit));
}

/** The chapter folder of a file under src/chapters/ ("02-zero-copy-measured"), or null for chapter.ts and others. */
function chapterOf(file: string): string | null {
  const m = /^src\/chapters\/(\d\d[a-z]?-[^/]+)\//.exec(file);
  return m ? m[1] : null;
}

/** Whether a file draws figures: the plotting layer and every chapter's figures.ts. */
function isFigureFile(file: string): boolean {
  return file.startsWith("src/plot/") || /^src\/chapters\/[^/]+\/figures\.ts$/.test(file);
}

/** Every violation of the rule in a set of files and import edges, one line each naming the offending pair. */
export function layeringViolations(files: string[], edges: ImportEdge[]): string[] {
  const problems: string[] = [];
  for (const file of files) {
    if (layerOf(file) < 0) problems.push(`${file}: folder "${unitOf(file)}" is in no layer; add it to LAYERS (test/support/layers.ts) and README's Layout`);
  }
  for (const e of edges) {
    const [from, to] = [layerOf(e.from), layerOf(e.to)];
    if (from >= 0 && to >= 0 && to > from) {
      problems.push(`${e.from} -> ${e.to}: "${unitOf(e.from)}" (layer ${from}) imports "${unitOf(e.to)}" (layer ${to}), which is above it`);
    }
    if (unitOf(e.from) === "experiments" && unitOf(e.to) === "model") {
      problems.push(`${e.from} -> ${e.to}: experiments measure and never import the model (the chapters' analysis sets them side by side)`);
    }
    if (isFigureFile(e.from) && unitOf(e.to) === "model" && !e.typeOnly) {
      problems.push(`${e.from} -> ${e.to}: figures draw what the analysis computed and never call the model (a type-only import is fine)`);
    }
    const [a, b] = [chapterOf(e.from), chapterOf(e.to)];
    if (a && b && a !== b) problems.push(`${e.from} -> ${e.to}: chapter ${a} imports chapter ${b}; move what they share below the chapters`);
  }
  return problems;
}
