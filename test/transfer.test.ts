// The transfer experiment: byte-exact delivery on every path, cache states proven with mincore, syscall
// counts that show what sendfile saves, repetition and statistics, and clean failure on bad input.
import { describe, it, expect, afterAll, afterEach } from "vitest";
import * as fs from "fs";
import * as path from "path";
import { runTransferExperiment, verifyReceipt, TransferVerificationError, planTransfer } from "../src/experiments/transfer-experiment";
import { TransferResult } from "../src/experiments/transfer-records";
import { liveCount } from "../src/cleanup/registry";
import { childrenOf, scratchParent } from "./transfer-helpers";
import { MiB } from "../src/units/sizes";
import { TRANSFER_PATHS } from "../src/vocabulary/transfer";

const parent = scratchParent("transfer");

afterEach(() => {
  // After every experiment, success or failure: no scratch dir, no child process, nothing registered.
  expect(fs.readdirSync(parent)).toEqual([]);
  expect(childrenOf(process.pid)).toEqual([]);
  expect(liveCount()).toBe(0);
});

afterAll(() => fs.rmSync(parent, { recursive: true, force: true }));

/** Every recorded run got exactly the file: length and checksum as created. */
function expectAllDelivered(result: TransferResult): void {
  for (const run of result.runs) {
    expect(run.receivedBytes).toBe(result.conditions.bytes);
    expect(run.receivedChecksum).toBe(result.conditions.fileChecksum);
  }
}

describe("transfer experiment", () => {
  it("delivers a file that is not a multiple of the chunk byte-exact along every path (warm cache)", async () => {
    const bytes = 3 * MiB + 12345;
    const result = await runTransferExperiment({ bytes, chunk: 10_000, runs: 1, warmup: 0, dir: parent });
    expect(result.runs.map((r) => r.path).sort()).toEqual([...TRANSFER_PATHS].sort());
    expectAllDelivered(result);
    for (const run of result.runs) {
      expect(run.filePages).toBe(Math.ceil(bytes / 4096));
      expect(run.residentPagesBefore).toBe(run.filePages); // warm: every page cached right before the run
      expect(run.diskReadBytes).toBe(0); // ... so nothing came from the disk
      expect(run.wallSeconds).toBeGreaterThan(0);
      expect(run.receiverCpuMs).toBeGreaterThan(0);
    }
    for (const summary of result.summaries) expect(summary.receiverCpuMs?.n).toBe(1);
  });

  it("delivers an empty file along every path", async () => {
    const result = await runTransferExperiment({ bytes: 0, runs: 1, warmup: 0, dir: parent });
    expect(result.runs).toHaveLength(TRANSFER_PATHS.length);
    expectAllDelivered(result);
    expect(result.conditions.fileChecksum).toBe("00000000");
    for (const run of result.runs) expect(run.filePages).toBe(0);
  });

  it("a cold run starts with zero resident pages and reads the file from the disk", async () => {
    const bytes = 4 * MiB;
    const result = await runTransferExperiment({ bytes, cache: "cold", runs: 1, warmup: 0, dir: parent });
    expectAllDelivered(result);
    for (const run of result.runs) {
      expect(run.filePages).toBe(1024);
      expect(run.residentPagesBefore).toBe(0);
      expect(run.diskReadBytes).toBeGreaterThanOrEqual(bytes);
    }
  });

  it("sendfile and splice issue far fewer system calls than read+write with 4 KiB chunks", async () => {
    const bytes = 4 * MiB;
    const result = await runTransferExperiment({ bytes, chunk: 4096, runs: 1, warmup: 0, dir: parent, paths: ["read-write", "c-read-write", "sendfile", "splice"] });
    const calls = Object.fromEntries(result.runs.map((r) => [r.path, r.syscalls]));
    // read+write: at least one read and one write per 4 KiB
    expect(calls["read-write"]).toBeGreaterThanOrEqual(2 * (bytes / 4096));
    expect(calls["c-read-write"]).toBeGreaterThanOrEqual(2 * (bytes / 4096));
    expect(calls.sendfile * 20).toBeLessThan(calls["read-write"]);
    expect(calls.splice * 20).toBeLessThan(calls["c-read-write"]);
    // the kernel's own count agrees: read+write made >= 1024 read calls, sendfile almost none
    const rw = result.runs.find((r) => r.path === "c-read-write")!;
    const sf = result.runs.find((r) => r.path === "sendfile")!;
    expect(rw.procSyscr).toBeGreaterThanOrEqual(bytes / 4096);
    expect(sf.procSyscr * 20).toBeLessThan(rw.procSyscr);
  });

  it("repeats runs after a warm-up, interleaves paths, summarises median/min/max and writes JSON only when asked", async () => {
    const out = path.join(parent, "..", `transfer-result-${process.pid}.json`);
    try {
      const progress: string[] = [];
      const result = await runTransferExperiment({
        bytes: MiB,
        runs: 3,
        warmup: 1,
        paths: ["sendfile", "read-write"],
        dir: parent,
        out,
        onProgress: (p) => progress.push(`${p.done}/${p.total}:${p.path}:${p.warmup ? "w" : p.round}`),
      });
      expect(progress).toHaveLength(8); // (1 warm-up + 3) x 2 paths
      expect(progress.slice(0, 2).every((p) => p.endsWith(":w"))).toBe(true);
      expect(result.runs).toHaveLength(6);
      // interleaved: both paths appear in every round
      for (let round = 0; round < 3; round++) expect(result.runs.filter((r) => r.round === round).map((r) => r.path).sort()).toEqual(["read-write", "sendfile"]);
      for (const summary of result.summaries) {
        const wall = summary.metrics.wallSeconds;
        expect(wall.n).toBe(3);
        expect(wall.min).toBeLessThanOrEqual(wall.median);
        expect(wall.median).toBeLessThanOrEqual(wall.max);
        const walls = result.runs.filter((r) => r.path === summary.path).map((r) => r.wallSeconds).sort((a, b) => a - b);
        expect(wall.median).toBe(walls[1]);
      }
      const c = result.conditions;
      expect(c).toMatchObject({ bytes: MiB, chunk: 65536, cache: "warm", runs: 3, warmupRuns: 1, checksum: "crc32" });
      expect(c.cpuCount).toBeGreaterThan(0);
      expect(c.kernel).toMatch(/Linux/);
      expect(c.nodeVersion).toBe(process.version);
      expect(c.loadAverage).toHaveLength(3);
      expect(JSON.parse(fs.readFileSync(out, "utf8"))).toEqual(result);
    } finally {
      fs.rmSync(out, { force: true });
    }
  });

  it("sends an existing file when given one", async () => {
    const own = path.join(parent, "..", `own-${process.pid}.bin`);
    fs.writeFileSync(own, Buffer.from("hello, zero-copy\n".repeat(1000)));
    try {
      const result = await runTransferExperiment({ file: own, runs: 1, warmup: 0, paths: ["sendfile", "stream"], dir: parent });
      expect(result.conditions.bytes).toBe(17_000);
      expectAllDelivered(result);
      expect(fs.existsSync(own)).toBe(true); // the experiment never deletes a file it did not make
    } finally {
      fs.rmSync(own, { force: true });
    }
  });

  it("rejects bad input with one clear message before creating anything", async () => {
    await expect(runTransferExperiment({ file: "/no/such/file.bin", dir: parent })).rejects.toThrow(/^file not found: \/no\/such\/file.bin/);
    await expect(runTransferExperiment({ bytes: -1, dir: parent })).rejects.toThrow(RangeError);
    await expect(runTransferExperiment({ bytes: -1, dir: parent })).rejects.toThrow(/bytes must be a whole number of bytes from 0/);
    await expect(runTransferExperiment({ bytes: 1024, paths: ["teleport" as never], dir: parent })).rejects.toThrow(/path must be one of stream, read-write, c-read-write, sendfile, splice; got "teleport"/);
    await expect(runTransferExperiment({ bytes: 1024, cache: "lukewarm" as never, dir: parent })).rejects.toThrow(/cache must be one of warm, cold/);
    await expect(runTransferExperiment({ bytes: 1024, runs: 0, dir: parent })).rejects.toThrow(/runs must be a whole number from 1/);
    await expect(runTransferExperiment({ bytes: 1024, dir: "/no/such/dir" })).rejects.toThrow(/scratch directory \/no\/such\/dir does not exist/);
    expect(() => planTransfer({})).toThrow(/bytes is required/);
  });

  it("refuses to count a run whose receiver saw different bytes", () => {
    const data = { path: "x", bytes: 10, checksum: 0x1234 };
    expect(() => verifyReceipt("sendfile", 0, data, { type: "received", peerPort: 1, cpuMs: 1, bytes: 10, checksum: "00001234" })).not.toThrow();
    expect(() => verifyReceipt("sendfile", 0, data, { type: "received", peerPort: 1, cpuMs: 1, bytes: 9, checksum: "00001234" })).toThrow(TransferVerificationError);
    expect(() => verifyReceipt("splice", 2, data, { type: "received", peerPort: 1, cpuMs: 1, bytes: 10, checksum: "deadbeef" })).toThrow(
      /splice run 2: the receiver got 10 bytes with crc32 deadbeef, the file has 10 bytes with crc32 00001234/,
    );
    expect(() => verifyReceipt("stream", 0, data, { type: "receive-error", peerPort: 1, bytes: 3, message: "reset" })).toThrow(/an error after 3 bytes \(reset\)/);
  });
});
