// Calibration: a quick run on this machine gives finite, positive parameters from medians of repetitions, saved and
// loaded as plain JSON, and translated into the cost model's parameters. No timing is asserted: only that every
// figure is a usable number, that the bookkeeping is right, and that bad records get one clear error.
import { describe, it, expect, beforeAll, afterAll } from "vitest";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { spawnSync } from "child_process";
import * as crypto from "crypto";
import { runCalibration, saveCalibration, loadCalibration, CalibrationResult, QUICK, FULL } from "../src/calibration/calibrate";
import { parametersFrom, requireUsable, PARAMETER_SOURCES } from "../src/calibration/parameters";
import { toCostParameters } from "../src/calibration/cost-parameters";
import { crc32Combine } from "../src/calibration/loopback-tcp";
import { shuffledPages } from "../src/calibration/disk-throughput";
import { describeCalibration } from "../src/calibration/describe";
import { machineBusySeconds, ownCpuSeconds, loadBetween, startBackgroundMeter } from "../src/calibration/background-load";
import { costParameters } from "../src/model/cost-model";
import { predictTransferCost } from "../src/model/calibrated-transfer";
import { crc32 } from "../src/experiments/checksum";
import { liveCount } from "../src/cleanup/registry";
import { MiB } from "../src/units/sizes";
import { TRANSFER_PATHS } from "../src/vocabulary/transfer";
import { CalibratedParameters } from "../src/model/calibrated-parameters";

const BIN = path.resolve(__dirname, "..", "src", "cli", "workbook.cjs");

let result: CalibrationResult;
let tmp: string;

beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), "calibration-test-"));
  result = await runCalibration({ quick: true, dir: tmp });
});
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe("a quick calibration on this machine", () => {
  it("gives every parameter as a finite number > 0 (the fresh-heap curve as points)", () => {
    for (const key of Object.keys(PARAMETER_SOURCES) as (keyof CalibratedParameters)[]) {
      if (key === "freshHeap") continue;
      if (key === "freshStream") {
        expect(result.parameters.freshStream.map((p) => p.bytes)).toEqual(QUICK.freshHeapSizes);
        for (const point of result.parameters.freshStream) expect(point.seconds > 0 && point.cpuSeconds > 0, key).toBe(true);
        continue;
      }
      if (key === "twoCores" || key === "oneCore") {
        for (const [field, value] of Object.entries(result.parameters[key])) {
          // per-write costs are a difference of two medians: noise can cancel them, and they are clamped at 0
          if (field === "socketWriteSeconds" || field === "receiverPerWriteSeconds") expect(value, `${key}.${field}`).toBeGreaterThanOrEqual(0);
          else expect(value, `${key}.${field}`).toBeGreaterThan(0);
        }
        continue;
      }
      if (key === "runOverheadSeconds") {
        expect(Object.keys(result.parameters.runOverheadSeconds).sort()).toEqual([...TRANSFER_PATHS].sort());
        for (const value of Object.values(result.parameters.runOverheadSeconds)) expect(Number.isFinite(value) && value >= 0, key).toBe(true);
        continue;
      }
      const value = result.parameters[key] as number;
      if (key === "freshBufferFaults") expect(value).toBeGreaterThanOrEqual(0);
      else expect(value, key).toBeGreaterThan(0);
      expect(Number.isFinite(value), key).toBe(true);
    }
    expect(result.parameters.cores).toBe(os.availableParallelism());
    expect(result.parameters.freshHeap.map((p) => p.bytes)).toEqual(QUICK.freshHeapSizes);
    for (const point of result.parameters.freshHeap) {
      expect(point.faults).toBeGreaterThanOrEqual(0);
      expect(point.cpuSeconds).toBeGreaterThan(0);
    }
  });

  it("records each measurement as the median of its runs, inside [min, max]", () => {
    expect(result.measurements.length).toBeGreaterThanOrEqual(20);
    for (const m of result.measurements) {
      expect(m.runs, m.name).toBeGreaterThanOrEqual(1);
      expect(m.min, m.name).toBeLessThanOrEqual(m.median);
      expect(m.median, m.name).toBeLessThanOrEqual(m.max);
      expect(m.unit.length, m.name).toBeGreaterThan(0);
      expect(m.method.length, m.name).toBeGreaterThan(10);
    }
    const names = result.measurements.map((m) => m.name);
    expect(new Set(names).size).toBe(names.length);
    for (const repeated of ["user-copy", "kernel-copy", "syscall-kernel", "page-fault", "checksum"]) {
      expect(result.measurements.find((m) => m.name === repeated)!.runs).toBe(QUICK.runs);
    }
  });

  it("derives the parameters from the medians exactly as PARAMETER_SOURCES says", () => {
    const median = (name: string) => result.measurements.find((m) => m.name === name)!.median;
    const p = result.parameters;
    expect(p.kernelCopyBytesPerSecond).toBe(median("kernel-copy"));
    // per write: the same bytes in 64 KiB and 1 MiB writes, x(w) = x(inf) + perWrite / w, paired round by round
    const runs = (label: string) => result.loopbackRuns.filter((r) => r.placement === "two-cores" && r.sender === label);
    const [small, large] = [runs("memory-64KiB"), runs("memory-1MiB")];
    const perByte = (r: (typeof small)[number]) => (r.senderUserSeconds + r.senderSystemSeconds) / r.bytes;
    const paired = small.map((r, i) => (perByte(r) - perByte(large[i])) / (1 / 65536 - 1 / MiB));
    const socketWrite = result.measurements.find((m) => m.name === "loopback-two-cores-socket-write")!;
    expect(socketWrite.runs).toBe(QUICK.loopbackRuns);
    expect(socketWrite.median).toBeCloseTo([...paired].sort((a, b) => a - b)[(paired.length - 1) / 2], 18);
    expect(p.twoCores.socketWriteSeconds).toBeCloseTo(Math.max(0, socketWrite.median), 18);
    // the run overhead: the small run's median wall minus the model's prediction for it, never negative
    for (const path of TRANSFER_PATHS) {
      const predicted = predictTransferCost({ ...p, runOverheadSeconds: { ...p.runOverheadSeconds, [path]: 0 } }, path, median("run-overhead-bytes")).wallSeconds;
      expect(p.runOverheadSeconds[path], path).toBeCloseTo(Math.max(0, median(`run-${path}-wall`) - predicted), 12);
    }
    expect(p.twoCores.tcpStackSecondsPerByte).toBe(median("loopback-two-cores-sendfile-sender-cpu"));
    expect(p.oneCore.receiverSecondsPerByteZeroCopy).toBe(median("loopback-one-core-sendfile-receiver-cpu"));
    expect(p.oneCore.receiverSecondsPerByte).toBe(median("loopback-one-core-memory-1MiB-receiver-cpu"));
    expect(parametersFrom(result.measurements)).toEqual(p);
  });

  it("verifies every loopback transfer and records both sides", () => {
    const kinds = new Set(result.loopbackRuns.map((r) => `${r.placement} ${r.sender}`));
    expect([...kinds].sort()).toEqual([
      "one-core memory-1MiB", "one-core memory-64KiB", "one-core sendfile", "one-core sendfile-once",
      "two-cores memory-1MiB", "two-cores memory-64KiB", "two-cores sendfile", "two-cores sendfile-once",
    ]);
    expect(result.loopbackRuns).toHaveLength(8 * QUICK.loopbackRuns);
    for (const run of result.loopbackRuns) {
      expect(run.bytes).toBeGreaterThanOrEqual(run.sender === "sendfile-once" ? QUICK.fileBytes : QUICK.loopbackBytes / 2);
      expect(run.receiverCpuSeconds).toBeGreaterThan(0);
      expect(run.wallSeconds).toBeGreaterThan(0);
    }
  });

  it("states its conditions and leaves no file, directory or child behind", () => {
    const c = result.conditions;
    expect(c.plan).toEqual(QUICK);
    expect(c.cpuCount).toBe(os.cpus().length);
    expect(c.loadAverage).toHaveLength(3);
    expect(c.loadAverageEnd).toHaveLength(3);
    expect(c.background.wallSeconds).toBeGreaterThan(0);
    expect(c.background.ownSeconds).toBeGreaterThan(0);
    expect(c.background.backgroundThreads).toBeGreaterThanOrEqual(0);
    expect(fs.readdirSync(tmp)).toEqual([]);
    expect(liveCount()).toBe(0);
  });

  it("is plain JSON: saved and loaded unchanged", () => {
    const file = path.join(tmp, "out", "calibration.json");
    saveCalibration(result, file);
    expect(loadCalibration(file)).toEqual(JSON.parse(JSON.stringify(result)));
    fs.rmSync(path.join(tmp, "out"), { recursive: true });
  });

  it("fills the cost model's parameters, which the model accepts", () => {
    const costs = toCostParameters(result.parameters, result.measurements);
    expect(costParameters(costs)).toEqual(costs);
    expect(costs.cpuCopyBytesPerSecond).toBe(result.parameters.kernelCopyBytesPerSecond);
    expect(costs.nicBytesPerSecond).toBe(result.parameters.loopbackBytesPerSecond);
    // a read(2) = the body + two mode switches, as calibrated
    expect(costs.syscallSeconds + 2 * costs.modeSwitchSeconds).toBeCloseTo(result.parameters.syscallSeconds, 15);
    expect(costs.disk.kind).toBe("flash");
  });

  it("prints one line per parameter and measurement", () => {
    const lines = describeCalibration(result);
    expect(lines[0]).toMatch(/calibration \(quick\)/);
    for (const key of Object.keys(PARAMETER_SOURCES)) expect(lines.some((l) => l.includes(key))).toBe(true);
    for (const m of result.measurements) expect(lines.some((l) => l.includes(m.name))).toBe(true);
  });
});

describe("calibration plans", () => {
  it("quick is smaller than full in every size and repetition", () => {
    for (const key of ["copyBytes", "fileBytes", "syscalls", "asyncCalls", "randomReads", "loopbackBytes", "runs", "loopbackRuns"] as const) {
      expect(QUICK[key], key).toBeLessThan(FULL[key]);
    }
  });
});

describe("bad calibration records", () => {
  it("parametersFrom names a missing measurement", () => {
    expect(() => parametersFrom(result.measurements.filter((m) => m.name !== "kernel-copy"))).toThrow(/no "kernel-copy" measurement/);
  });

  it("requireUsable names every non-finite or non-positive parameter", () => {
    const bad = { ...result.parameters, kernelCopyBytesPerSecond: NaN, syscallSeconds: -1, freshHeap: [] };
    expect(() => requireUsable(bad)).toThrow(/kernelCopyBytesPerSecond=NaN.*syscallSeconds=-1.*freshHeap/);
  });

  it("loadCalibration says what to run when the file is missing, not JSON, or not a calibration", () => {
    expect(() => loadCalibration(path.join(tmp, "none.json"))).toThrow(/run `npx workbook calibrate` first/);
    fs.writeFileSync(path.join(tmp, "bad.json"), "{");
    expect(() => loadCalibration(path.join(tmp, "bad.json"))).toThrow(/not valid JSON/);
    fs.writeFileSync(path.join(tmp, "other.json"), JSON.stringify({ kind: "transfer" }));
    expect(() => loadCalibration(path.join(tmp, "other.json"))).toThrow(/not a calibration record/);
    // a record from an older model: fields missing altogether, named, with what to run
    const older = JSON.parse(JSON.stringify(result));
    delete older.parameters.runOverheadSeconds;
    delete older.parameters.twoCores.socketWriteSeconds;
    fs.writeFileSync(path.join(tmp, "older.json"), JSON.stringify(older));
    expect(() => loadCalibration(path.join(tmp, "older.json"))).toThrow(/older version of the workbook \(it has no runOverheadSeconds, twoCores\.socketWriteSeconds\); rerun `npx workbook calibrate`/);
    for (const f of ["bad.json", "other.json", "older.json"]) fs.rmSync(path.join(tmp, f));
  });
});

describe("helpers of the micro-measurements", () => {
  it("crc32Combine gives the CRC-32 of the concatenation", () => {
    for (const [a, b] of [[0, 1], [1, 0], [13, 7], [4096, 65536], [100_000, 3]]) {
      const x = crypto.randomBytes(a);
      const y = crypto.randomBytes(b);
      expect(crc32Combine(crc32(x), crc32(y), b)).toBe(crc32(Buffer.concat([x, y])));
    }
  });

  it("shuffledPages is deterministic, distinct and in range", () => {
    const a = shuffledPages(1000, 200);
    expect(shuffledPages(1000, 200)).toEqual(a);
    expect(new Set(a).size).toBe(200);
    expect(Math.min(...a)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...a)).toBeLessThan(1000);
    expect(a).not.toEqual([...a].sort((x, y) => x - y)); // shuffled, or readahead would help
    expect(shuffledPages(10, 50)).toHaveLength(10);
  });
});

describe("background load", () => {
  it("reads busy time from /proc/stat and own CPU (with reaped children) from /proc/self/stat", () => {
    const stat = "cpu  100 20 30 400 50 6 4 8 0 0\ncpu0 50 10 15 200 25 3 2 4 0 0\n";
    expect(machineBusySeconds(stat)).toBeCloseTo((100 + 20 + 30 + 6 + 4) / 100, 12); // idle, iowait, steal excluded
    const self = "1234 (node (odd) name) S 1 2 3 0 -1 4194304 10 0 0 0 150 50 300 100 20 0 1 0";
    expect(ownCpuSeconds(self)).toBeCloseTo((150 + 50 + 300 + 100) / 100, 12);
    expect(machineBusySeconds()).toBeGreaterThan(0);
  });

  it("background = (machine busy - own) / wall, never negative", () => {
    const a = { wallSeconds: 0, busySeconds: 10, ownSeconds: 1 };
    expect(loadBetween(a, { wallSeconds: 2, busySeconds: 13, ownSeconds: 2 }, 2).backgroundThreads).toBeCloseTo(1, 12);
    expect(loadBetween(a, { wallSeconds: 2, busySeconds: 11, ownSeconds: 3 }, 2).backgroundThreads).toBe(0);
  });

  it("counts our own busy work as ours", async () => {
    const meter = startBackgroundMeter();
    const until = Date.now() + 300;
    while (Date.now() < until) {
      // spin: our CPU, not the background's
    }
    const load = await meter.stop();
    expect(load.ownSeconds).toBeGreaterThan(0);
    expect(load.busySeconds).toBeGreaterThan(0);
    expect(load.cores).toBe(os.availableParallelism());
  });
});

describe("workbook calibrate", () => {
  it("rejects prediction options without --predict, in one line with exit code 2", () => {
    const r = spawnSync(process.execPath, [BIN, "calibrate", "--runs", "3"], { encoding: "utf8" });
    expect(r.status).toBe(2);
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
    expect(r.stderr).toMatch(/go with --predict/);
  });

  it("rejects a malformed size list in one line with exit code 2", () => {
    const r = spawnSync(process.execPath, [BIN, "calibrate", "--predict", "--sizes", "64MiB,lots"], { encoding: "utf8" });
    expect(r.status).toBe(2);
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
    expect(r.stderr).toMatch(/not a size/);
  });

  it("--quick --json writes the calibration and prints the same record", () => {
    const out = path.join(tmp, "cli.json");
    const r = spawnSync(process.execPath, [BIN, "calibrate", "--quick", "--json", "--out", out, "--dir", tmp], { encoding: "utf8" });
    expect(r.status, r.stderr).toBe(0);
    const printed = JSON.parse(r.stdout) as CalibrationResult;
    expect(printed.kind).toBe("calibration");
    expect(loadCalibration(out)).toEqual(printed);
    fs.rmSync(out);
  });
});
