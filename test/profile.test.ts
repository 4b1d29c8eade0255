// The machine profile without measuring anything: deriving the parameters from benchmark figures (worked out by
// hand), saving, loading and rejecting profiles, the /proc readings, the cores left free under load, and the rows
// and fit table that set the model beside the experiment.
import { describe, it, expect, beforeAll, afterAll } from "vitest";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { deriveParameters, BenchmarkResult, BenchmarkName, MachineProfile, PROFILE_MODEL_VERSION, BENCHMARK_NAMES, PARAMETER_BENCHMARKS } from "../src/calibration/profile-record";
import { saveProfile, loadProfile, tryLoadProfile, ProfileError, profileFile, DEFAULT_PROFILE_FILE } from "../src/calibration/profile-file";
import { loopbackBenchmarks } from "../src/calibration/profile";
import { parseTcpWmem, pipeBytesFor } from "../src/calibration/system-buffers";
import { freeCoresFor } from "../src/calibration/transfer-batch";
import { transferRows, TransferRow } from "../src/calibration/transfer-rows";
import { fitRows, fitSummary, describeFit } from "../src/calibration/fit-table";
import { describeProfile, formatParameter } from "../src/calibration/describe-profile";
import type { LoopbackCostRun } from "../src/calibration/loopback-tcp-cost";
import { TEXTBOOK_MACHINE, PARAMETER_NAMES, predictTransfer } from "../src/model/cost";
import type { TransferResult, TransferRun } from "../src/experiments/transfer-records";
import { MiB } from "../src/units/sizes";
import { exact, handMadeBenchmarks, profileAround } from "./support/profile-fixture";


/** A whole profile around some parameters. */
function profileOf(parameters = TEXTBOOK_MACHINE.parameters): MachineProfile {
  return profileAround(parameters);
}

describe("deriving the parameters from the benchmarks", () => {
  it("recovers a machine chosen by hand", () => {
    const { parameters: p, zeroed } = deriveParameters(handMadeBenchmarks(), 65536);
    expect(zeroed).toEqual([]);
    expect(p.copyBytesPerSecond).toBe(1e10);
    expect(p.syscallSeconds).toBe(100e-9);
    // the read loop's 4 KiB and 64 KiB chunks separate its per-call part from its per-byte part
    expect(p.jsCallSeconds).toBeCloseTo(1e-6, 15);
    expect(p.jsBufferSecondsPerByte).toBeCloseTo(0.15e-9, 20);
    expect(p.freshHeapBytes).toBe(24 * MiB);
    expect(p.streamChunkSeconds).toBeCloseTo(30e-6, 15);
    expect(p.tcpSendCallSeconds).toBeCloseTo(2.9e-6, 15);
    expect(p.tcpSendSecondsPerByte).toBeCloseTo(0.2e-9, 20);
    expect(p.tcpReceiveSecondsPerByte).toBeCloseTo(0.05e-9, 20);
    // both sides of the borrowing run summed, the receiver's own copy, CRC-32 and bookkeeping taken out
    expect(p.tcpSendBorrowedSecondsPerByte).toBeCloseTo(0.3e-9, 20);
    expect(p.checksumBytesPerSecond).toBe(5e9);
    expect(p.socketSendBufferBytes).toBe(4 * MiB);
    expect(p.pipeBytes).toBe(MiB);
    expect(p.diskSequentialBytesPerSecond).toBe(2e9);
    expect(p.diskRandomReadSeconds).toBe(50e-6);
    expect(Object.keys(p).sort()).toEqual([...PARAMETER_NAMES].sort());
  });

  it("a cost read off a difference that comes out below zero is set to 0 and named, not hidden", () => {
    const b = handMadeBenchmarks();
    b["loopback-send-call"] = exact(50e-9); // less than the system call inside it: the difference is noise
    const { parameters, zeroed } = deriveParameters(b, 65536);
    expect(parameters.tcpSendCallSeconds).toBe(0);
    expect(zeroed).toEqual(["tcpSendCallSeconds"]);
  });

  it("names a missing benchmark and what to run", () => {
    const b: Partial<Record<BenchmarkName, BenchmarkResult>> = handMadeBenchmarks();
    delete b["stream-chunk-cpu"];
    expect(() => deriveParameters(b, 65536)).toThrow(/no "stream-chunk-cpu" benchmark; rerun `npx workbook calibrate`/);
    expect(BENCHMARK_NAMES).toContain("stream-chunk-cpu");
  });

  it("reads every benchmark into some parameter, and every parameter from named benchmarks", () => {
    const used = new Set(Object.values(PARAMETER_BENCHMARKS).flat());
    expect(BENCHMARK_NAMES.filter((name) => !used.has(name))).toEqual([]);
    expect(Object.keys(PARAMETER_BENCHMARKS).sort()).toEqual([...PARAMETER_NAMES].sort());
  });

  it("sums both sides of the borrowing run: where its delivery ran does not change the parameter", () => {
    const b = handMadeBenchmarks();
    const moved = 0.15e-9; // this much of the delivery ran on the receiver's core instead of the sender's
    b["loopback-borrow-1MiB-paced-sender"] = exact(b["loopback-borrow-1MiB-paced-sender"].median - moved);
    b["loopback-borrow-1MiB-paced-receiver"] = exact(b["loopback-borrow-1MiB-paced-receiver"].median + moved);
    expect(deriveParameters(b, 65536).parameters.tcpSendBorrowedSecondsPerByte).toBeCloseTo(0.3e-9, 20);
  });

  it("reads the cost of a send call off 32 KiB against 1 MiB writes, round by round", () => {
    // per byte x(w) = a + c / w with a = 0.3 ns/B and c = 5 µs per call, in three rounds
    const run = (variant: LoopbackCostRun["variant"], writeBytes: number, round: number): LoopbackCostRun => ({
      variant, round, bytes: 256 * MiB, writeBytes, calls: (256 * MiB) / writeBytes, wallSeconds: 1,
      senderCpuSeconds: 256 * MiB * (0.3e-9 + 5e-6 / writeBytes) * (1 + round / 10), receiverCpuSeconds: 0.1,
    });
    const runs = [0, 1, 2].flatMap((round) => [
      run("copy-1MiB-paced", MiB, round), run("copy-1MiB", MiB, round), run("copy-32KiB", 32768, round), run("borrow-1MiB-paced", MiB, round),
    ]);
    const b = loopbackBenchmarks(runs);
    // the rounds scale both runs alike (1.0, 1.1, 1.2): the paired differences are 5, 5.5 and 6 µs
    expect(b["loopback-send-call"].median).toBeCloseTo(5.5e-6, 12);
    expect(b["loopback-send-call"].min).toBeCloseTo(5e-6, 12);
    expect(b["loopback-copy-1MiB-paced-sender"].n).toBe(3);
  });
});

describe("the profile file", () => {
  let dir: string;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "workbook-profile-test-"));
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("is .workbook/profile.json under the repository unless WORKBOOK_PROFILE names another", () => {
    const saved = process.env.WORKBOOK_PROFILE;
    try {
      delete process.env.WORKBOOK_PROFILE;
      expect(profileFile()).toBe(DEFAULT_PROFILE_FILE);
      expect(DEFAULT_PROFILE_FILE.endsWith(path.join(".workbook", "profile.json"))).toBe(true);
      process.env.WORKBOOK_PROFILE = path.join(dir, "elsewhere.json");
      expect(profileFile()).toBe(path.join(dir, "elsewhere.json"));
    } finally {
      if (saved === undefined) delete process.env.WORKBOOK_PROFILE;
      else process.env.WORKBOOK_PROFILE = saved;
    }
  });

  it("saves and loads the same record, creating the folder", () => {
    const file = path.join(dir, "nested", "profile.json");
    const profile = profileOf();
    saveProfile(profile, file);
    expect(loadProfile(file)).toEqual(profile);
    expect(tryLoadProfile(file)).toEqual(profile);
  });

  it("says what to run when there is none", () => {
    expect(() => loadProfile(path.join(dir, "none.json"))).toThrow(ProfileError);
    expect(() => loadProfile(path.join(dir, "none.json"))).toThrow(/no machine profile at .*none\.json; run `npx workbook calibrate` first/);
    expect(tryLoadProfile(path.join(dir, "none.json"))).toBeUndefined();
  });

  it("names what a profile of an older model lacks, in one line, and what to run", () => {
    const file = path.join(dir, "older.json");
    const older = profileOf() as unknown as { parameters: Record<string, number> };
    delete older.parameters.jsCallSeconds;
    delete older.parameters.tcpSendBorrowedSecondsPerByte;
    fs.writeFileSync(file, JSON.stringify(older));
    let message = "";
    try {
      loadProfile(file);
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toMatch(/was measured for an older cost model \(it has no jsCallSeconds, tcpSendBorrowedSecondsPerByte\); run `npx workbook calibrate`/);
    expect(message.split("\n")).toHaveLength(1);
  });

  it("rejects a profile of another model version, a malformed file, a non-profile and unusable values", () => {
    const write = (name: string, text: string) => {
      fs.writeFileSync(path.join(dir, name), text);
      return path.join(dir, name);
    };
    expect(() => loadProfile(write("v0.json", JSON.stringify({ ...profileOf(), modelVersion: 0 })))).toThrow(/older cost model \(it is for model version 0, this is 2\)/);
    expect(() => loadProfile(write("bad.json", "{ not json"))).toThrow(/is not valid JSON/);
    expect(() => loadProfile(write("other.json", JSON.stringify({ kind: "calibration" })))).toThrow(/is not a machine profile/);
    const negative = profileOf({ ...TEXTBOOK_MACHINE.parameters, copyBytesPerSecond: -1 });
    expect(() => loadProfile(write("negative.json", JSON.stringify(negative)))).toThrow(/unusable parameters \(copyBytesPerSecond must be a finite number > 0, got -1\)/);
  });

  it("describes itself one parameter per line, with units a reader knows", () => {
    const lines = describeProfile(profileOf());
    expect(lines).toHaveLength(1 + PARAMETER_NAMES.length);
    expect(lines[0]).toMatch(/machine profile "test machine", measured 2026-12-01/);
    expect(formatParameter("copyBytesPerSecond", 1e10)).toBe("10.00 GB/s");
    expect(formatParameter("syscallSeconds", 100e-9)).toBe("100 ns");
    expect(formatParameter("socketSendBufferBytes", 4 * MiB)).toBe("4.00 MiB");
    expect(formatParameter("tcpSendSecondsPerByte", 0.2e-9)).toBe("0.200 ns/B (0.215 s/GiB)");
  });
});

describe("sizes read from the system", () => {
  it("takes the maximum of tcp_wmem and refuses anything else", () => {
    expect(parseTcpWmem("4096\t16384\t4194304\n")).toBe(4194304);
    expect(() => parseTcpWmem("4096 16384")).toThrow(/tcp_wmem is not "min default max"/);
  });

  it("gets the 1 MiB pipe the addon asks for, or the largest power-of-two pipe pipe-max-size allows", () => {
    expect(pipeBytesFor("1048576\n")).toBe(MiB);
    expect(pipeBytesFor("16777216")).toBe(MiB);
    expect(pipeBytesFor("524288")).toBe(512 * 1024);
    expect(pipeBytesFor("100000")).toBe(65536);
    expect(() => pipeBytesFor("lots")).toThrow(/pipe-max-size is not a size/);
  });
});

describe("cores left for the two processes of a transfer", () => {
  it("is 2 on an idle two-core machine, the fair share when others run, never more than 2", () => {
    expect(freeCoresFor(2, 0)).toBe(2);
    expect(freeCoresFor(2, 1)).toBeCloseTo(4 / 3, 12); // 2 of 3 runnable threads on 2 cores
    expect(freeCoresFor(2, 0.2)).toBeCloseTo(4 / 2.2, 12);
    expect(freeCoresFor(8, 1)).toBe(2);
    expect(freeCoresFor(1, 0)).toBe(1);
  });
});

/** A measured run of the transfer experiment with the figures a test needs; the rest plausible. */
function run(path: TransferRun["path"], round: number, wallSeconds: number, cpuMs: number, syscalls: number, bytes = 256 * MiB): TransferRun {
  return {
    path, round, bytes, chunk: 65536, cache: "warm", residentPagesBefore: bytes / 4096, filePages: bytes / 4096, wallSeconds,
    throughputMiBps: bytes / MiB / wallSeconds, userCpuMs: cpuMs / 4, systemCpuMs: (3 * cpuMs) / 4, voluntarySwitches: 0, involuntarySwitches: 0,
    minorFaults: 0, majorFaults: 0, syscalls, polls: 0, procSyscr: 0, procSyscw: 0, diskReadBytes: 0, receiverCpuMs: 90,
    receivedBytes: bytes, receivedChecksum: "00000000",
  };
}

/** An experiment result of some runs. */
function resultOf(runs: TransferRun[], bytes = 256 * MiB): TransferResult {
  return {
    kind: "transfer",
    conditions: {
      cpuCount: 2, cpuModel: "test", kernel: "Linux", platform: "linux-x64", nodeVersion: "v20", timestamp: "t", loadAverage: [0, 0, 0],
      paths: [...new Set(runs.map((r) => r.path))], bytes, chunk: 65536, cache: "warm", runs: runs.length, warmupRuns: 0, checksum: "crc32",
      fileChecksum: "00000000", loopback: "test", scratchDir: "/tmp", loadAverageEnd: [0, 0, 0],
    },
    runs,
    summaries: [],
  };
}

describe("rows: the model beside the experiment", () => {
  it("takes medians over runs, per GiB, and the model's figures for the same path, size and chunk", () => {
    const result = resultOf([run("sendfile", 0, 0.10, 100, 64), run("sendfile", 1, 0.30, 120, 80), run("sendfile", 2, 0.12, 110, 72), run("read-write", 0, 0.2, 200, 8192)]);
    const rows = transferRows(TEXTBOOK_MACHINE.parameters, result);
    expect(rows.map((r) => r.path)).toEqual(["read-write", "sendfile"]);
    const sendfile = rows[1];
    expect(sendfile.runs).toBe(3);
    expect(sendfile.measured.wallSeconds).toBe(0.12);
    expect(sendfile.measured.senderCpuSecondsPerGiB).toBeCloseTo(0.11 * 4, 12); // 110 ms per 256 MiB
    expect(sendfile.measured.syscallsPerGiB).toBe(72 * 4);
    const model = predictTransfer(TEXTBOOK_MACHINE.parameters, "sendfile", 256 * MiB);
    expect(sendfile.predicted.wallSeconds).toBe(model.wallSeconds);
    expect(sendfile.predicted.syscallsPerGiB).toBe(model.syscalls * 4);
    expect(sendfile.receiverCpuSecondsPerGiB.measured).toBeCloseTo(0.09 * 4, 12);
    expect(sendfile.freeCores).toBe(2);
  });

  it("predicts for the cores the run had", () => {
    const result = resultOf([run("c-read-write", 0, 0.2, 100, 8192)]);
    const quiet = transferRows(TEXTBOOK_MACHINE.parameters, result)[0];
    const busy = transferRows(TEXTBOOK_MACHINE.parameters, result, 1)[0];
    expect(busy.freeCores).toBe(1);
    expect(busy.predicted.wallSeconds).toBeGreaterThan(quiet.predicted.wallSeconds);
  });
});

describe("the fit table over batches", () => {
  /** A row with measured and predicted figures of one batch. */
  const row = (path: TransferRow["path"], bytes: number, measured: number, predicted: number): TransferRow => ({
    path, bytes, cache: "warm", chunk: 65536, runs: 7, freeCores: 2, bottleneck: "receiver",
    measured: { wallSeconds: measured, senderCpuSecondsPerGiB: measured, syscallsPerGiB: measured },
    predicted: { wallSeconds: predicted, senderCpuSecondsPerGiB: predicted, syscallsPerGiB: predicted },
    receiverCpuSecondsPerGiB: { measured: 0, predicted: 0 },
  });

  it("judges each row against its own batch-to-batch spread", () => {
    // sendfile at 256 MiB: batch medians 0.8, 1.0, 1.2 -> typical 1.0, spread (1.2 - 0.8) / 1.0 = 40%
    // a prediction of 1.3 is 30% high: inside the spread; read-write: medians 1.0, 1.0, 1.1 (spread 10%), 1.2 is 20% out
    const batches = [0.8, 1.0, 1.2].map((m, i) => [row("sendfile", 256 * MiB, m, 1.3), row("read-write", 256 * MiB, [1.0, 1.0, 1.1][i], 1.2), row("splice", 16 * MiB, 1, 5)]);
    const rows = fitRows(batches);
    const sendfile = rows.find((r) => r.path === "sendfile")!.cells.wallSeconds;
    expect(sendfile.batchMedians).toEqual([0.8, 1.0, 1.2]);
    expect(sendfile.measured).toBe(1.0);
    expect(sendfile.spread).toBeCloseTo(0.4, 12);
    expect(sendfile.residual).toBeCloseTo(0.3, 12);
    expect(sendfile.withinSpread).toBe(true);
    const readWrite = rows.find((r) => r.path === "read-write")!.cells.wallSeconds;
    expect(readWrite.spread).toBeCloseTo(0.1, 12);
    expect(readWrite.residual).toBeCloseTo(0.2, 12);
    expect(readWrite.withinSpread).toBe(false);
    // the 16 MiB row is below the target's sizes: not judged
    const summary = fitSummary(rows);
    expect(summary.rows).toBe(2);
    expect(summary.medianAbsResidual.wallSeconds).toBeCloseTo(0.25, 12);
    expect(summary.withinSpreadShare.wallSeconds).toBe(0.5);
    expect(summary.meets.wallSeconds).toEqual({ residual: false, spread: false });
    expect(summary.meets.syscallsPerGiB.residual).toBe(true); // 25% is within the 25% allowed for system calls
    expect(describeFit(rows).join("\n")).toMatch(/wallSeconds: median \|residual\| 25% \(target <= 10%: missed\)/);
  });

  it("has nothing to judge without warm rows of 64 MiB or more", () => {
    expect(() => fitSummary(fitRows([[row("splice", 16 * MiB, 1, 1)]]))).toThrow(/no warm rows/);
  });
});
