// The cache-reads experiment: cold passes start at 0 pages resident and fetch the file from storage, warm and
// repeated passes fetch nothing, every whole-file pass returns the file's bytes, bad input gets one clear
// message, and the scratch file is gone afterwards. Counts and invariants only, never timing.
import { describe, it, expect, afterAll, afterEach } from "vitest";
import * as fs from "fs";
import * as os from "os";
import { runCacheReads, smallReadOffsets } from "../src/experiments/cache-reads";
import { blockDeviceOf, splitDevice, deviceReads, deviceReadsDelta, filesystemTypeOf } from "../src/experiments/block-device";
import { liveCount } from "../src/cleanup/registry";
import { scratchParent } from "./transfer-helpers";
import { KiB, MiB } from "../src/units/sizes";

const parent = scratchParent("cache-reads");

afterEach(() => {
  expect(fs.readdirSync(parent)).toEqual([]); // the scratch file is gone, success or failure
  expect(liveCount()).toBe(0);
});

afterAll(() => fs.rmSync(parent, { recursive: true, force: true }));

describe("cache-reads experiment", () => {
  it("measures cold vs warm reads, re-reads and 4 KiB readahead passes with residency, read_bytes and checksums", async () => {
    const progress: number[] = [];
    const fileBytes = 4 * MiB;
    const r = await runCacheReads({ fileBytes, runs: 2, rereads: 3, smallReads: 256, chunk: 256 * KiB, dir: parent, onProgress: (p) => progress.push(p.done) });
    const pages = fileBytes / 4096;
    expect(r.kind).toBe("cache-reads");
    expect(r.conditions).toMatchObject({ fileBytes, runs: 2, chunk: 256 * KiB, filesystem: filesystemTypeOf(parent) });
    expect(progress).toEqual(Array.from({ length: 2 * 2 + 3 + 2 * 2 }, (_, i) => i + 1));

    const cold = r.coldWarm.passes.filter((p) => p.label === "cold");
    const warm = r.coldWarm.passes.filter((p) => p.label === "warm");
    expect(cold).toHaveLength(2);
    expect(warm).toHaveLength(2);
    for (const p of cold) {
      expect(p).toMatchObject({ cache: "cold", residentBefore: 0, residentAfter: pages, totalPages: pages, bytes: fileBytes, calls: 16, verified: true });
      // read_bytes counts what this process made the kernel fetch: the whole file, give or take another test's reads in this process
      expect(p.readBytes).toBeGreaterThanOrEqual(0.95 * fileBytes);
      expect(p.readBytes).toBeLessThanOrEqual(1.05 * fileBytes);
      expect(p.syscr).toBeGreaterThanOrEqual(16);
    }
    for (const p of warm) {
      expect(p).toMatchObject({ cache: "warm", residentBefore: pages, residentAfter: pages, verified: true });
      expect(p.readBytes).toBeLessThan(0.01 * fileBytes);
    }
    expect(r.coldWarm.cold.readBytes.n).toBe(2);
    expect(r.coldWarm.warm.mibps.median).toBeGreaterThan(0);

    const [first, ...again] = r.rereads.passes;
    expect(r.rereads.reads).toBe(3);
    expect(first).toMatchObject({ label: "read 1", cache: "cold", residentAfter: pages, verified: true });
    expect(first.readBytes).toBeGreaterThanOrEqual(0.95 * fileBytes);
    for (const p of again) {
      expect(p).toMatchObject({ cache: "warm", verified: true });
      expect(p.readBytes).toBeLessThan(0.01 * fileBytes);
    }

    const ra = r.readahead;
    expect(ra.calls).toBe(256);
    expect(ra.passes.map((p) => p.label)).toEqual(["sequential 4 KiB", "random 4 KiB", "sequential 4 KiB", "random 4 KiB"]);
    for (const p of ra.passes) {
      expect(p).toMatchObject({ cache: "cold", residentBefore: 0, calls: 256, callBytes: 4096, bytes: 256 * 4096, verified: true });
      // every page asked for was fetched (it was cold); readahead may fetch more, never less
      expect(p.readBytes).toBeGreaterThanOrEqual(0.95 * p.bytes);
      expect(p.residentAfter).toBeGreaterThanOrEqual(256);
    }
    expect(ra.sequential.readBytesPerByte.n).toBe(2);
    // The workbook's machines keep /tmp on a disk filesystem (ext4 on virtio): the device and its counters are there.
    expect(r.conditions.device?.name).toMatch(/\S/);
    for (const p of ra.passes) expect(p.device!.requests).toBeGreaterThan(0);
    expect(ra.sequential.deviceKiBPerRequest!.n).toBe(2);
  });

  it("rejects bad sizes and RAM filesystems with one clear message, before writing anything", async () => {
    await expect(runCacheReads({ fileBytes: MiB + 1, dir: parent })).rejects.toThrow(/fileBytes must be a multiple of 4096/);
    await expect(runCacheReads({ fileBytes: 3 * MiB, chunk: 2 * MiB, dir: parent })).rejects.toThrow(/multiple of chunk/);
    await expect(runCacheReads({ fileBytes: 1024, dir: parent })).rejects.toThrow(/fileBytes/);
    await expect(runCacheReads({ fileBytes: MiB, rereads: 1, dir: parent })).rejects.toThrow(/rereads/);
    await expect(runCacheReads({ fileBytes: MiB, smallReads: 257, dir: parent })).rejects.toThrow(/smallReads/);
    await expect(runCacheReads({ fileBytes: MiB, runs: 0, dir: parent })).rejects.toThrow(/runs/);
    if (fs.existsSync("/dev/shm") && filesystemTypeOf("/dev/shm") === "tmpfs") {
      await expect(runCacheReads({ fileBytes: MiB, dir: "/dev/shm" })).rejects.toThrow(/tmpfs: its pages never leave memory/);
    }
  });
});

describe("read offsets of the readahead passes", () => {
  it("are the first pages in order, or distinct pages in the same shuffled order every time", () => {
    expect(smallReadOffsets("sequential", 10, 4)).toEqual([0, 4096, 8192, 12288]);
    const a = smallReadOffsets("random", 1000, 1000);
    expect([...a].sort((x, y) => x - y)).toEqual(Array.from({ length: 1000 }, (_, i) => i * 4096));
    expect(smallReadOffsets("random", 1000, 1000)).toEqual(a);
    expect(a.slice(0, 10)).not.toEqual(smallReadOffsets("sequential", 1000, 10));
  });
});

describe("block device", () => {
  it("splits dev_t like glibc's major()/minor(), large minors included", () => {
    expect(splitDevice(0xfe00n)).toEqual({ major: 254, minor: 0 });
    // makedev(8, 300) = (8 << 8) | (300 & 0xff) | ((300 & ~0xff) << 12)
    expect(splitDevice(BigInt((8 << 8) | (300 & 0xff) | ((300 & ~0xff) << 12)))).toEqual({ major: 8, minor: 300 });
    expect(splitDevice(BigInt(259) << 8n | 1n)).toEqual({ major: 259, minor: 1 });
  });

  it("finds the device under a disk filesystem and reads monotonic counters; none under /proc", () => {
    expect(blockDeviceOf("/proc/self")).toBeNull();
    const device = blockDeviceOf(os.tmpdir())!; // ext4 on virtio on the workbook's machines
    expect(device).not.toBeNull();
    expect(device.id).toMatch(/^\d+:\d+$/);
    expect(fs.existsSync(device.statFile)).toBe(true);
    const a = deviceReads(device);
    const b = deviceReads(device);
    const delta = deviceReadsDelta(a, b);
    expect(delta.requests).toBeGreaterThanOrEqual(0);
    expect(delta.bytes).toBeGreaterThanOrEqual(0);
    expect(a.bytes % 512).toBe(0);
  });
});
