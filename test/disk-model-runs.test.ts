// Chapter 4's model runs: the arithmetic behind each record, checked against the disk model's own formulas,
// and the machine-side helpers (profile, prediction, seek verdict) on hand-made disk results.
import { profileFixture } from "./support/profile-fixture";
import { describe, it, expect } from "vitest";
import {
  profileThroughputs, randomReadBreakdown, requestSizeCurves, raid5Estimate, diskCase, machineDiskProfile, predictBufferedReads,
  seekVerdict, directReadPair, directRandomPoints, readaheadRequestBytes, KAFKA_DISK_CLAIM, REQUEST_SIZES, NO_SEEK_PENALTY_RATIO,
} from "../src/chapters/04-sequential-vs-random/analysis";
import { DISK_PROFILES, estimateDiskSeconds, positioningSeconds, RotatingDisk } from "../src/model/disk";
import { diskResultFixture, NO_SEEK_RATES, SEEK_RATES } from "./disk-result-fixture";
import { KiB, MiB } from "../src/units/sizes";

describe("profile throughputs", () => {
  it("are sequential and random rates from the closed-form estimate, and their ratio", () => {
    const rows = profileThroughputs();
    expect(rows.map((r) => r.disk)).toEqual(["hdd", "sata-ssd", "nvme"]);
    for (const r of rows) {
      const random = estimateDiskSeconds(r.disk as "hdd", 1000 * 4096, 4096, "random");
      expect(r.randomBytesPerSecond).toBeCloseTo((1000 * 4096) / random.totalSeconds, 6);
      expect(r.randomIops * 4096).toBeCloseTo(r.randomBytesPerSecond, 6);
      expect(r.ratio).toBeCloseTo(r.sequentialBytesPerSecond / r.randomBytesPerSecond, 9);
      expect(r.sequentialBytesPerSecond).toBeGreaterThan(r.randomBytesPerSecond);
    }
    // A random HDD read pays ~8.5 ms of seek and ~4.2 ms of rotation: the ratio is in the hundreds.
    const [hdd, ssd, nvme] = rows;
    expect(hdd.ratio).toBeGreaterThan(100);
    expect(hdd.ratio).toBeGreaterThan(10 * ssd.ratio);
    expect(hdd.ratio).toBeGreaterThan(5 * nvme.ratio);
  });

  it("take profile records too, such as this machine's disk from the machine profile", () => {
    const machine = machineDiskProfile(profileFixture());
    const [row] = profileThroughputs([machine.profile]);
    expect(row.disk).toBe("this machine");
    expect(row.kind).toBe("flash");
  });
});

describe("random read breakdown", () => {
  it("splits each profile's mean request time into parts that add up; flash has no seek or rotation", () => {
    const rows = randomReadBreakdown(undefined, 300, 9);
    for (const r of rows) {
      expect(r.overheadSeconds + r.seekSeconds + r.rotateSeconds + r.transferSeconds).toBeCloseTo(r.totalSeconds, 12);
      expect(r.requests).toBe(300);
    }
    const hdd = rows.find((r) => r.disk === "hdd")!;
    // Uniform random blocks: the mean should be near the closed-form average positioning (8.5 + 4.17 ms).
    expect(hdd.seekSeconds + hdd.rotateSeconds).toBeGreaterThan(0.5 * positioningSeconds(DISK_PROFILES.hdd));
    expect(hdd.seekSeconds + hdd.rotateSeconds).toBeLessThan(1.5 * positioningSeconds(DISK_PROFILES.hdd));
    for (const r of rows.filter((x) => x.disk !== "hdd")) {
      expect(r.seekSeconds).toBe(0);
      expect(r.rotateSeconds).toBe(0);
    }
  });

  it("stays within the simulator's 32-bit block numbers on a measured profile of 2^32 blocks", () => {
    const machine = machineDiskProfile(profileFixture());
    const [row] = randomReadBreakdown([machine.profile], 200);
    expect(row.totalSeconds).toBeGreaterThan(0);
  });
});

describe("request size curves", () => {
  it("rise with request size toward, never past, each profile's transfer rate", () => {
    const points = requestSizeCurves();
    expect(points).toHaveLength(3 * REQUEST_SIZES.length);
    for (const disk of ["hdd", "sata-ssd", "nvme"]) {
      const curve = points.filter((p) => p.disk === disk);
      for (let i = 1; i < curve.length; i++) expect(curve[i].randomBytesPerSecond).toBeGreaterThan(curve[i - 1].randomBytesPerSecond);
      for (const p of curve) expect(p.randomBytesPerSecond).toBeLessThan(p.mediaBytesPerSecond);
    }
  });
});

describe("the RAID-5 array of Kafka's claim", () => {
  it("follows the small-write penalty: two random reads and two rewrites per write", () => {
    const hdd = DISK_PROFILES.hdd as RotatingDisk;
    const a = raid5Estimate();
    const transfer = 4096 / ((hdd.blocksPerTrack * 4096 * hdd.rpm) / 60);
    expect(a.disks).toBe(KAFKA_DISK_CLAIM.disks);
    expect(a.accessSeconds).toBeCloseTo(hdd.overheadSeconds + positioningSeconds(hdd) + transfer, 12);
    expect(a.rewriteSeconds).toBeCloseTo(hdd.overheadSeconds + 60 / hdd.rpm + transfer, 12);
    expect(a.randomQd1BytesPerSecond).toBeCloseTo(4096 / (a.accessSeconds + a.rewriteSeconds), 6);
    expect(a.randomBusyBytesPerSecond).toBeCloseTo((6 * 4096) / (2 * a.accessSeconds + 2 * a.rewriteSeconds), 6);
    const oneDisk = (256 * MiB) / estimateDiskSeconds(hdd, 256 * MiB, MiB, "sequential").totalSeconds;
    expect(a.sequentialBytesPerSecond).toBeCloseTo(5 * oneDisk, 3);
    expect(a.ratioQd1).toBeGreaterThan(a.ratioBusy);
    expect(raid5Estimate({ writeBytes: 1024 }).ratioBusy).toBeGreaterThan(a.ratioBusy);
  });

  it("refuses a flash profile and silly arrays with a clear message", () => {
    expect(() => raid5Estimate({ disk: "nvme" })).toThrow(/rotating profile/);
    expect(() => raid5Estimate({ disks: 2 })).toThrow(/disks/);
  });
});

describe("this machine beside the model", () => {
  it("finds cases by their coordinates", () => {
    const result = diskResultFixture(NO_SEEK_RATES);
    expect(diskCase(result, "read", "random", "direct", 4096)!.mibps.median).toBe(48);
    expect(diskCase(result, "write", "random", "buffered", 4096, "end")!.mibps.median).toBe(200);
    expect(diskCase(result, "write", "random", "buffered", 4096, "each")).toBeUndefined();
  });

  it("builds this machine's disk from the machine profile's two disk figures, not from the chapter's own runs", () => {
    const profile = profileFixture(); // a disk of 2 GB/s, 50 µs per cold 4 KiB read
    const machine = machineDiskProfile(profile);
    expect(machine.profile.name).toBe("this machine");
    expect(machine.profile.bytesPerSecond).toBeCloseTo(2e9, 3);
    // one 4 KiB random read = latency + 4 KiB at the sequential rate = the profile's 50 µs
    expect(machine.profile.latencySeconds + 4096 / machine.profile.bytesPerSecond).toBeCloseTo(50e-6, 12);
    expect(machine.source).toMatch(/this machine's profile of 2026-12-01 00:00: cold sequential reads 2\.00 GB\/s, one cold 4 KiB random read 50\.00 µs/);
  });

  it("predicts buffered reads: readahead-sized sequential requests vs 4 KiB random ones", () => {
    const p = predictBufferedReads("nvme", 128 * KiB);
    expect(p.sequentialBytesPerSecond).toBeCloseTo((64 * MiB) / estimateDiskSeconds("nvme", 64 * MiB, 128 * KiB, "sequential").totalSeconds, 3);
    expect(p.ratio).toBeCloseTo(p.sequentialBytesPerSecond / p.randomBytesPerSecond, 9);
    expect(predictBufferedReads("nvme", 4 * MiB).ratio).toBeGreaterThan(p.ratio);
  });

  it("reports no seek penalty when direct random reads keep up, and a penalty when they do not", () => {
    const flat = seekVerdict(diskResultFixture(NO_SEEK_RATES));
    expect(flat.directRatio).toBeCloseTo(50 / 48, 9);
    expect(flat.directRatio!).toBeLessThan(NO_SEEK_PENALTY_RATIO);
    expect(flat.seekPenalty).toBe(false);
    expect(flat.bufferedRatio).toBeCloseTo(20, 9);
    expect(flat.text).toMatch(/^no seek penalty/);
    const hdd = seekVerdict(diskResultFixture(SEEK_RATES));
    expect(hdd.seekPenalty).toBe(true);
    expect(hdd.text).toMatch(/^seek penalty: direct sequential 4 KiB reads are 100\.0x faster/);
    const noDirect = seekVerdict(diskResultFixture(Object.fromEntries(Object.entries(NO_SEEK_RATES).filter(([k]) => !k.includes("direct"))), false));
    expect(noDirect.seekPenalty).toBeNull();
    expect(() => seekVerdict(diskResultFixture({ "read random direct 4096 none": 1 }))).toThrow(/no buffered 4 KiB reads/);
  });

  it("picks the machine's points for the figures and the readahead request size", () => {
    const result = diskResultFixture(NO_SEEK_RATES);
    expect(directReadPair(result)!.sequential.median).toBe(1000);
    expect(directRandomPoints(result).map((p) => [p.requestBytes, p.mibps.median])).toEqual([[4096, 48], [MiB, 950]]);
    expect(readaheadRequestBytes({ readAheadKiB: 8192, maxRequestKiB: 4096 })).toBe(4096 * KiB);
    expect(readaheadRequestBytes({ readAheadKiB: 128, maxRequestKiB: 1280 })).toBe(128 * KiB);
    expect(readaheadRequestBytes(null)).toBe(128 * KiB);
  });
});
