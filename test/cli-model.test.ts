// `workbook model` from the real executable: JSON counters, size suffixes, the step table (--steps, text and JSON),
// one-line errors with exit 2.
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

  it("prints a path's step table as JSON: the post's number, who moves the bytes, from, to, mode, what happens", () => {
    const r = workbook("model", "--path", "sendfile-sg", "--steps", "--json");
    expect(r.code, r.stderr).toBe(0);
    const steps = JSON.parse(r.stdout);
    for (const step of steps) {
      expect(Object.keys(step)).toEqual(["seedStep", "actor", "from", "to", "mode", "description"]);
      expect(["cpu", "dma", "nic", "syscall"]).toContain(step.actor);
    }
    expect(steps.map((s: { seedStep: string }) => s.seedStep)).toEqual(["", "3.1", "3.2", "3.2", "", "3.3"]);
    expect(steps.find((s: { seedStep: string; actor: string }) => s.seedStep === "3.2" && s.actor === "dma")).toMatchObject({ from: "page cache", to: "NIC" });
    expect(steps[steps.length - 1]).toMatchObject({ actor: "nic", from: "NIC", to: "network", mode: "user" });
  });

  it("prints the step table as text, the setup steps of mmap-write apart, unnumbered steps marked -", () => {
    const r = workbook("model", "--path", "mmap-write", "--steps");
    expect(r.code, r.stderr).toBe(0);
    const lines = r.stdout.trim().split("\n");
    expect(lines[0]).toMatch(/^mmap-write: the model's step table\. "post" is the step's number in ByteByteGo's "Why is Kafka fast\?"/);
    expect(lines[1]).toMatch(/^post\s+who\s+from\s+to\s+mode\s+what happens$/);
    expect(lines).toContain("once per transfer:");
    expect(lines).toContain("then for every call:");
    expect(lines.filter((l) => /^-\s+syscall\s+/.test(l)).length).toBeGreaterThanOrEqual(4);
    const rw = workbook("model", "--path", "read-write", "--steps").stdout;
    expect(rw).toMatch(/^2\.5\s+nic\s+NIC\s+network\s+user\s+the NIC sends the bytes out on the wire/m);
  });

  for (const [args, message] of [
    [["--path", "sendfile", "--steps", "--bytes", "1MiB"], /--steps prints the path's step table, which does not depend on sizes: drop --bytes and --chunk/],
    [["--path", "warp", "--steps"], /--path must be one of read-write/],
    [["--steps"], /--path is required/],
    [["--path", "sendfile", "--steps", "--json", "--verbose"], /unknown option --verbose/],
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
