// The fan-out experiment on the Kafka broker, at CI sizes: every run is verified (every consumer got every
// acknowledged record exactly once, CRC-checked; the run throws otherwise), cold catch-up reads the log
// from disk once whatever the number of consumers, sendfile serving makes sendfile calls and no file
// reads (read+write the opposite), the raw baseline runs beside it, and `--bootstrap` runs the same
// against another broker reporting only what a client can see. Nothing is left behind.
import { describe, it, expect, afterAll } from "vitest";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { runBrokerFanout, FANOUT_QUICK } from "../src/experiments/broker-fanout";
import type { FanoutResult } from "../src/experiments/broker-fanout-records";
import { liveCount } from "../src/cleanup/registry";
import { brokerCli, runWorkbook, tempDir, cleanupKafka } from "./support/kafka";

afterAll(cleanupKafka);

const scratch = () => fs.readdirSync(os.tmpdir()).filter((n) => n.startsWith("workbook-broker-fanout-"));

describe("the fan-out experiment", () => {
  it("catch-up cold and warm, tailing, both serving modes and the raw baseline: verified, one disk pass, the right syscalls", async () => {
    const before = scratch();
    const result = await runBrokerFanout({ ...FANOUT_QUICK, consumers: [1, 3], includeRaw: true });
    const cold = result.runs.filter((r) => r.scenario === "catch-up" && r.cache === "cold" && r.broker);
    expect(cold.length).toBe(4);
    for (const r of cold) {
      // "Copied into pagecache exactly once": C consumers, one read of the log from disk.
      expect(r.residentBefore).toBeLessThan(0.05);
      expect(r.broker!.diskReadsPerLogByte).toBeGreaterThan(0.9);
      expect(r.broker!.diskReadsPerLogByte).toBeLessThan(1.1);
    }
    for (const r of result.runs.filter((r) => r.cache === "warm" && r.broker)) expect(r.broker!.diskReadsPerLogByte).toBeLessThan(0.05);
    for (const r of result.runs.filter((r) => r.broker && r.scenario === "catch-up")) {
      expect(r.broker!.recordBytesSent).toBe(r.bytesPerConsumer * r.consumers);
      if (r.serving === "sendfile") expect([r.broker!.sendfileCalls > 0, r.broker!.fileReads]).toEqual([true, 0]);
      else expect([r.broker!.sendfileCalls, r.broker!.fileReads > 0]).toEqual([0, true]);
    }
    const raw = result.runs.filter((r) => r.serving === "raw-sendfile");
    expect(raw.map((r) => r.cache).sort()).toEqual(["cold", "warm"]);
    expect(raw.every((r) => r.rawSender!.cpuSeconds > 0 && r.bytesPerConsumer === cold[0].bytesPerConsumer)).toBe(true);
    const tailing = result.runs.filter((r) => r.scenario === "tailing");
    expect(tailing.map((r) => [r.serving, r.consumers])).toEqual([["sendfile", 1], ["sendfile", 3], ["read-write", 1], ["read-write", 3]]);
    expect(tailing.every((r) => r.produce!.bytes > 0 && r.recordsPerConsumer > 0)).toBe(true);
    expect(result.summary.length).toBe(new Set(result.runs.map((r) => `${r.scenario}${r.serving}${r.cache}${r.consumers}`)).size);
    expect(scratch()).toEqual(before);
    expect(liveCount()).toBe(0);
  });

  it("--bootstrap: the same runs against another Kafka-compatible broker, client-side figures only", async () => {
    const other = await brokerCli(path.join(tempDir("fanout"), "data"));
    const run = runWorkbook(["broker-bench", "--bootstrap", other.bootstrap, "--quick", "--consumers", "2", "--json"]);
    expect(await run.exited).toBe(0);
    const result = JSON.parse(run.stdout()) as FanoutResult;
    expect(result.conditions.target).toBe("external");
    expect(result.runs.map((r) => [r.scenario, r.serving, r.consumers])).toEqual([["catch-up", "external", 2], ["tailing", "external", 2]]);
    expect(result.runs.every((r) => r.broker === null && r.servedMiBps > 0 && r.verified)).toBe(true);
    expect(result.conditions.notes.join(" ")).toMatch(/cannot be measured from a client/);
    await other.stop();
  });

  it("refuses bad --bootstrap use with one line and exit 2", async () => {
    for (const args of [["--bootstrap", "nowhere"], ["--bootstrap", "127.0.0.1:9092", "--serving", "sendfile"], ["--batch", "10", "--batch-bytes", "1MiB"]]) {
      const run = runWorkbook(["broker-bench", ...args]);
      expect(await run.exited).toBe(2);
      expect(run.stderr().trim().split("\n")).toHaveLength(1);
    }
  });
});
