// `workbook run` end to end: result JSON plus a report that draws every figure offline in headless Chromium.
import { describe, it, expect, beforeAll } from "vitest";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { renderAndCheck } from "./support/browser";

const BIN = path.resolve(__dirname, "..", "src", "cli", "workbook.cjs");
const out = fs.mkdtempSync(path.join(os.tmpdir(), "workbook-report-"));

describe("workbook run", () => {
  let result: { code: number | null; stdout: string; stderr: string };
  beforeAll(() => {
    const r = spawnSync(process.execPath, [BIN, "run", "--out", out, "--json"], { encoding: "utf8" });
    result = { code: r.status, stdout: r.stdout, stderr: r.stderr };
  });

  it("writes the result records and report.html with plotly.js beside it", () => {
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout).report).toBe(path.join(out, "report.html"));
    const copyPath = JSON.parse(fs.readFileSync(path.join(out, "copy-path.json"), "utf8"));
    expect(copyPath.single.find((r: { path: string }) => r.path === "sendfile").cpuCopies).toBe(1);
    expect(fs.existsSync(path.join(out, "plotly.min.js"))).toBe(true);
  });

  it("opens offline in headless Chromium with every figure drawn and no console errors", async () => {
    const page = await renderAndCheck(path.join(out, "report.html"), "report");
    expect(page.figures).toBeGreaterThanOrEqual(4);
    expect(page.drawn).toBe(page.figures);
    expect(page.consoleErrors).toEqual([]);
  });
});
