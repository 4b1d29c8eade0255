// Without the native addon (simulated with WORKBOOK_ADDON_PATH pointing nowhere) the broker still works
// when serving read+write (Node's socket.write, CRC32C in TypeScript), and asking for sendfile gets one
// line saying what is missing and what to do.
import { describe, it, expect, afterAll } from "vitest";
import { spawn, spawnSync } from "child_process";
import * as path from "path";
import { kcat, tempDir, cleanupKafka, sleep } from "./support/kafka";

const repo = path.resolve(__dirname, "..");
const env = { ...process.env, WORKBOOK_ADDON_PATH: "/nonexistent/zero_copy.node" };
const bin = path.join(repo, "src", "cli", "workbook.cjs");
afterAll(cleanupKafka);

describe("the Kafka broker without the native addon", () => {
  it("refuses --serving sendfile in one line", () => {
    const r = spawnSync(process.execPath, [bin, "broker", "--port", "0", "--dir", path.join(tempDir("noaddon"), "d")], { cwd: repo, env, encoding: "utf8", timeout: 60_000 });
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/^workbook broker: --serving sendfile needs the native addon: native addon not built: .*; run `npm run build:addon`\n$/);
  });

  it("serves kcat with --serving read-write (CRC checks on)", async () => {
    const child = spawn(process.execPath, [bin, "broker", "--port", "0", "--serving", "read-write", "--dir", path.join(tempDir("noaddon"), "d")], { cwd: repo, env });
    try {
      let out = "";
      child.stdout.on("data", (d) => (out += d));
      while (!/try: kcat/.test(out)) {
        if (child.exitCode !== null) throw new Error("broker exited");
        await sleep(50);
      }
      const bootstrap = /listening on (127\.0\.0\.1:\d+)/.exec(out)![1];
      const values = Array.from({ length: 500 }, (_, i) => `portable ${i} ${"z".repeat(i % 300)}`);
      expect((await kcat(["-b", bootstrap, "-P", "-t", "plain"], values.join("\n") + "\n")).code).toBe(0);
      const r = await kcat(["-b", bootstrap, "-C", "-t", "plain", "-o", "beginning", "-e", "-q", "-X", "check.crcs=true"]);
      expect(r.code).toBe(0);
      expect(r.stdout.toString().trim().split("\n")).toEqual(values);
    } finally {
      child.kill("SIGTERM");
      await new Promise((resolve) => child.once("exit", resolve));
    }
  });
});
