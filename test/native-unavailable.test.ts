// Without the addon (simulated with WORKBOOK_ADDON_PATH pointing nowhere): the experiments fail with one
// clear line, the model keeps working, and importing an experiment has no side effects.
import { describe, it, expect } from "vitest";
import { spawnSync } from "child_process";
import * as path from "path";

const repo = path.resolve(__dirname, "..");
const env = { ...process.env, WORKBOOK_ADDON_PATH: "/nonexistent/zero_copy.node" };

/** Runs a snippet of TypeScript-importing JS in a fresh Node with tsx. */
function node(code: string) {
  return spawnSync(process.execPath, ["-r", "tsx/cjs", "-e", code], { cwd: repo, env, encoding: "utf8", timeout: 60_000 });
}

describe("without the native addon", () => {
  it("importing the experiments works; calling one rejects with a single clear error", () => {
    const r = node(`
      const x = require("./src/experiments/transfer-experiment");
      console.log(JSON.stringify(require("./src/native/addon").nativeStatus()));
      x.runTransferExperiment({ bytes: 1024 }).then(
        () => console.log("resolved?!"),
        (e) => console.log(e.name + ": " + e.message));
    `);
    expect(r.stderr).toBe("");
    const [status, error] = r.stdout.trim().split("\n");
    expect(JSON.parse(status)).toEqual({ ok: false, reason: expect.stringMatching(/^native addon not built: .*zero_copy.node is missing; run `npm run build:addon`$/) });
    expect(error).toMatch(/^NativeUnavailableError: native addon not built: .* run `npm run build:addon`$/);
  });

  it("the CLI says so in one line and exits 1, while `workbook model` still works", () => {
    const bin = path.join(repo, "src", "cli", "workbook.cjs");
    const t = spawnSync(process.execPath, [bin, "transfer", "--bytes", "1MiB"], { cwd: repo, env, encoding: "utf8" });
    expect(t.status).toBe(1);
    expect(t.stderr).toMatch(/^workbook transfer: native addon not built: .*; run `npm run build:addon`\n$/);
    const d = spawnSync(process.execPath, [bin, "disk"], { cwd: repo, env, encoding: "utf8" });
    expect(d.status).toBe(1);
    expect(d.stderr).toMatch(/^workbook disk: native addon not built/);
    const m = spawnSync(process.execPath, [bin, "model", "--path", "sendfile", "--bytes", "1MiB"], { cwd: repo, env, encoding: "utf8" });
    expect(m.status).toBe(0);
    expect(m.stdout).toMatch(/^sendfile: 1 MiB/);
  });
});
