// The broker experiment end to end at CI size: every run verified, "copied into the page cache once"
// (cold catch-up reads the log from disk once whatever C is), model prices attached; and the CLI.
import { describe, it, expect } from "vitest";
import * as fs from "fs";
import * as os from "os";
import { runBrokerExperiment, BROKER_EXPERIMENT_QUICK } from "../src/broker/experiment";
import { analyzeBroker } from "../src/chapters/06-a-kafka-style-log/analysis";
import { BrokerExperimentResult } from "../src/broker/experiment-records";
import { main } from "../src/cli/main";
import { liveCount } from "../src/cleanup/registry";
import { MiB } from "../src/units/sizes";

/** Runs the CLI in-process, capturing stdout and stderr. */
async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = "";
  let err = "";
  const code = await main(argv, { out: (t) => (out += t + "\n"), err: (t) => (err += t + "\n"), isTTY: false });
  return { code, out, err };
}

/** Names of the temp dirs the experiment makes, to prove they are gone. */
function scratchDirs(): string[] {
  return fs.readdirSync(os.tmpdir()).filter((n) => n.startsWith("workbook-broker-bench-"));
}

describe("broker experiment", () => {
  it("runs every configuration, verifies delivery and shows one disk read of the log for any number of consumers", async () => {
    const before = scratchDirs();
    const logBytes = 3 * MiB;
    const result = await runBrokerExperiment({ ...BROKER_EXPERIMENT_QUICK, consumers: [1, 3], logBytes, tailBytes: MiB });
    const { runs, summary, conditions } = result;
    expect(conditions.sendfileAvailable).toBe(true);
    expect(runs.length).toBe(2 * (2 * 2 + 2)); // servings x (consumers x caches + tailing per consumer count)
    expect(summary.length).toBe(runs.length); // one repeat: one row per configuration
    for (const run of runs) {
      expect(run.verified).toBe(true);
      expect(run.bytesServed).toBeGreaterThanOrEqual(run.consumers * run.logBytes);
      expect(run.recordsDelivered % run.consumers).toBe(0);
      expect(run.brokerCpuSeconds).toBeGreaterThan(0);
      expect(run.sendfileCalls > 0).toBe(run.serving === "sendfile");
      expect(Object.keys(run).some((k) => k.startsWith("model"))).toBe(false); // measurement only: the model is the analysis's
      expect(JSON.parse(JSON.stringify(run))).toEqual(run); // plain JSON
    }
    const catchUp = runs.filter((r) => r.scenario === "catch-up");
    for (const run of catchUp) {
      expect(run.logBytes).toBeGreaterThanOrEqual(logBytes);
      if (run.cache === "cold") {
        expect(run.residentBefore).toBeLessThan(0.5); // see makeCold in experiment.ts: what stayed is reported
        // Copied into the page cache once: C consumers, still about one log's worth of disk reads.
        expect(run.diskReadsPerColdByte).toBeGreaterThan(0.9);
        expect(run.diskReadsPerColdByte).toBeLessThan(1.5);
      } else {
        expect(run.residentBefore).toBe(1);
        expect(run.diskReadsPerColdByte).toBeNull();
        expect(run.diskReadsPerLogByte).toBeLessThan(0.05);
      }
    }
    for (const run of runs.filter((r) => r.scenario === "tailing")) {
      expect(run.cache).toBe("just-written");
      expect(run.producedBytes).toBe(run.logBytes);
      expect(run.diskReadsPerLogByte).toBeLessThan(0.05); // tailing consumers are served from the page cache
    }
    const rows = analyzeBroker(result).rows;
    const sendfile = rows.find((s) => s.scenario === "catch-up" && s.serving === "sendfile")!;
    const readWrite = rows.find((s) => s.scenario === "catch-up" && s.serving === "read-write")!;
    expect(readWrite.modelPath).toBe("read-write");
    expect(sendfile.modelPath).toBe("sendfile");
    expect(readWrite.modelCpuBytesPerGiB).toBe(2 * sendfile.modelCpuBytesPerGiB);
    expect(scratchDirs()).toEqual(before);
    expect(liveCount()).toBe(0);
  });

  it("rejects bad options with a message naming them", async () => {
    await expect(runBrokerExperiment({ consumers: [] })).rejects.toThrow(/consumers/);
    await expect(runBrokerExperiment({ consumers: [0] })).rejects.toThrow(/consumers.*1 to 64/);
    await expect(runBrokerExperiment({ servings: ["zero-copy" as never] })).rejects.toThrow(/servings must be/);
    await expect(runBrokerExperiment({ logBytes: 10 })).rejects.toThrow(/--log-bytes/);
    await expect(runBrokerExperiment({ recordBytes: MiB, recordsPerBatch: 100, segmentBytes: MiB })).rejects.toThrow(/must fit in a segment/);
  });
});

describe("workbook broker-bench", () => {
  it("prints the experiment as JSON", async () => {
    const { code, out, err } = await cli("broker-bench", "--quick", "--json", "--consumers", "2", "--scenario", "catch-up", "--cache", "cold", "--serving", "sendfile");
    expect(code).toBe(0);
    const result = JSON.parse(out) as BrokerExperimentResult;
    expect(result.runs.map((r) => [r.scenario, r.serving, r.cache, r.consumers])).toEqual([["catch-up", "sendfile", "cold", 2]]);
    expect(err).toMatch(/catch-up sendfile cold C=2/);
  });

  it("answers bad input with one line and exit code 2", async () => {
    for (const argv of [["--consumers", "0"], ["--serving", "mmap"], ["--log-bytes", "lots"], ["--acks", "maybe"], ["stray"]]) {
      const { code, err } = await cli("broker-bench", ...argv);
      expect(code, argv.join(" ")).toBe(2);
      expect(err.trim().split("\n")).toHaveLength(1);
      expect(err).toMatch(/^workbook broker-bench: /);
    }
  });
});
