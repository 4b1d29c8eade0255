// `workbook disk` end to end: a table with every case, JSON on request, one-line errors with exit 2.
import { describe, it, expect, afterAll } from "vitest";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { scratchParent } from "./transfer-helpers";

const repo = path.resolve(__dirname, "..");
const parent = scratchParent("disk-cli");
afterAll(() => fs.rmSync(parent, { recursive: true, force: true }));

/** Runs the CLI to completion. */
function workbook(...args: string[]) {
  return spawnSync(process.execPath, [path.join(repo, "src", "cli", "workbook.cjs"), ...args], { cwd: repo, encoding: "utf8", timeout: 110_000 });
}

describe("workbook disk", () => {
  it("prints one row per case", () => {
    const r = workbook("disk", "--file-size", "1MiB", "--block", "4KiB", "--runs", "1", "--max-ops", "16", "--fsync", "end", "--dir", parent);
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    const lines = r.stdout.trim().split("\n");
    expect(lines[0]).toMatch(/^1 MiB file on ext4 .* medians of n=1; reads start with a cold cache/);
    expect(lines.filter((l) => /^(read|write) /.test(l))).toHaveLength(8); // 2 ops x 2 patterns x 2 io modes, one fsync mode
    expect(fs.readdirSync(parent)).toEqual([]);
  });

  it("--json prints the result record", () => {
    const r = workbook("disk", "--file-size", "1MiB", "--block", "64KiB", "--runs", "1", "--fsync", "none", "--json", "--dir", parent);
    expect(r.status).toBe(0);
    const result = JSON.parse(r.stdout);
    expect(result.kind).toBe("disk");
    expect(result.cases).toHaveLength(8);
  });

  it("bad input: one line, exit 2", () => {
    for (const [args, message] of [
      [["--block", "1000"], /^workbook disk: block must be a whole number of bytes from 4096/],
      [["--fsync", "sometimes"], /^workbook disk: --fsync must be one of none, end, each; got "sometimes"\n$/],
      [["--runs", "0"], /^workbook disk: --runs must be a whole number from 1 to 100, got "0"\n$/],
      [["--dir", "/dev/shm"], /^workbook disk: \/dev\/shm is on tmpfs: a RAM filesystem has no disk to measure; pass a directory on a disk filesystem\n$/],
    ] as Array<[string[], RegExp]>) {
      const r = workbook("disk", ...args);
      expect(r.stderr).toMatch(message);
      expect(r.status).toBe(2);
    }
  });
});
