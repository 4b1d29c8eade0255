// The disk experiment: every combination measured or explicitly skipped, cold reads, sane counts, clear errors.
import { describe, it, expect, afterAll, afterEach } from "vitest";
import * as fs from "fs";
import * as path from "path";
import { runDiskExperiment } from "../src/experiments/disk-experiment";
import { liveCount } from "../src/cleanup/registry";
import { freeBytes, makeScratchDir } from "../src/cleanup/scratch-dir";
import { scratchParent } from "./transfer-helpers";
import { KiB, MiB, GiB } from "../src/units/sizes";

const parent = scratchParent("disk");

afterEach(() => {
  expect(fs.readdirSync(parent)).toEqual([]); // the scratch file is gone, success or failure
  expect(liveCount()).toBe(0);
});

afterAll(() => fs.rmSync(parent, { recursive: true, force: true }));

describe("disk experiment", () => {
  it("measures reads and writes, sequential and random, buffered and O_DIRECT, with each fsync mode", async () => {
    const progress: number[] = [];
    const out = path.join(parent, "..", `disk-result-${process.pid}.json`);
    try {
      const result = await runDiskExperiment({
        fileBytes: 2 * MiB,
        blocks: [4096, 256 * KiB],
        runs: 2,
        maxOps: 64,
        maxSyncOps: 8,
        dir: parent,
        out,
        onProgress: (p) => progress.push(p.done),
      });
      const c = result.conditions;
      expect(c.filesystem).not.toBe("unknown");
      expect(c.directSupported).toBe(true); // the workbook's machines use ext4 for /tmp
      // 2 blocks x 2 patterns x 2 io modes x (1 read + 3 fsync modes for writes)
      expect(result.cases.length + result.skipped.length).toBe(2 * 2 * 2 * 4);
      expect(result.skipped).toEqual([]);
      expect(progress).toEqual(Array.from({ length: 2 * result.cases.length }, (_, i) => i + 1));
      for (const k of result.cases) {
        expect(k.ops).toBe(k.fsync === "each" ? 8 : Math.min(64, (2 * MiB) / k.block));
        expect(k.bytes).toBe(k.ops * k.block);
        expect(k.cache).toBe(k.op === "read" ? "cold" : "n/a");
        if (k.op === "read") expect(k.fsync).toBe("none");
        expect(k.seconds.n).toBe(2);
        expect(k.iops.min).toBeGreaterThan(0);
        expect(k.iops.min).toBeLessThanOrEqual(k.iops.max);
        // IOPS and MiB/s describe the same runs: MiB/s = IOPS x block
        expect(k.mibps.median).toBeCloseTo((k.iops.median * k.block) / MiB, 6);
      }
      expect(JSON.parse(fs.readFileSync(out, "utf8"))).toEqual(result);
    } finally {
      fs.rmSync(out, { force: true });
    }
  });

  it("rejects bad sizes, modes and places with one clear message", async () => {
    await expect(runDiskExperiment({ blocks: [1000], dir: parent })).rejects.toThrow(/block must be a whole number of bytes from 4096/);
    await expect(runDiskExperiment({ blocks: [6000], fileBytes: MiB, dir: parent })).rejects.toThrow(/block must be a multiple of 4096/);
    await expect(runDiskExperiment({ fileBytes: -1, dir: parent })).rejects.toThrow(/fileBytes must be a whole number of bytes/);
    await expect(runDiskExperiment({ fsync: ["sometimes" as never], dir: parent })).rejects.toThrow(/fsync must be one of none, end, each/);
    await expect(runDiskExperiment({ fileBytes: MiB, dir: "/dev/shm" })).rejects.toThrow(/on tmpfs: a RAM filesystem has no disk to measure/);
    await expect(runDiskExperiment({ fileBytes: MiB, dir: "/no/such/dir" })).rejects.toThrow(/scratch directory \/no\/such\/dir does not exist/);
    await expect(runDiskExperiment({ fileBytes: 2 ** 40, dir: parent })).rejects.toThrow(/fileBytes must be a whole number of bytes from 4096 to \d+ \(16 GiB\)/);
  });

  it("checks free space before writing anything", () => {
    const tooMuch = freeBytes(parent) + GiB;
    expect(() => makeScratchDir("disk", tooMuch, parent)).toThrow(/^not enough free space in .*: the experiment needs .* is free; use a smaller size or another directory$/);
  });
});
