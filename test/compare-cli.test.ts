// `workbook compare`: two result folders side by side (terminal table and a page); a folder that is not a result
// set, or a run.json of the wrong shape, gets one line naming what is missing before anything is printed (exit 2);
// the page's folder is checked before anything is printed too.
import { describe, it, expect, afterAll } from "vitest";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

const BIN = path.resolve(__dirname, "..", "src", "cli", "workbook.cjs");
const work = fs.mkdtempSync(path.join(os.tmpdir(), "workbook-cmp-"));
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

const rows = (seconds: number) => [{ path: "sendfile", medianSeconds: seconds, cpuSecondsPerGiB: 0.2 }, { path: "read-write", medianSeconds: 2 * seconds }];
const run = (seconds: number, host: string) => ({
  environment: { hostname: host, cpuCount: 2, cpuModel: "x", kernel: "Linux 6", nodeVersion: "v20", timestamp: "t", loadAverage: [0] },
  scale: "quick",
  outcomes: [],
  summary: rows(seconds),
});

/** A result folder whose run.json holds `content` (a value, written as JSON, or raw text). */
function folder(name: string, content: unknown, raw = false): string {
  const dir = path.join(work, name);
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, "run.json"), raw ? String(content) : JSON.stringify(content));
  return dir;
}

const compare = (...args: string[]) => spawnSync(process.execPath, [BIN, "compare", ...args], { encoding: "utf8", timeout: 30_000 });

describe("workbook compare", () => {
  const a = folder("a", run(0.5, "alpha"));
  const b = folder("b", run(1.0, "beta"));

  it("shows two result folders side by side and writes a page", () => {
    const r = compare(a, b);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/alpha/);
    expect(r.stdout).toMatch(/sendfile\s+0\.500\s+1\.000\s+2\.00x/);
    expect(fs.existsSync(path.join(b, "compare-with-a", "report.html"))).toBe(true);
  });

  it("says what a result folder must hold when given another folder, exit 2", () => {
    const r = compare(work, "/nonexistent-results");
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/holds no run\.json/);
  });

  it("names what a well-formed run.json of the wrong shape lacks, in one line, before printing anything", () => {
    const environment = run(1, "x").environment;
    const cases: Array<[unknown, RegExp, boolean?]> = [
      [{ a: 1 }, /run\.json has no "environment" \(an object\), found nothing/],
      [null, /run\.json is null, not a run record \(an object\)/],
      [[1, 2], /run\.json is an array, not a run record \(an object\)/],
      ["42", /run\.json is a number, not a run record/, true],
      [{ ...run(1, "x"), summary: undefined }, /run\.json has no "summary" \(an array of rows\), found nothing/],
      [{ ...run(1, "x"), summary: { sendfile: 1 } }, /run\.json has no "summary" \(an array of rows\), found an object/],
      [{ ...run(1, "x"), environment: { ...environment, hostname: undefined } }, /run\.json has no "environment\.hostname" \(a string\)/],
      [{ ...run(1, "x"), scale: 3 }, /run\.json has no "scale" \(a string\), found a number/],
      [{ ...run(1, "x"), summary: [{ medianSeconds: 1 }] }, /run\.json has a "summary\[0\]" without a "path" \(a string\)/],
      [{ ...run(1, "x"), summary: [{ path: "sendfile", medianSeconds: "fast" }] }, /"summary\[0\]\.medianSeconds" that is a string, not a number/],
      ["{ truncated", /run\.json is not valid JSON: was the run interrupted while writing it\?/, true],
    ];
    cases.forEach(([content, message, raw], i) => {
      const bad = folder(`bad-${i}`, content, raw);
      for (const args of [[bad, b], [a, bad]]) {
        const r = compare(...args);
        expect(r.stderr, JSON.stringify(content)).toMatch(new RegExp(`^workbook compare: .*${message.source}`));
        expect(r.stderr.split("\n").filter(Boolean)).toHaveLength(1);
        expect(r.stdout).toBe("");
        expect(r.status).toBe(2);
      }
    });
  });

  it("checks the page's folder before printing anything: a file, or a place that cannot be written, is one line, exit 2", () => {
    const file = path.join(work, "a-file");
    fs.writeFileSync(file, "");
    for (const [out, message] of [
      [file, /^workbook compare: --out .*a-file is a file; name a folder \(it is created if missing\)\n$/],
      ["/proc/workbook-compare", /^workbook compare: cannot write --out \/proc\/workbook-compare \(ENOENT: no folder can be created there\)/],
    ] as const) {
      const r = compare(a, b, "--out", out);
      expect(r.signal).toBeNull();
      expect(r.stderr).toMatch(message);
      expect(r.stdout).toBe("");
      expect(r.status).toBe(2);
    }
  });
});
