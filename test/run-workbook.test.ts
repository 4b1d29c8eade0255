// runWorkbook keeps going when one experiment fails, loses nothing already written, and checks disk space first;
// two `workbook run`s started together each get their own results/<timestamp> folder.
import { describe, it, expect, afterAll } from "vitest";
import { spawn } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { runWorkbook, requireFreeSpace } from "../src/report/run-workbook";
import type { Step } from "../src/chapters/chapter";

const work = fs.mkdtempSync(path.join(os.tmpdir(), "workbook-run-"));
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));
const bin = path.resolve(__dirname, "..", "src", "cli", "workbook.cjs");

/** A fake experiment that returns `value` or throws `error`. */
function fake(name: string, behaviour: { value?: number; error?: string; diskBytes?: number }): Step<{ size: number }, { value: number }> {
  const plan = { size: behaviour.value ?? 0 };
  return {
    name,
    title: `9. ${name}`,
    plans: { quick: plan, default: plan, full: plan },
    diskBytes: () => behaviour.diskBytes ?? 0,
    async run(_plan, ctx) {
      ctx.progress(0.5, "half");
      if (behaviour.error) throw new Error(`${behaviour.error}\nsecond line that must not reach the outcome`);
      return { value: behaviour.value ?? 0 };
    },
    sections: (r) => [{ title: `9. ${name}`, text: `value ${r.value}`, figures: [] }],
    summary: (r) => [{ path: name, medianSeconds: r.value }],
  };
}

const quiet = () => ({ update: () => undefined, done: () => undefined });

describe("runWorkbook", () => {
  it("runs the other experiments after one fails, records the failure in one line, and keeps every result", async () => {
    const out = fs.mkdtempSync(path.join(work, "out-"));
    const { record, report } = await runWorkbook({
      scale: "quick",
      outDir: out,
      experiments: [fake("first", { value: 1 }), fake("broken", { error: "the disk caught fire" }), fake("last", { value: 3 })],
      progress: quiet,
    });
    expect(record.outcomes.map((o) => [o.name, o.ok])).toEqual([["first", true], ["broken", false], ["last", true]]);
    expect(record.outcomes[1].error).toBe("the disk caught fire");
    expect(JSON.parse(fs.readFileSync(path.join(out, "first.json"), "utf8")).result).toEqual({ value: 1 });
    expect(JSON.parse(fs.readFileSync(path.join(out, "last.json"), "utf8")).result).toEqual({ value: 3 });
    expect(fs.existsSync(path.join(out, "broken.json"))).toBe(false);
    const saved = JSON.parse(fs.readFileSync(path.join(out, "run.json"), "utf8"));
    expect(saved.summary.map((r: { path: string }) => r.path)).toEqual(["first", "last"]);
    const html = fs.readFileSync(report, "utf8");
    expect(html).toContain("value 3");
    expect(html).toContain("broken: the disk caught fire");
  });

  it("fails an experiment that needs more disk than is free, with a line that says how much, and runs the rest", async () => {
    const out = fs.mkdtempSync(path.join(work, "out-"));
    const { record } = await runWorkbook({
      scale: "quick",
      outDir: out,
      experiments: [fake("huge", { value: 1, diskBytes: 2 ** 60 }), fake("small", { value: 2 })],
      progress: quiet,
    });
    expect(record.outcomes[0].ok).toBe(false);
    expect(record.outcomes[0].error).toMatch(/experiment huge needs .* free in .* but only .* is free: free some space or use --quick/);
    expect(record.outcomes[1].ok).toBe(true);
  });

  it("says nothing about space when there is enough", () => {
    expect(() => requireFreeSpace(os.tmpdir(), 1, "tiny")).not.toThrow();
  });
});

describe("workbook run, twice at once", () => {
  it("gives each run its own results/<timestamp> folder, holding only its own experiments", async () => {
    const cwd = fs.mkdtempSync(path.join(work, "cwd-"));
    const start = (only: string) =>
      new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
        const child = spawn(process.execPath, [bin, "run", "--quick", "--only", only, "--json"], { cwd, stdio: ["ignore", "pipe", "pipe"] });
        let stdout = "";
        let stderr = "";
        child.stdout.on("data", (d) => (stdout += d));
        child.stderr.on("data", (d) => (stderr += d));
        child.on("close", (code) => resolve({ code, stdout, stderr }));
      });
    // Started together, they reach the folder in the same second nearly always; the folders must differ either way.
    const [a, b] = await Promise.all([start("copy-path"), start("copy-path,summary")]);
    expect(a.code, a.stderr).toBe(0);
    expect(b.code, b.stderr).toBe(0);
    const [ra, rb] = [JSON.parse(a.stdout), JSON.parse(b.stdout)];
    expect(ra.outDir).not.toBe(rb.outDir);
    expect(path.dirname(ra.outDir)).toBe(path.join(fs.realpathSync(cwd), "results"));
    expect(path.basename(rb.outDir)).toMatch(/^\d{4}-\d\d-\d\dT\d\d-\d\d-\d\d(-\d+)?$/);
    const names = (dir: string) => JSON.parse(fs.readFileSync(path.join(dir, "run.json"), "utf8")).outcomes.map((o: { name: string }) => o.name);
    expect(names(ra.outDir)).toEqual(["copy-path"]);
    expect(names(rb.outDir)).toEqual(["copy-path", "summary"]);
  });
});
