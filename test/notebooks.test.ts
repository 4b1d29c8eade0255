// Every notebook executes headlessly with the tslab kernel and its claims hold; a broken cell fails
// with its real error text; an executed notebook renders its plots offline in headless Chromium.
import { describe, it, expect, beforeAll, afterAll } from "vitest";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { executeNotebook, exportNotebookHtml, listNotebooks } from "../src/notebook/jupyter";
import { copyPlotlyInto } from "../src/plot/plotly-asset";
import { renderAndCheck } from "./support/browser";
import { MiB } from "../src/units/sizes";
import { readSavedVerdicts } from "../src/claims/claims-store";

const work = fs.mkdtempSync(path.join(os.tmpdir(), "workbook-notebooks-"));
process.env.WORKBOOK_QUICK = "1"; // notebooks read it and use their CI-sized parameters
process.env.WORKBOOK_CLAIMS_DIR = path.join(work, "claims"); // chapters save claims here; the summary reads them
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

interface Output {
  output_type: string;
  name?: string;
  text?: string | string[];
  data?: Record<string, unknown>;
}

/** All stdout text of an executed notebook. */
function stdoutOf(file: string): string {
  const nb = JSON.parse(fs.readFileSync(file, "utf8"));
  return nb.cells
    .flatMap((c: { outputs?: Output[] }) => c.outputs ?? [])
    .filter((o: Output) => o.output_type === "stream" && o.name === "stdout")
    .map((o: Output) => (Array.isArray(o.text) ? o.text.join("") : o.text))
    .join("");
}

/** Every display_data output of an executed notebook. */
function displaysOf(file: string): Output[] {
  const nb = JSON.parse(fs.readFileSync(file, "utf8"));
  return nb.cells.flatMap((c: { outputs?: Output[] }) => c.outputs ?? []).filter((o: Output) => o.output_type === "display_data");
}

const notebooks = listNotebooks();

describe("notebooks", () => {
  it("exist, in chapter order", () => {
    expect(notebooks.length).toBeGreaterThan(0);
    expect(path.basename(notebooks[0])).toBe("01-the-copy-path.ipynb");
  });

  for (const notebook of notebooks) {
    const name = path.basename(notebook, ".ipynb");
    it(`${name} executes and every claim it checks holds`, async () => {
      const out = path.join(work, `${name}.ipynb`);
      const run = await executeNotebook(notebook, out);
      if (!run.ok) throw new Error(run.error);
      const claims = stdoutOf(out).split("\n").filter((line) => line.startsWith("CLAIM "));
      expect(claims.length).toBeGreaterThan(0);
      expect(claims.filter((line) => !line.startsWith("CLAIM PASS"))).toEqual([]);
      // Every figure carries plotly JSON, an HTML fallback and text; none inlines plotly.js itself.
      const figures = displaysOf(out).filter((o) => o.data?.["application/vnd.plotly.v1+json"]);
      expect(figures.length).toBeGreaterThan(0);
      for (const figure of figures) {
        expect(Object.keys(figure.data ?? {}).sort()).toEqual(["application/vnd.plotly.v1+json", "text/html", "text/plain"]);
        const layout = (figure.data?.["application/vnd.plotly.v1+json"] as { layout: any }).layout;
        expect(layout.title?.text, "figure title").toBeTruthy();
        expect(layout.showlegend).toBe(true);
      }
      expect(fs.statSync(out).size).toBeLessThan(2 * MiB);
      // The notebook ran its chapter's QUICK plan: the very plan `workbook run --quick` runs (test/report.test.ts).
      const chapter = await import(path.resolve(__dirname, "..", "src", "chapters", name, "claims"));
      const plans = await import(path.resolve(__dirname, "..", "src", "chapters", name, "plan"));
      const saved = readSavedVerdicts(process.env.WORKBOOK_CLAIMS_DIR).find((v) => v.chapter === chapter.CHAPTER);
      expect(saved?.plan, `${name} saved its verdict with its plan`).toEqual(plans.PLANS.quick);
    });
  }

  it("fails with the cell's real error text when a cell is broken", async () => {
    const nb = JSON.parse(fs.readFileSync(notebooks[0], "utf8"));
    const marker = `deliberately broken ${Date.now()}`;
    nb.cells.splice(3, 0, { cell_type: "code", metadata: {}, execution_count: null, outputs: [], source: `throw new RangeError("${marker}");` });
    const broken = path.join(work, "broken.ipynb");
    fs.writeFileSync(broken, JSON.stringify(nb));
    const run = await executeNotebook(broken, path.join(work, "broken.out.ipynb"));
    expect(run.ok).toBe(false);
    expect(run.error).toContain("cell 3");
    expect(run.error).toContain(`RangeError: ${marker}`);
  });
});

describe("an executed notebook rendered to HTML", () => {
  let html = "";
  beforeAll(async () => {
    const out = path.join(work, "render.ipynb");
    const run = await executeNotebook(notebooks[0], out);
    if (!run.ok) throw new Error(run.error);
    html = exportNotebookHtml(out, path.join(work, "html"));
    copyPlotlyInto(path.dirname(html));
  });

  it("is small: plotly.js is loaded from a file beside it, not inlined", () => {
    const text = fs.readFileSync(html, "utf8");
    expect(text).toContain('"plotly.min.js"');
    expect(fs.statSync(html).size).toBeLessThan(2 * MiB);
  });

  it("draws every figure offline in headless Chromium, without console errors", async () => {
    const page = await renderAndCheck(html, "notebook-01");
    expect(page.figures).toBeGreaterThan(0);
    expect(page.drawn).toBe(page.figures);
    expect(page.consoleErrors).toEqual([]);
    expect(fs.statSync(page.screenshot).size).toBeGreaterThan(10_000);
  });
});

describe("without Jupyter", () => {
  it("npm run notebooks says in one line what to install, exit 2, instead of a stack dump", async () => {
    const { spawnSync } = await import("child_process");
    const tsx = path.resolve(__dirname, "..", "node_modules", "tsx", "dist", "cli.mjs");
    const r = spawnSync(process.execPath, [tsx, path.resolve(__dirname, "..", "src", "notebook", "open.ts")], {
      encoding: "utf8",
      env: { ...process.env, WORKBOOK_PYTHON: "/nonexistent/python3" },
      timeout: 60_000,
    });
    expect(r.status).toBe(2);
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
    expect(r.stderr).toMatch(/Jupyter is not available to \/nonexistent\/python3 .* install it with: sudo apt-get install -y --no-install-recommends python3-nbclient/);
  });
});
