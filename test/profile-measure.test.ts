// The machine profile measured for real (quick plan), and the two commands around it. No timing is asserted:
// every parameter must be a usable number taken from its benchmark, nothing may be left behind, the commands must
// print what they promise, and bad input must get one line and exit code 2. Where the experiment counts its own
// calls, the model must count the same.
import { describe, it, expect, beforeAll, afterAll } from "vitest";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { spawnSync } from "child_process";
import { measureProfile, QUICK_PROFILE } from "../src/calibration/profile";
import { deriveParameters, MachineProfile, BENCHMARK_NAMES } from "../src/calibration/profile-record";
import { saveProfile, loadProfile } from "../src/calibration/profile-file";
import { PARAMETER_NAMES, MAY_BE_ZERO } from "../src/model/cost";
import { liveCount } from "../src/cleanup/registry";
import type { PredictOutput } from "../src/cli/commands/predict";
import { MiB } from "../src/units/sizes";

const BIN = path.resolve(__dirname, "..", "src", "cli", "workbook.cjs");

let tmp: string;
let profile: MachineProfile;

beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), "workbook-profile-measure-"));
  profile = await measureProfile({ quick: true, dir: tmp });
});
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

/** Runs the CLI with the profile file in `tmp`. */
function workbook(args: string[], profileFile = path.join(tmp, "profile.json")) {
  return spawnSync(process.execPath, [BIN, ...args], { encoding: "utf8", env: { ...process.env, WORKBOOK_PROFILE: profileFile } });
}

describe("measuring the machine profile (quick)", () => {
  it("gives every parameter as a usable number, and only the differences may come out 0", () => {
    for (const name of PARAMETER_NAMES) {
      const value = profile.parameters[name];
      expect(Number.isFinite(value), name).toBe(true);
      expect(value, name).toBeGreaterThanOrEqual(0);
      if (!MAY_BE_ZERO.includes(name)) expect(value, name).toBeGreaterThan(0);
    }
    expect(profile.zeroed.every((name) => MAY_BE_ZERO.includes(name))).toBe(true);
  });

  it("keeps every benchmark it derived them from, and re-deriving gives the same parameters", () => {
    for (const name of BENCHMARK_NAMES) {
      const b = profile.benchmarks[name];
      expect(b, name).toBeDefined();
      expect(b.min, name).toBeLessThanOrEqual(b.median);
      expect(b.median, name).toBeLessThanOrEqual(b.max);
      expect(b.method.length, name).toBeGreaterThan(10);
    }
    expect(deriveParameters(profile.benchmarks, QUICK_PROFILE.chunk).parameters).toEqual(profile.parameters);
  });

  it("reads the buffer sizes the kernel uses, and records where and under what load it ran", () => {
    const wmem = fs.readFileSync("/proc/sys/net/ipv4/tcp_wmem", "utf8").trim().split(/\s+/).map(Number);
    expect(profile.parameters.socketSendBufferBytes).toBe(wmem[2]);
    expect(profile.parameters.pipeBytes).toBeLessThanOrEqual(MiB);
    expect(profile.machine.plan.name).toBe("quick");
    expect(profile.machine.background.cores).toBe(os.availableParallelism());
    expect(profile.machine.systemFiles["/proc/sys/net/ipv4/tcp_wmem"]).toBeDefined();
    expect(Date.parse(profile.measuredAt)).not.toBeNaN();
  });

  it("leaves no scratch file, child process or sender behind", () => {
    expect(fs.readdirSync(tmp).filter((f) => f.startsWith("workbook-profile-"))).toEqual([]);
    expect(liveCount()).toBe(0);
  });
});

describe("workbook calibrate and workbook predict", () => {
  it("calibrate --quick --json measures, saves the profile where WORKBOOK_PROFILE says, and prints the same record", () => {
    const file = path.join(tmp, "cli-profile.json");
    const r = workbook(["calibrate", "--quick", "--json", "--dir", tmp], file);
    expect(r.status, r.stderr).toBe(0);
    const printed = JSON.parse(r.stdout) as MachineProfile;
    expect(printed.kind).toBe("machine-profile");
    expect(loadProfile(file)).toEqual(printed);
  });

  it("predict --json sets the model beside the experiment, and counts the read-write loop's calls as the loop does", () => {
    const file = path.join(tmp, "profile.json");
    saveProfile(profile, file);
    const r = workbook(["predict", "--json", "--sizes", "4MiB", "--runs", "1", "--dir", tmp], file);
    expect(r.status, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as PredictOutput;
    expect(out.profile.name).toBe(profile.name);
    expect(out.profile.measuredAt).toBe(profile.measuredAt);
    expect(out.profile.parameters).toEqual(profile.parameters);
    expect(out.rows.map((row) => row.path)).toEqual(["stream", "read-write", "c-read-write", "sendfile", "splice"]);
    for (const row of out.rows) {
      expect(row.bytes).toBe(4 * MiB);
      expect(row.cache).toBe("warm");
      for (const side of [row.measured, row.predicted]) {
        for (const key of ["wallSeconds", "senderCpuSecondsPerGiB", "syscallsPerGiB"] as const) expect(side[key], `${row.path} ${key}`).toBeGreaterThan(0);
      }
    }
    // the JS loop counts a readSync and a socket.write per 64 KiB chunk; so does the model
    const readWrite = out.rows.find((row) => row.path === "read-write")!;
    expect(readWrite.predicted.syscallsPerGiB).toBe(readWrite.measured.syscallsPerGiB);
    // the stream's calls come from /proc/self/io: pread, the socket write and the thread pool's eventfd write + read;
    // how often a write finds the socket full (an extra write later) depends on the receiver's pace, so the bound is
    // the 25% the model-fit target allows for syscalls, not an exact count
    const stream = out.rows.find((row) => row.path === "stream")!;
    expect(Math.abs(stream.predicted.syscallsPerGiB / stream.measured.syscallsPerGiB - 1)).toBeLessThan(0.25);
  });

  it("predict refuses a profile of an older model in one line naming what it lacks", () => {
    const file = path.join(tmp, "older.json");
    const older = JSON.parse(JSON.stringify(profile)) as { parameters: Record<string, number> };
    delete older.parameters.streamChunkSeconds;
    fs.writeFileSync(file, JSON.stringify(older));
    const r = workbook(["predict", "--sizes", "4MiB", "--runs", "1"], file);
    expect(r.status).toBe(1);
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
    expect(r.stderr).toMatch(/older cost model \(it has no streamChunkSeconds\); run `npx workbook calibrate`/);
  });

  it("gives bad input one line and exit code 2", () => {
    for (const args of [["predict", "--sizes", "64MiB,lots"], ["predict", "--runs", "0"], ["predict", "--cache", "tepid"], ["predict", "--bogus"], ["predict", "--dir", path.join(tmp, "missing")]]) {
      const r = workbook(args);
      expect(r.status, args.join(" ")).toBe(2);
      expect(r.stderr.trim().split("\n"), args.join(" ")).toHaveLength(1);
    }
  });
});
