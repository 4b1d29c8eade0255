// README's promise for every command that measures: Ctrl-C (SIGINT), SIGTERM or a closed terminal (SIGHUP) in the
// middle of a run leaves no scratch folder and no child process (and so no socket: sockets die with their process).
// Every registered command is either listed here with arguments that make it measure, or named as one that makes
// nothing to clean up, so a command added later must be placed in one list or the other.
import { describe, it, expect, afterAll } from "vitest";
import { spawn } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as crypto from "crypto";
import { COMMANDS } from "../src/cli/commands";
import { processesWithMarker } from "./transfer-helpers";

const repo = path.resolve(__dirname, "..");
const bin = path.join(repo, "src", "cli", "workbook.cjs");
const work = fs.mkdtempSync(path.join(os.tmpdir(), "workbook-test-interrupt-"));
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

/** Arguments that make each measuring command run long enough to be interrupted mid-way. */
const MEASURING: Record<string, string[]> = {
  run: ["--quick", "--only", "transfer", "--runs", "100", "--out", path.join(work, "results")],
  transfer: ["--bytes", "64MiB", "--runs", "500"],
  disk: ["--file-size", "64MiB", "--runs", "100"],
  calibrate: ["--quick", "--out", path.join(work, "calibration.json")],
  "broker-bench": ["--quick", "--repeats", "50"],
  predict: ["--quick", "--runs", "500"],
};

/** Commands that start no process and make no scratch folder: they compute, or read and write named files only.
 *  `broker` serves from a data folder that is the user's and outlives it; its clean stop on SIGINT, SIGTERM and
 *  SIGHUP is tested in kafka-cli.test.ts. */
const NOTHING_TO_CLEAN = ["compare", "model", "cache", "broker"];

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Starts `workbook <name> ...`, waits until it has a scratch folder and a child process, sends `signal`. */
async function interrupt(name: string, signal: NodeJS.Signals) {
  const tmp = fs.mkdtempSync(path.join(work, `${name}-${signal}-`));
  const marker = `WORKBOOK_TEST_${crypto.randomBytes(6).toString("hex")}`;
  const cli = spawn(process.execPath, [bin, name, ...MEASURING[name]], { cwd: work, env: { ...process.env, TMPDIR: tmp, [marker]: "1" }, stdio: ["ignore", "ignore", "pipe"] });
  let stderr = "";
  cli.stderr.on("data", (d) => (stderr += d));
  const exited = new Promise<{ code: number | null; signal: string | null }>((resolve) => cli.on("exit", (code, sig) => resolve({ code, signal: sig })));
  const scratch = () => fs.readdirSync(tmp).filter((n) => n.startsWith("workbook-"));
  let ready = false;
  for (const deadline = Date.now() + 90_000; Date.now() < deadline && !ready && cli.exitCode === null; await sleep(50)) {
    ready = scratch().length > 0 && processesWithMarker(marker).length >= 2; // the command and at least one child
  }
  await sleep(300);
  cli.kill(signal);
  const ended = await exited;
  await sleep(500); // children notice the closed IPC channel and exit
  return { ready, ...ended, stderr, scratch: scratch(), processes: processesWithMarker(marker) };
}

describe("interrupting a command", () => {
  it("every registered command is either interrupted below or makes nothing to clean up", () => {
    for (const c of COMMANDS) expect([...Object.keys(MEASURING), ...NOTHING_TO_CLEAN], `workbook ${c.name}`).toContain(c.name);
  });

  for (const name of Object.keys(MEASURING)) {
    const signals: NodeJS.Signals[] = name === "broker-bench" ? ["SIGINT", "SIGTERM", "SIGHUP"] : ["SIGINT"];
    for (const signal of signals) {
      it(`${name}: ${signal} mid-run removes the scratch folder and ends every child`, async () => {
        const r = await interrupt(name, signal);
        expect(r.ready, `workbook ${name} never had a scratch folder and a child: ${r.stderr}`).toBe(true);
        expect(r.signal, r.stderr).toBe(signal);
        expect(r.scratch).toEqual([]);
        expect(r.processes).toEqual([]);
      });
    }
  }
});
