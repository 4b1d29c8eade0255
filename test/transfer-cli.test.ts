// `workbook transfer` end to end: table and JSON output, one-line errors with exit 2, and SIGINT cleanup
// (no scratch dir, no receiver or sender process left behind).
import { describe, it, expect, afterAll } from "vitest";
import { spawn, spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import * as crypto from "crypto";
import { processesWithMarker, scratchParent } from "./transfer-helpers";

const repo = path.resolve(__dirname, "..");
const bin = path.join(repo, "src", "cli", "workbook.cjs");
const parent = scratchParent("transfer-cli");

afterAll(() => fs.rmSync(parent, { recursive: true, force: true }));

/** Runs the CLI to completion. */
function workbook(...args: string[]) {
  return spawnSync(process.execPath, [bin, ...args], { cwd: repo, encoding: "utf8", timeout: 110_000 });
}

describe("workbook transfer", () => {
  it("prints a table with every asked path and verified runs", () => {
    const r = workbook("transfer", "--path", "sendfile,read-write", "--bytes", "1MiB", "--runs", "2", "--warmup", "0", "--dir", parent);
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^1 MiB over loopback TCP, cache warm, chunk 64 KiB, medians of n=2/);
    expect(r.stdout).toMatch(/\nsendfile\s+\d/);
    expect(r.stdout).toMatch(/\nread-write\s+\d/);
    expect(fs.readdirSync(parent)).toEqual([]);
  });

  it("--background-ms: each run records every CPU's busy time during its send and the quiet windows around it", () => {
    const r = workbook("transfer", "--path", "sendfile", "--bytes", "1MiB", "--runs", "2", "--warmup", "0", "--background-ms", "30", "--json", "--dir", parent);
    expect(r.status).toBe(0);
    const result = JSON.parse(r.stdout);
    expect(result.conditions.backgroundWindowMs).toBe(30);
    for (const run of result.runs) {
      expect(run.machineBusyMs % 10).toBe(0); // /proc/stat's 10 ms ticks
      expect(run.backgroundBeforeBusyMs).toBeGreaterThanOrEqual(0);
      expect(run.backgroundAfterBusyMs).toBeGreaterThanOrEqual(0);
      expect(run.backgroundWindowMs).toBeGreaterThanOrEqual(29);
    }
    const table = workbook("transfer", "--path", "sendfile", "--bytes", "1MiB", "--runs", "1", "--warmup", "0", "--dir", parent);
    expect(table.stdout).toMatch(/recv ms\s+machine ms\n/);
    expect(fs.readdirSync(parent)).toEqual([]);
  });

  it("--json prints the whole result", () => {
    const r = workbook("transfer", "--path", "splice", "--bytes", "100000", "--runs", "1", "--warmup", "0", "--cache", "cold", "--json", "--dir", parent);
    expect(r.status).toBe(0);
    const result = JSON.parse(r.stdout);
    expect(result.kind).toBe("transfer");
    expect(result.runs).toHaveLength(1);
    expect(result.runs[0]).toMatchObject({ path: "splice", bytes: 100000, cache: "cold", residentPagesBefore: 0, receivedBytes: 100000 });
  });

  it("bad input: one line on stderr, exit 2, nothing left behind", () => {
    const cases: Array<[string[], RegExp]> = [
      [["--bytes", "-5"], /^workbook transfer: --bytes must not be negative, got "-5"\n$/],
      [["--bytes", "1MiB", "--path", "teleport"], /^workbook transfer: --path must be one of stream, read-write, c-read-write, sendfile, splice, all; got "teleport"\n$/],
      [["--file", "/no/such/file"], /^workbook transfer: --file \/no\/such\/file does not exist; give an existing file\n$/],
      [["--path", "sendfile"], /^workbook transfer: --bytes is required/],
      [["--bytes", "1MiB", "--cache", "hot"], /^workbook transfer: --cache must be one of warm, cold; got "hot"\n$/],
      [["--bytes", "1MiB", "--background-ms", "soon"], /^workbook transfer: --background-ms must be a whole number from 0 to 10000, got "soon"\n$/],
    ];
    for (const [args, message] of cases) {
      const r = workbook("transfer", ...args, "--dir", parent);
      expect(r.stderr).toMatch(message);
      expect(r.status).toBe(2);
    }
    expect(fs.readdirSync(parent)).toEqual([]);
  });

  it("SIGINT mid-experiment removes the scratch dir and ends the receiver and sender processes", async () => {
    const marker = `WORKBOOK_TEST_${crypto.randomBytes(6).toString("hex")}`;
    const cli = spawn(process.execPath, [bin, "transfer", "--bytes", "8MiB", "--runs", "500", "--dir", parent], {
      cwd: repo,
      env: { ...process.env, [marker]: "1" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    const exited = new Promise<{ code: number | null; signal: string | null }>((resolve) => cli.on("exit", (code, signal) => resolve({ code, signal })));
    // Wait until the experiment is running: its scratch dir exists and a receiver is up.
    const deadline = Date.now() + 60_000;
    while (Date.now() < deadline && (fs.readdirSync(parent).length === 0 || processesWithMarker(marker).length < 2)) {
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(fs.readdirSync(parent).length).toBe(1);
    await new Promise((r) => setTimeout(r, 500));
    cli.kill("SIGINT");
    const { code, signal } = await exited;
    expect(signal === "SIGINT" || code === 130).toBe(true);
    await new Promise((r) => setTimeout(r, 200)); // let the killed children be reaped
    expect(fs.readdirSync(parent)).toEqual([]);
    expect(processesWithMarker(marker)).toEqual([]);
  });
});
