// runWorkbook keeps going when one experiment fails, loses nothing already written, and checks disk space first.
import { describe, it, expect } from "vitest";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { runWorkbook, requireFreeSpace } from "../src/report/run-workbook";
import type { Step } from "../src/chapters/chapter";

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
    const out = fs.mkdtempSync(path.join(os.tmpdir(), "workbook-run-"));
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
    const out = fs.mkdtempSync(path.join(os.tmpdir(), "workbook-run-"));
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
