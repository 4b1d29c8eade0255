// `workbook broker` as a reader uses it: it prints its address and data folder, answers kcat, stops
// cleanly on SIGINT, SIGTERM and SIGHUP (exit 0, clean-shutdown marker), and refuses bad input with one
// line and exit 2: unknown flags, bad values, a port in use, a data folder that is a file or in use.
import { describe, it, expect, afterAll } from "vitest";
import * as fs from "fs";
import * as net from "net";
import * as path from "path";
import { brokerCli, runWorkbook, kcat, tempDir, cleanupKafka } from "./support/kafka";

afterAll(cleanupKafka);

/** Runs `workbook broker ...` expecting it to refuse; resolves with its exit code and stderr. */
async function refused(args: string[]): Promise<{ code: number | string; stderr: string }> {
  const run = runWorkbook(["broker", ...args]);
  const code = await run.exited;
  return { code, stderr: run.stderr() };
}

describe("workbook broker", () => {
  for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
    it(`prints where it listens and keeps data, and stops cleanly on ${signal}`, async () => {
      const dataDir = path.join(tempDir("cli"), "data");
      const broker = await brokerCli(dataDir);
      expect(broker.stdout()).toMatch(new RegExp(`kafka broker listening on 127\\.0\\.0\\.1:${broker.port} \\(node 0, serving fetches by sendfile\\)\\ndata folder ${dataDir.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}\\n`));
      expect(broker.stdout()).toMatch(/try: kcat -b 127\.0\.0\.1:\d+ -L/);
      expect((await kcat(["-b", broker.bootstrap, "-P", "-t", "kept"], "a\nb\n")).code).toBe(0);
      expect(await broker.stop(signal)).toBe(0);
      expect(broker.stdout()).toMatch(/broker stopped cleanly/);
      expect(broker.stderr()).toMatch(new RegExp(`${signal}: stopping`));
      expect(fs.existsSync(path.join(dataDir, ".kafka_cleanshutdown"))).toBe(true);
      expect(fs.existsSync(path.join(dataDir, ".lock"))).toBe(false);
      expect(fs.readdirSync(path.join(dataDir, "kept-0"))).toContain("00000000000000000000.log");
    });
  }

  it("binds to 127.0.0.1 by default and elsewhere only with --listen", async () => {
    const broker = await brokerCli(path.join(tempDir("cli"), "data"), ["--listen", "127.0.0.2", "--serving", "read-write", "--partitions", "3"]);
    expect(broker.stdout()).toMatch(/listening on 127\.0\.0\.2:\d+ \(node 0, serving fetches by read-write\)/);
    expect(broker.stdout()).not.toMatch(/warning/);
    expect((await kcat(["-b", `127.0.0.2:${broker.port}`, "-P", "-t", "three"], "x\n")).code).toBe(0);
    expect((await kcat(["-b", `127.0.0.2:${broker.port}`, "-L", "-t", "three"])).stdout.toString()).toMatch(/topic "three" with 3 partitions/);
    // Not on 127.0.0.1: the default address was not used.
    expect((await kcat(["-b", `127.0.0.1:${broker.port}`, "-L", "-m", "2"])).code).not.toBe(0);
    await broker.stop();
  });

  const bad: Array<[string, string[], RegExp]> = [
    ["an unknown flag", ["--bogus"], /unknown option --bogus/],
    ["a port above 65535", ["--port", "70000"], /--port must be a whole number from 0 to 65535/],
    ["zero partitions", ["--partitions", "0"], /--partitions must be a whole number from 1 to 10000/],
    ["an unknown serving mode", ["--serving", "carrier-pigeon"], /--serving must be one of sendfile, read-write/],
    ["a stray argument", ["now"], /unexpected argument "now"/],
    ["an address that is not this machine's", ["--listen", "192.0.2.1", "--port", "0"], /192\.0\.2\.1 is not an address of this machine/],
  ];
  for (const [what, args, message] of bad) {
    it(`refuses ${what}: one line, exit 2`, async () => {
      const r = await refused([...args, "--dir", path.join(tempDir("cli"), "d")]);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(message);
      expect(r.stderr.trim().split("\n")).toHaveLength(1);
    });
  }

  it("refuses a port in use, a data folder that is a file, and a folder another broker uses", async () => {
    const server = net.createServer();
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const port = (server.address() as net.AddressInfo).port;
    const inUse = await refused(["--port", String(port), "--dir", path.join(tempDir("cli"), "d")]);
    server.close();
    expect(inUse.code).toBe(2);
    expect(inUse.stderr).toMatch(new RegExp(`port ${port} on 127\\.0\\.0\\.1 is already in use`));
    const file = path.join(tempDir("cli"), "a-file");
    fs.writeFileSync(file, "");
    const notDir = await refused(["--port", "0", "--dir", file]);
    expect([notDir.code, notDir.stderr.trim()]).toEqual([2, `workbook broker: --dir ${file} is a file; name a folder (it is created if missing)`]);
    const dataDir = path.join(tempDir("cli"), "shared");
    const first = await brokerCli(dataDir);
    const second = await refused(["--port", "0", "--dir", dataDir]);
    expect(second.code).toBe(2);
    expect(second.stderr).toMatch(new RegExp(`data folder .* is in use by process ${first.child.pid}`));
    await first.stop();
  });
});
