// The broker's fan-out through shaped links, against the real ip, tc and broker: the broker and its consumers run
// inside each link's namespace, every record of every run is verified, both serving modes run through every link,
// the 1 Gbit/s link is never beaten, and every namespace, process and file is gone afterwards, also when the run
// fails halfway.
import { describe, it, expect, afterAll, afterEach } from "vitest";
import { spawn } from "child_process";
import * as crypto from "crypto";
import * as fs from "fs";
import * as path from "path";
import { runBrokerFanoutOverLinks } from "../src/experiments/broker-link-fanout";
import { liveCount } from "../src/cleanup/registry";
import { childrenOf, scratchParent, processesWithMarker, scriptOf } from "./transfer-helpers";
import { namespacesOf, netnsOfProcess, netnsOfName } from "./link-helpers";
import { MiB } from "../src/units/sizes";

const parent = scratchParent("broker-link");
const repo = path.resolve(__dirname, "..");
const bin = path.join(repo, "src", "cli", "workbook.cjs");

afterEach(() => {
  // Whatever a test did, this process owns no namespace, no child, no file and nothing registered for cleanup.
  expect(namespacesOf(process.pid)).toEqual([]);
  expect(childrenOf(process.pid)).toEqual([]);
  expect(fs.readdirSync(parent)).toEqual([]);
  expect(liveCount()).toBe(0);
});

afterAll(() => fs.rmSync(parent, { recursive: true, force: true }));


describe("the fan-out through shaped links", () => {
  it("runs broker and consumers inside each link, verifies every record, and a 1 Gbit/s link paces both serving modes", async () => {
    const seen: Array<{ nets: string[]; inside: Array<[string, string]> }> = [];
    const result = await runBrokerFanoutOverLinks({
      rates: [1e9], consumers: 2, logBytes: 8 * MiB, repeats: 1, backgroundWindowMs: 20, segmentBytes: 4 * MiB, scratchParent: parent,
      onProgress: () => {
        // Look at our children while the experiment runs: which script each runs, and in which namespace.
        seen.push({ nets: namespacesOf(process.pid).map(netnsOfName), inside: childrenOf(process.pid).map((pid) => [scriptOf(pid), netnsOfProcess(pid)]) });
      },
    });
    const during = seen[seen.length - 1];
    const nets = during.nets;
    expect(nets).toHaveLength(2);
    // per link: a broker per serving mode and two consumers, all inside that link's namespace
    for (const net of nets) {
      expect(during.inside.filter(([, n]) => n === net).map(([s]) => s).sort()).toEqual(["fanout-consumer-child.ts", "fanout-consumer-child.ts", "kafka-broker-child.ts", "kafka-broker-child.ts"]);
    }
    expect(during.inside.every(([, n]) => nets.includes(n))).toBe(true);

    const log = result.conditions.logBytes;
    expect(result.runs.map((r) => [r.rate, r.serving]).sort()).toEqual([[1e9, "read-write"], [1e9, "sendfile"], [null, "read-write"], [null, "sendfile"]].sort());
    for (const r of result.runs) {
      expect(r.verified).toBe(true);
      // every consumer got the whole log, and the broker sent each of them its record bytes
      expect(r.bytesPerConsumer).toBe(log);
      expect(r.broker!.recordBytesSent).toBe(2 * log);
      if (r.serving === "sendfile") expect([r.broker!.sendfileCalls > 0, r.broker!.fileReads]).toEqual([true, 0]);
      else expect([r.broker!.sendfileCalls, r.broker!.fileReads > 0]).toEqual([0, true]);
      expect(r.machineBusyMs).toBeGreaterThan(0);
      if (r.rate !== null) {
        const bits = (2 * log * 8) / r.seconds;
        // a set-up check with generous bounds: the link's rate, give or take the bucket's burst and the set-up
        expect(bits).toBeLessThan(1.05e9);
        expect(bits).toBeGreaterThan(0.7e9);
      }
    }
    expect(result.conditions.links.map((l) => l.rateBitsPerSecond)).toEqual([1e9, null]);
    expect(result.conditions.links[0].qdisc).toMatch(/^tbf rate 1Gbit/);
    expect(result.conditions.links[0].qdiscStats!.sentBytes).toBeGreaterThan(2 * 2 * log);
  });

  it("a run that fails halfway still removes every namespace, broker, consumer and file", async () => {
    let lines = 0;
    const running = runBrokerFanoutOverLinks({
      rates: [1e9], consumers: 2, logBytes: 4 * MiB, repeats: 2, backgroundWindowMs: 0, segmentBytes: 4 * MiB, scratchParent: parent,
      onProgress: () => {
        // The first line says the log is built; the second comes after the first measured run, namespaces alive.
        if (++lines === 2) {
          expect(namespacesOf(process.pid)).toHaveLength(2);
          throw new Error("deliberate failure after the first run");
        }
      },
    });
    await expect(running).rejects.toThrow("deliberate failure after the first run");
  });

  it("Ctrl-C while chapter 6 serves through its links (workbook run --only broker) removes every namespace, process and file", async () => {
    const tmp = fs.mkdtempSync(path.join(parent, "sigint-"));
    const marker = `WORKBOOK_TEST_${crypto.randomBytes(6).toString("hex")}`;
    const cli = spawn(process.execPath, [bin, "run", "--quick", "--only", "broker", "--out", path.join(tmp, "results")], { cwd: repo, env: { ...process.env, TMPDIR: tmp, [marker]: "1" }, stdio: ["ignore", "ignore", "pipe"] });
    let stderr = "";
    cli.stderr!.on("data", (d) => (stderr += d));
    const exited = new Promise<string | null>((resolve) => cli.on("exit", (_code, signal) => resolve(signal)));
    let linked = false;
    for (const deadline = Date.now() + 120_000; Date.now() < deadline && !linked && cli.exitCode === null; await new Promise((r) => setTimeout(r, 100))) {
      linked = namespacesOf(cli.pid!).length === 2 && processesWithMarker(marker).length > 4;
    }
    expect(linked, `chapter 6 never had its links up: ${stderr}`).toBe(true);
    cli.kill("SIGINT");
    expect(await exited).toBe("SIGINT");
    await new Promise((r) => setTimeout(r, 500)); // children notice the closed IPC channel and exit
    expect(namespacesOf(cli.pid!)).toEqual([]);
    expect(processesWithMarker(marker)).toEqual([]);
    expect(fs.readdirSync(tmp).filter((n) => n.startsWith("workbook-"))).toEqual([]);
    fs.rmSync(tmp, { recursive: true, force: true });
  });
});
