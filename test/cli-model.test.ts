// `workbook model` from the real executable: JSON counters, size suffixes, one-line errors with exit 2.
import { describe, it, expect } from "vitest";
import { spawnSync } from "child_process";
import * as path from "path";
import { MiB } from "../src/units/sizes";

const BIN = path.resolve(__dirname, "..", "src", "cli", "workbook.cjs");

/** Runs the workbook executable and returns its exit code and output. */
function workbook(...args: string[]) {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: "utf8" });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe("workbook model", () => {
  it("prints the counters as JSON, with size suffixes", () => {
    const r = workbook("model", "--path", "read-write", "--bytes", "64MiB", "--json");
    expect(r.code).toBe(0);
    const counts = JSON.parse(r.stdout);
    expect(counts).toMatchObject({ bytes: 64 * MiB, cpuCopies: 2, dmaCopies: 2, modeSwitches: 4, syscalls: 2 });
  });

  it("accepts GiB and a chunk size", () => {
    const counts = JSON.parse(workbook("model", "--path", "sendfile", "--bytes", "1GiB", "--chunk", "64KiB", "--json").stdout);
    expect(counts.chunks).toBe(16384);
  });

  for (const [args, message] of [
    [["--path", "sendfile", "--bytes", "-5"], /must not be negative/],
    [["--path", "sendfile", "--bytes", "lots"], /not a size/],
    [["--path", "teleport", "--bytes", "1"], /--path must be one of/],
    [["--bytes", "1"], /--path is required/],
    [["--path", "sendfile", "--bytes", "1", "--colour"], /unknown option --colour; see --help/],
  ] as const) {
    it(`rejects ${args.join(" ")} with one line and exit code 2`, () => {
      const r = workbook("model", ...args);
      expect(r.code).toBe(2);
      expect(r.stderr.trim().split("\n")).toHaveLength(1);
      expect(r.stderr).toMatch(message);
      expect(r.stdout).toBe("");
    });
  }

  it("says how to find the commands when given an unknown one", () => {
    const r = workbook("teleport");
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/unknown command "teleport"/);
  });
});
