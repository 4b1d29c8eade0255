// The disk under the page cache: geometry by hand, scheduling orders, the closed form against the simulator.
import { describe, it, expect } from "vitest";
import {
  simulateDisk, estimateDiskSeconds, measuredDisk, positioningSeconds, averageSeekSeconds, diskBytesPerSecond,
  DISK_PROFILES, RotatingDisk, FlashDisk, BlockRequest,
} from "../src/model/disk";
import { simulateCache } from "../src/model/page-cache";
import { Xorshift32 } from "../src/random/xorshift";
import { loadModel } from "../src/model/wasm";
import { GiB } from "../src/units/sizes";

/** A toy disk small enough to check by hand: 10 ms per turn, 10 blocks per track, 100 tracks. */
const TOY: RotatingDisk = {
  name: "toy", kind: "rotating", rpm: 6000, blocksPerTrack: 10, tracks: 100,
  trackToTrackSeekSeconds: 1e-3, fullStrokeSeekSeconds: 10e-3, overheadSeconds: 0,
};

/** `count` single-block requests spread uniformly over the first `blocks` blocks (seeded). */
function randomRequests(count: number, blocks: number, seed: number): BlockRequest[] {
  const x = new Xorshift32(seed);
  return Array.from({ length: count }, () => ({ firstPage: x.next() % blocks, pages: 1 }));
}

describe("disk: one request at a time, by hand", () => {
  it("waits for the platter and transfers at the media rate", () => {
    const run = simulateDisk(TOY, [{ firstPage: 5, pages: 1 }, { firstPage: 15, pages: 1 }]);
    const [a, b] = run.served!;
    // Block 5 sits half a turn from the head at time 0: 5 ms of rotation, then 1 ms to read it.
    expect(a.seek).toBe(0);
    expect(a.rotate).toBeCloseTo(5e-3, 12);
    expect(a.transfer).toBeCloseTo(1e-3, 12);
    // At 6 ms, one track's seek (1 ms) ends at 7 ms with the platter at 0.7 turns; block 15 starts at 0.5: 0.8 turns more.
    expect(b.seek).toBeCloseTo(1e-3, 12);
    expect(b.rotate).toBeCloseTo(8e-3, 12);
    expect(b.end).toBeCloseTo(16e-3, 12);
    expect(run.totalSeconds).toBeCloseTo(16e-3, 12);
  });

  it("rises from the track-to-track seek to the full stroke with the square root of the distance", () => {
    const model = loadModel();
    simulateDisk(TOY, [{ firstPage: 0, pages: 1 }]);
    expect(model.seekSeconds(0)).toBe(0);
    expect(model.seekSeconds(1)).toBeCloseTo(1e-3, 12);
    expect(model.seekSeconds(100)).toBeCloseTo(10e-3, 12);
    expect(model.seekSeconds(25)).toBeCloseTo(1e-3 + 9e-3 * Math.sqrt(24 / 99), 12);
  });

  it("reads a sequential stream from the track buffer: no seek or rotation after the first request", () => {
    const requests = Array.from({ length: 50 }, (_, i) => ({ firstPage: 32 * i, pages: 32 }));
    const run = simulateDisk("hdd", requests);
    expect(run.seekSeconds).toBe(0);
    expect(run.rotateSeconds).toBe(run.served![0].rotate);
    expect(run.transferSeconds).toBeCloseTo((50 * 32 * 4096) / diskBytesPerSecond(DISK_PROFILES.hdd), 12);
  });

  it("charges flash only latency and bandwidth, in any order and under any policy", () => {
    const flash = DISK_PROFILES.nvme as FlashDisk;
    const requests = randomRequests(500, 1_000_000, 2);
    const want = 500 * flash.latencySeconds + (500 * 4096) / flash.bytesPerSecond;
    for (const policy of ["fifo", "sstf", "satf"] as const) {
      const run = simulateDisk(flash, requests, { policy });
      expect(run.totalSeconds).toBeCloseTo(want, 9);
      expect(run.served!.map((s) => s.index)).toEqual(requests.map((_, i) => i));
    }
  });
});

describe("disk: scheduling (OSTEP 37.5)", () => {
  const requests = [{ firstPage: 500, pages: 1 }, { firstPage: 50, pages: 1 }, { firstPage: 200, pages: 1 }, { firstPage: 990, pages: 1 }];

  it("serves FIFO in arrival order and SSTF nearest track first", () => {
    expect(simulateDisk(TOY, requests, { policy: "fifo" }).served!.map((s) => s.index)).toEqual([0, 1, 2, 3]);
    expect(simulateDisk(TOY, requests, { policy: "sstf" }).served!.map((s) => s.index)).toEqual([1, 2, 0, 3]);
  });

  it("limits SSTF's choice to the window of oldest requests: a window of 1 is FIFO", () => {
    expect(simulateDisk(TOY, requests, { policy: "sstf", window: 1 }).served!.map((s) => s.index)).toEqual([0, 1, 2, 3]);
    const tracks = [{ firstPage: 500, pages: 1 }, { firstPage: 600, pages: 1 }, { firstPage: 50, pages: 1 }]; // tracks 50, 60, 5
    expect(simulateDisk(TOY, tracks, { policy: "sstf" }).served!.map((s) => s.index)).toEqual([2, 0, 1]);
    expect(simulateDisk(TOY, tracks, { policy: "sstf", window: 2 }).served!.map((s) => s.index)).toEqual([0, 1, 2]);
  });

  it("serves every request exactly once, back to back, whatever the policy", () => {
    const many = randomRequests(400, 488_000_000, 17);
    for (const policy of ["fifo", "sstf", "satf"] as const) {
      const run = simulateDisk("hdd", many, { policy, window: 32 });
      expect([...run.served!.map((s) => s.index)].sort((a, b) => a - b)).toEqual(many.map((_, i) => i));
      run.served!.forEach((s, k) => {
        expect(s.end).toBeCloseTo(s.start + s.overhead + s.seek + s.rotate + s.transfer, 12);
        if (k > 0) expect(s.start).toBe(run.served![k - 1].end);
      });
      expect(run.totalSeconds).toBeCloseTo(run.overheadSeconds + run.seekSeconds + run.rotateSeconds + run.transferSeconds, 9);
    }
  });

  it("cuts seeking with SSTF and positioning with SATF on random requests", () => {
    const many = randomRequests(1000, 488_000_000, 5);
    const fifo = simulateDisk("hdd", many);
    const sstf = simulateDisk("hdd", many, { policy: "sstf" });
    const satf = simulateDisk("hdd", many, { policy: "satf" });
    expect(sstf.seekSeconds).toBeLessThan(fifo.seekSeconds / 3);
    expect(satf.seekSeconds + satf.rotateSeconds).toBeLessThan(sstf.seekSeconds + sstf.rotateSeconds);
  });
});

describe("disk: closed form against the simulator", () => {
  it("averages 8.5 ms of seek and half a turn per random request over the whole HDD, as the closed form says", () => {
    const hdd = DISK_PROFILES.hdd as RotatingDisk;
    const run = simulateDisk(hdd, randomRequests(4000, 488_000_000, 9));
    const estimate = estimateDiskSeconds(hdd, 4000 * 4096, 4096, "random");
    expect(averageSeekSeconds(hdd)).toBeCloseTo(8.4667e-3, 6);
    expect(run.seekSeconds / 4000).toBeGreaterThan(0.97 * averageSeekSeconds(hdd));
    expect(run.seekSeconds / 4000).toBeLessThan(1.03 * averageSeekSeconds(hdd));
    expect(run.totalSeconds / estimate.totalSeconds).toBeGreaterThan(0.97);
    expect(run.totalSeconds / estimate.totalSeconds).toBeLessThan(1.03);
  });

  it("seeks less for random reads within one file than across the disk", () => {
    const hdd = DISK_PROFILES.hdd as RotatingDisk;
    const file = 200_000 * 4096;
    expect(positioningSeconds(hdd, file)).toBeLessThan(positioningSeconds(hdd));
    const run = simulateDisk(hdd, randomRequests(3000, 200_000, 4));
    const estimate = estimateDiskSeconds(hdd, 3000 * 4096, 4096, "random", file);
    expect(run.totalSeconds / estimate.totalSeconds).toBeGreaterThan(0.9);
    expect(run.totalSeconds / estimate.totalSeconds).toBeLessThan(1.1);
  });

  it("agrees exactly with the simulator for a sequential read on flash", () => {
    for (const disk of ["sata-ssd", "nvme"] as const) {
      const cache = simulateCache({ pattern: "sequential", capacity: 8192, accesses: 100_000, readaheadMax: 32, logRequests: true });
      const run = simulateDisk(disk, cache.requests!);
      const steady = estimateDiskSeconds(disk, cache.diskPages * 4096, 32 * 4096, "sequential");
      // The simulator sees readahead's first small windows (4, 8, 16 pages) as extra requests.
      const extra = (cache.diskRequests - steady.requests) * (DISK_PROFILES[disk] as FlashDisk).latencySeconds;
      expect(run.totalSeconds).toBeCloseTo(steady.totalSeconds + extra, 9);
    }
  });

  it("shows why sequential is fast: the same pages read sequentially or at random, on each disk", () => {
    const speed = (disk: "hdd" | "sata-ssd" | "nvme", pattern: "sequential" | "random") => {
      const cache = simulateCache({ pattern, capacity: 4096, accesses: 20_000, filePages: 200_000, seed: 3, logRequests: true });
      return (cache.accesses * 4096) / simulateDisk(disk, cache.requests!).totalSeconds;
    };
    expect(speed("hdd", "sequential") / speed("hdd", "random")).toBeGreaterThan(100);
    expect(speed("nvme", "sequential") / speed("nvme", "random")).toBeGreaterThan(5);
  });

  it("builds a measured profile from a calibration's two disk figures", () => {
    const d = measuredDisk({ sequentialBytesPerSecond: 2.2 * GiB, randomReadSeconds: 45e-6 });
    expect(d.kind).toBe("flash");
    expect(d.latencySeconds).toBeCloseTo(45e-6 - 4096 / (2.2 * GiB), 15);
    expect(estimateDiskSeconds(d, 4096, 4096, "random").totalSeconds).toBeCloseTo(45e-6, 15);
    // Its default capacity (16 TiB) is more blocks than an i32 holds: the simulator addresses the first 8 TiB.
    const far = simulateDisk(d, [{ firstPage: 0x7ffffffe, pages: 1 }]);
    expect(far.totalSeconds).toBeCloseTo(45e-6, 15);
    expect(() => simulateDisk(d, [{ firstPage: 2 ** 31, pages: 1 }])).toThrow(/firstPage must be a whole number from 0 to 2147483646/);
  });
});

describe("disk: bad input", () => {
  it("names the argument and the allowed range", () => {
    expect(() => simulateDisk("floppy" as never, [{ firstPage: 0, pages: 1 }])).toThrow(/disk must be one of hdd, sata-ssd, nvme/);
    expect(() => simulateDisk("hdd", [])).toThrow(/requests.length must be a whole number from 1/);
    expect(() => simulateDisk(TOY, [{ firstPage: 999, pages: 2 }])).toThrow(/requests\[0\].pages must be a whole number from 1 to 1/);
    expect(() => simulateDisk(TOY, [{ firstPage: -1, pages: 1 }])).toThrow(/requests\[0\].firstPage/);
    expect(() => simulateDisk("hdd", [{ firstPage: 0, pages: 1 }], { policy: "elevator" as never })).toThrow(/policy must be one of fifo, sstf, satf/);
    expect(() => simulateDisk({ ...TOY, rpm: -1 }, [{ firstPage: 0, pages: 1 }])).toThrow(/disk.rpm must be a finite number > 0/);
    expect(() => simulateDisk({ ...TOY, fullStrokeSeekSeconds: 0 }, [{ firstPage: 0, pages: 1 }])).toThrow(/fullStroke/);
    expect(() => measuredDisk({ sequentialBytesPerSecond: Number.NaN, randomReadSeconds: 1e-4 })).toThrow(/sequentialBytesPerSecond/);
    expect(() => estimateDiskSeconds("nvme", -1, 4096, "sequential")).toThrow(/bytes must be a finite number >= 0/);
  });
});
