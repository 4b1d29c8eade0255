// `workbook run` end to end: result JSON plus a report that draws every figure offline in headless Chromium.
import { describe, it, expect, beforeAll, afterAll } from "vitest";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { renderAndCheck } from "./support/browser";
import { STEPS } from "../src/report/steps";
import { planFor } from "../src/report/run-workbook";

const BIN = path.resolve(__dirname, "..", "src", "cli", "workbook.cjs");
const out = fs.mkdtempSync(path.join(os.tmpdir(), "workbook-report-"));
afterAll(() => fs.rmSync(out, { recursive: true, force: true }));

describe("workbook run", () => {
  let result: { code: number | null; stdout: string; stderr: string };
  beforeAll(() => {
    const r = spawnSync(process.execPath, [BIN, "run", "--quick", "--out", out, "--json"], { encoding: "utf8" });
    result = { code: r.status, stdout: r.stdout, stderr: r.stderr };
  });

  it("writes one JSON file per experiment, run.json and report.html with plotly.js beside it", () => {
    expect(result.code, result.stderr).toBe(0);
    const summary = JSON.parse(result.stdout);
    expect(summary.report).toBe(path.join(out, "report.html"));
    expect(summary.outcomes.every((o: { ok: boolean }) => o.ok)).toBe(true);
    const run = JSON.parse(fs.readFileSync(path.join(out, "run.json"), "utf8"));
    expect(run.scale).toBe("quick");
    expect(run.environment.cpuCount).toBeGreaterThan(0);
    for (const outcome of run.outcomes) expect(fs.existsSync(path.join(out, outcome.file))).toBe(true);
    const copyPath = JSON.parse(fs.readFileSync(path.join(out, "copy-path.json"), "utf8"));
    expect(copyPath.environment.nodeVersion).toBe(process.version);
    expect(copyPath.result.single.find((r: { path: string }) => r.path === "sendfile").cpuCopies).toBe(1);
    expect(fs.existsSync(path.join(out, "plotly.min.js"))).toBe(true);
  });

  it("runs every step on its chapter's own QUICK plan, the one the chapter's notebook runs at QUICK (test/notebooks.test.ts)", () => {
    for (const step of STEPS) expect(planFor(step, "quick"), step.name).toBe(step.plans.quick);
    const run = JSON.parse(fs.readFileSync(path.join(out, "run.json"), "utf8"));
    expect(run.outcomes.map((o: { name: string }) => o.name)).toEqual(STEPS.map((s) => s.name));
    for (const outcome of run.outcomes) expect(outcome.plan, outcome.name).toEqual(STEPS.find((s) => s.name === outcome.name)!.plans.quick);
  });

  it("shows every chapter's claims, and the summary chapter finds that every chapter reported", () => {
    const run = JSON.parse(fs.readFileSync(path.join(out, "run.json"), "utf8"));
    const chapters = STEPS.filter((s) => s.verdict).map((s) => s.title);
    expect(run.verdicts.map((v: { chapter: string }) => v.chapter.slice(0, 2))).toEqual(chapters.map((t) => t.slice(0, 2)));
    const summary = run.verdicts.find((v: { chapter: string }) => v.chapter === "8. Summary");
    expect(summary.claims[0]).toMatchObject({ claim: "every chapter before this one reported its claims", pass: true });
    // The written verdict found every claim it cites among the claims this run's chapters checked (by their words).
    const cites = summary.claims.find((c: { claim: string }) => c.claim.startsWith("the written verdict rests on claims"));
    expect(cites.evidence).not.toMatch(/missing/);
    const html = fs.readFileSync(path.join(out, "report.html"), "utf8");
    expect(html.match(/what this chapter checked/g)?.length).toBe(chapters.length);
  });

  it("has a table of contents, a collapsible section per chapter, the written verdict, and every claim as a table row", () => {
    const html = fs.readFileSync(path.join(out, "report.html"), "utf8");
    const run = JSON.parse(fs.readFileSync(path.join(out, "run.json"), "utf8"));
    const toc = /<nav class="toc">([\s\S]*?)<\/nav>/.exec(html)?.[1] ?? "";
    const chapterNumbers = [...new Set(STEPS.map((s) => s.title.split(".")[0]))].sort((a, b) => parseFloat(a) - parseFloat(b));
    expect([...toc.matchAll(/<li><a href="#[^"]+">(\d+[a-z]?)\./g)].map((m) => m[1])).toEqual(chapterNumbers);
    expect(html.match(/<details class="chapter" open/g)).toHaveLength(chapterNumbers.length);
    expect(html).toContain("What makes Kafka fast on this machine, and why");
    expect(html).toContain("What “about 65%” means, and when it holds");
    // The summary's table lists every claim the other chapters checked, each row linkable from the verdict.
    const others = run.verdicts.filter((v: { chapter: string }) => v.chapter !== "8. Summary").flatMap((v: { claims: unknown[] }) => v.claims);
    const table = /<table class="workbook-table" data-table="all-claims"[\s\S]*?<\/table>/.exec(html)?.[0] ?? "";
    expect(table.match(/<tr id="claim-/g)).toHaveLength(others.length);
    for (const [, id] of html.matchAll(/href="#(claim-[^"]+)"/g)) expect(table).toContain(`id="${id}"`);
    // Chapter 1 names its sources; no local path of this machine appears in the page.
    for (const url of ["https://bytebytego.com/guides/why-is-kafka-fast/", "https://developer.ibm.com/articles/j-zerocopy/", "https://kafka.apache.org/documentation/#design"]) {
      expect(html).toContain(`href="${url}"`);
    }
    expect(html).not.toContain(path.resolve(__dirname, ".."));
    expect(html).not.toContain(`${os.tmpdir()}/`);
  });

  it("opens offline in headless Chromium with every figure drawn and no console errors", async () => {
    const page = await renderAndCheck(path.join(out, "report.html"), "report");
    expect(page.figures).toBeGreaterThanOrEqual(4);
    expect(page.drawn).toBe(page.figures);
    expect(page.consoleErrors).toEqual([]);
  });
});

describe("workbook run, bad input", () => {
  it("names an unknown experiment and lists the known ones, exit 2", () => {
    const r = spawnSync(process.execPath, [BIN, "run", "--only", "teleport"], { encoding: "utf8" });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/unknown experiment teleport; choose from copy-path/);
  });

  it("says in one line that an unwritable result folder cannot be used, and runs nothing, exit 2", () => {
    const r = spawnSync(process.execPath, [BIN, "run", "--out", "/proc/workbook-results"], { encoding: "utf8", timeout: 30_000 });
    expect(r.status).toBe(2);
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
    expect(r.stderr).toMatch(/cannot write --out \/proc\/workbook-results/);
  });
});
