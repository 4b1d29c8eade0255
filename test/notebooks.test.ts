// Every notebook executes headlessly with the tslab kernel and its claims hold; its cells are numbered as they ran,
// its outputs name no local path, every figure, table and prose output carries its MIME types; a broken cell fails
// with its real error text; an executed notebook renders its plots offline in headless Chromium; the committed
// notebooks carry execution counts wherever they carry outputs; chapter 1 starts by naming its sources.
import { describe, it, expect, beforeAll, afterAll } from "vitest";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { executeNotebook, exportNotebookHtml, listNotebooks } from "../src/notebook/jupyter";
import { copyPlotlyInto } from "../src/plot/plotly-asset";
import { renderAndCheck } from "./support/browser";
import { MiB } from "../src/units/sizes";
import { readSavedVerdicts } from "../src/claims/claims-store";
import { BYTEBYTEGO_POST } from "../src/reference/bytebytego-post";
import { IBM_ARTICLE } from "../src/reference/ibm-zero-copy";
import { KAFKA_DESIGN } from "../src/reference/kafka-design";
import { notebookArgs } from "../src/notebook/open";

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

/** The claim lines a notebook printed: on stdout, or as the text/plain of its verdict's table. */
function claimLinesOf(file: string): string[] {
  const plain = displaysOf(file).map((o) => o.data?.["text/plain"]).map((t) => (Array.isArray(t) ? t.join("") : String(t ?? "")));
  return [stdoutOf(file), ...plain].join("\n").split("\n").filter((line) => line.startsWith("CLAIM "));
}

/** The code cells of a saved notebook. */
function codeCells(file: string): { execution_count: number | null; outputs?: Output[]; source: string | string[] }[] {
  return JSON.parse(fs.readFileSync(file, "utf8")).cells.filter((c: { cell_type: string }) => c.cell_type === "code");
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
      const claims = claimLinesOf(out);
      expect(claims.length).toBeGreaterThan(0);
      expect(claims.filter((line) => !line.startsWith("CLAIM PASS"))).toEqual([]);
      // Numbered as they ran: In [1], In [2], ... (tslab reports no count; the runner sets it).
      expect(codeCells(out).map((c) => c.execution_count)).toEqual(codeCells(out).map((_, i) => i + 1));
      // No local path in what a reader sees: not this checkout, not the scratch folders under the temp dir.
      const outputs = JSON.stringify(codeCells(out).map((c) => c.outputs));
      for (const local of [path.resolve(__dirname, ".."), `${os.tmpdir()}/`]) expect(outputs, `${name} prints ${local}`).not.toContain(local);
      // Tables, prose and details each carry a fallback for plain-text front ends.
      for (const o of displaysOf(out)) expect(Object.keys(o.data ?? {}), name).toContain("text/plain");
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

  it("are committed with an execution count on every code cell wherever they carry outputs", () => {
    for (const notebook of notebooks) {
      const cells = codeCells(notebook);
      if (!cells.some((c) => (c.outputs ?? []).length > 0)) continue;
      expect(cells.map((c) => c.execution_count), path.basename(notebook)).toEqual(cells.map((_, i) => i + 1));
    }
  });

  it("carry no absolute path of the machine that executed them (the checkout, the temporary folder, a home)", () => {
    const checkout = path.resolve(__dirname, "..");
    for (const notebook of notebooks) {
      const outputs = JSON.stringify(codeCells(notebook).map((c) => c.outputs ?? []));
      for (const place of [checkout, os.tmpdir(), "/tmp/", "/home/", "/root/"]) expect(outputs.includes(place), `${path.basename(notebook)} mentions ${place}`).toBe(false);
    }
  });

  it("start chapter 1 by naming the post, the IBM article and Kafka's design documentation, with their links", () => {
    const first = JSON.parse(fs.readFileSync(notebooks[0], "utf8")).cells[0];
    const text = Array.isArray(first.source) ? first.source.join("") : first.source;
    for (const source of [BYTEBYTEGO_POST, IBM_ARTICLE, KAFKA_DESIGN]) expect(text, source.title).toContain(`(${source.url})`);
    expect(text).toContain(BYTEBYTEGO_POST.title);
    expect(text).toContain(IBM_ARTICLE.title);
  });

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

describe("npm run notebooks as root", () => {
  it("adds --allow-root when the user id is 0, and only then, once", () => {
    expect(notebookArgs(0, [])).toContain("--allow-root");
    expect(notebookArgs(1000, [])).not.toContain("--allow-root");
    expect(notebookArgs(0, ["--allow-root"]).filter((a) => a === "--allow-root")).toHaveLength(1);
    expect(notebookArgs(1000, [])).toContain("--ip=127.0.0.1");
  });

  it.runIf(process.getuid?.() === 0)("starts the real Notebook server as root, on 127.0.0.1, and stops on SIGTERM", async () => {
    const { spawn } = await import("child_process");
    const tsx = path.resolve(__dirname, "..", "node_modules", "tsx", "dist", "cli.mjs");
    const port = String(20000 + (process.pid % 20000));
    const child = spawn(process.execPath, [tsx, path.resolve(__dirname, "..", "src", "notebook", "open.ts"), "--no-browser", `--port=${port}`, "--port-retries=50"], {
      detached: true,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let log = "";
    child.stdout.on("data", (d) => (log += d));
    child.stderr.on("data", (d) => (log += d));
    try {
      const deadline = Date.now() + 60_000;
      while (!/http:\/\/127\.0\.0\.1:\d+\//.test(log) && Date.now() < deadline && child.exitCode === null) await new Promise((r) => setTimeout(r, 200));
      expect(log).not.toMatch(/Running as root is not recommended/);
      expect(log).toMatch(/http:\/\/127\.0\.0\.1:\d+\//);
    } finally {
      // Stop the whole group (tsx, node, Jupyter), then check that nothing of it is left; kill what is.
      const alive = () => {
        try {
          process.kill(-(child.pid as number), 0);
          return true;
        } catch {
          return false;
        }
      };
      if (child.pid && alive()) process.kill(-child.pid, "SIGTERM");
      const deadline = Date.now() + 15_000;
      while (child.pid && alive() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
      const leftover = Boolean(child.pid && alive());
      if (leftover) process.kill(-(child.pid as number), "SIGKILL");
      expect(leftover, "a process of the Notebook server outlived SIGTERM").toBe(false);
    }
  }, 90_000);
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
