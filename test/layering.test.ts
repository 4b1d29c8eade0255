// The layering rule holds for every file under src/: no import from a layer above, no cycle (type-only imports
// included), experiments never import the model, figures never call it, chapters never import each other, and a
// notebook imports only its own chapter folder and the display helper. The checker is first shown to catch each kind.
import { describe, it, expect } from "vitest";
import * as fs from "fs";
import * as path from "path";
import { importGraph, importsOf, cycles, ImportEdge } from "./support/import-graph";
import { layeringViolations, LAYERS } from "./support/layers";

const root = path.resolve(__dirname, "..");

describe("the checker", () => {
  it("reads every form of import, type-only ones marked, and skips comments and packages", () => {
    const found = importsOf(`
      import { a } from "./a";
      import type { B } from "../b";
      export { c } from "./c";
      export * from "./d";
      import "./e";
      const f = require("./f.ts");
      // import { g } from "./g";
      /* import { h } from "./h"; */
      import * as fs from "fs";
      const i = await import("./i");
    `);
    expect(found).toEqual([
      { spec: "./a", typeOnly: false },
      { spec: "../b", typeOnly: true },
      { spec: "./c", typeOnly: false },
      { spec: "./d", typeOnly: false },
      { spec: "./e", typeOnly: false },
      { spec: "./f.ts", typeOnly: false },
      { spec: "./i", typeOnly: false },
    ]);
  });

  it("names an upward import, a cycle, a chapter importing a chapter, and the model inside experiments or figures", () => {
    const edges: ImportEdge[] = [
      { from: "src/model/disk.ts", to: "src/chapters/02-zero-copy-measured/analysis.ts", typeOnly: true },
      { from: "src/experiments/sender.ts", to: "src/model/transfer-model.ts", typeOnly: false },
      { from: "src/chapters/03-the-page-cache/figures.ts", to: "src/model/page-cache.ts", typeOnly: false },
      { from: "src/chapters/03-the-page-cache/figures.ts", to: "src/model/vocabulary.ts", typeOnly: true },
      { from: "src/chapters/03-the-page-cache/analysis.ts", to: "src/chapters/02-zero-copy-measured/analysis.ts", typeOnly: false },
    ];
    const files = [...new Set(edges.flatMap((e) => [e.from, e.to])), "src/gadgets/thing.ts"];
    const problems = layeringViolations(files, edges);
    expect(problems).toEqual([
      expect.stringMatching(/^src\/gadgets\/thing\.ts: folder "gadgets" is in no layer/),
      expect.stringMatching(/^src\/model\/disk\.ts -> src\/chapters\/02-zero-copy-measured\/analysis\.ts: "model" \(layer 1\) imports "chapters" \(layer 6\), which is above it$/),
      expect.stringMatching(/^src\/experiments\/sender\.ts -> src\/model\/transfer-model\.ts: experiments measure and never import the model/),
      expect.stringMatching(/^src\/chapters\/03-the-page-cache\/figures\.ts -> src\/model\/page-cache\.ts: figures draw what the analysis computed/),
      expect.stringMatching(/^src\/chapters\/03-the-page-cache\/analysis\.ts -> src\/chapters\/02-zero-copy-measured\/analysis\.ts: chapter 03-the-page-cache imports chapter 02-zero-copy-measured/),
    ]);
    const loop: ImportEdge[] = [
      { from: "src/model/a.ts", to: "src/model/b.ts", typeOnly: false },
      { from: "src/model/b.ts", to: "src/model/c.ts", typeOnly: true },
      { from: "src/model/c.ts", to: "src/model/a.ts", typeOnly: false },
      { from: "src/model/d.ts", to: "src/model/a.ts", typeOnly: false },
    ];
    expect(cycles(["src/model/a.ts", "src/model/b.ts", "src/model/c.ts", "src/model/d.ts"], loop)).toEqual([["src/model/a.ts", "src/model/b.ts", "src/model/c.ts"]]);
  });
});

describe("src/", () => {
  const graph = importGraph(root, "src");

  it("has no import of a file that does not exist", () => {
    expect(graph.unresolved).toEqual([]);
  });

  it("keeps the layers: nothing imports upward, experiments and figures leave the model to the analysis, chapters stand alone", () => {
    expect(graph.files.length).toBeGreaterThan(100);
    expect(layeringViolations(graph.files, graph.edges)).toEqual([]);
  });

  it("has no import cycle, type-only imports included", () => {
    expect(cycles(graph.files, graph.edges)).toEqual([]);
  });

  it("puts every folder of src/ in a layer, and every layer's folder exists", () => {
    const units = fs.readdirSync(path.join(root, "src"));
    for (const unit of LAYERS.flat()) expect(units, `LAYERS names ${unit}`).toContain(unit);
  });
});

describe("notebooks", () => {
  const notebooks = fs.readdirSync(path.join(root, "notebooks")).filter((n) => n.endsWith(".ipynb"));

  it.each(notebooks)("%s imports only its own chapter folder and the display helper", (name) => {
    const nb = JSON.parse(fs.readFileSync(path.join(root, "notebooks", name), "utf8")) as { cells: { cell_type: string; source: string[] }[] };
    const code = nb.cells.filter((c) => c.cell_type === "code").map((c) => c.source.join("")).join("\n");
    const specs = importsOf(code).map((i) => i.spec);
    const own = `./src/chapters/${name.replace(/\.ipynb$/, "")}/index`;
    expect(specs.length).toBeGreaterThan(0);
    expect(specs.filter((s) => s !== own && s !== "./src/plot/show")).toEqual([]);
    expect(specs).toContain(own);
  });
});
