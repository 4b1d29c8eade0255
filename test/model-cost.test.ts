// The cost model: each component is the counters times a parameter; warm/cold, serial/pipelined, fsync.
import { describe, it, expect } from "vitest";
import { modelTransfer } from "../src/model/transfer-model";
import { modelTime, costParameters, DEFAULT_COST_PARAMETERS, pipelineSeconds } from "../src/model/cost-model";
import { estimateDiskSeconds, measuredDisk, DISK_PROFILES } from "../src/model/disk";
import { PATHS } from "../src/model/vocabulary";
import { MiB, GiB } from "../src/units/sizes";


describe("cost model: components", () => {
  it("prices each counter with its parameter", () => {
    const counts = modelTransfer("read-write", GiB, 65536);
    const t = modelTime(counts);
    const p = DEFAULT_COST_PARAMETERS;
    expect(t.cpuCopySeconds).toBeCloseTo(counts.cpuBytes / p.cpuCopyBytesPerSecond, 12);
    expect(t.syscallSeconds).toBeCloseTo(counts.syscalls * p.syscallSeconds, 12);
    expect(t.modeSwitchSeconds).toBeCloseTo(counts.modeSwitches * p.modeSwitchSeconds, 12);
    expect(t.networkStackSeconds).toBeCloseTo(GiB * p.networkStackSecondsPerByte, 12);
    expect(t.nicSeconds).toBeCloseTo(GiB / p.nicBytesPerSecond, 12);
    expect(t.cpuSeconds).toBeCloseTo(
      t.cpuCopySeconds + t.syscallSeconds + t.modeSwitchSeconds + t.descriptorSeconds + t.pageFaultSeconds + t.networkStackSeconds, 12,
    );
  });

  it("spends less CPU the fewer copies a path makes: read+write > sendfile > sendfile with gather", () => {
    const cpu = (path: (typeof PATHS)[number]) => modelTime(modelTransfer(path, GiB, 65536)).cpuSeconds;
    expect(cpu("read-write")).toBeGreaterThan(cpu("sendfile"));
    expect(cpu("sendfile")).toBeGreaterThan(cpu("sendfile-sg"));
    expect(modelTime(modelTransfer("sendfile-sg", GiB)).cpuCopySeconds).toBe(0);
  });

  it("charges small chunks for their syscalls and mode switches", () => {
    const small = modelTime(modelTransfer("read-write", GiB, 4096));
    const big = modelTime(modelTransfer("read-write", GiB, MiB));
    expect(small.syscallSeconds / big.syscallSeconds).toBe(256);
    expect(small.cpuCopySeconds).toBe(big.cpuCopySeconds);
  });

  it("charges mmap-write its page faults", () => {
    const t = modelTime(modelTransfer("mmap-write", GiB));
    expect(t.pageFaultSeconds).toBeCloseTo((GiB / 65536) * DEFAULT_COST_PARAMETERS.pageFaultSeconds, 12);
  });
});

describe("cost model: cache, writeback and pipelining", () => {
  it("reads from disk only when the cache is cold", () => {
    const counts = modelTransfer("sendfile", GiB);
    expect(modelTime(counts, DEFAULT_COST_PARAMETERS, { cache: "warm" }).diskSeconds).toBe(0);
    const cold = modelTime(counts, DEFAULT_COST_PARAMETERS, { cache: "cold" });
    expect(cold.diskSeconds).toBeCloseTo(estimateDiskSeconds("nvme", GiB, 131072, "sequential").totalSeconds, 12);
  });

  it("waits for writeback only with fsync", () => {
    const lazy = modelTime(modelTransfer("recv-write", GiB, 65536));
    const sync = modelTime(modelTransfer("recv-write-fsync", GiB, 65536));
    expect([lazy.diskSeconds, sync.deferredDiskSeconds]).toEqual([0, 0]);
    expect(lazy.deferredDiskSeconds).toBeGreaterThan(0);
    expect(sync.diskSeconds).toBeGreaterThan(lazy.deferredDiskSeconds); // one request per fsync, not per 128 KiB
    expect(sync.wallSeconds).toBeGreaterThan(lazy.wallSeconds);
  });

  it("overlaps stages when pipelined: never slower than serial, never faster than the slowest stage", () => {
    for (const path of PATHS) {
      for (const cache of ["warm", "cold"] as const) {
        const counts = modelTransfer(path, GiB, 65536);
        const t = modelTime(counts, DEFAULT_COST_PARAMETERS, { cache, pipelined: true });
        expect(t.wallSeconds).toBe(t.pipelinedSeconds);
        expect(t.pipelinedSeconds).toBeLessThanOrEqual(t.serialSeconds * (1 + 1e-12));
        expect(t.pipelinedSeconds).toBeGreaterThanOrEqual(Math.max(t.cpuSeconds, t.diskSeconds, t.nicSeconds) * (1 - 1e-12));
        expect(t.bytesPerSecond).toBeCloseTo(GiB / t.pipelinedSeconds, 3);
      }
    }
  });

  it("has nothing to overlap with a single chunk", () => {
    expect(pipelineSeconds([1, 2, 3], 1)).toBe(6);
    expect(pipelineSeconds([1, 2, 3], 3)).toBeCloseTo(1 / 3 + 2 / 3 + 1 + 2 * 1, 12);
  });

  it("names the bottleneck: a 1 GbE NIC, or a cold HDD", () => {
    const counts = modelTransfer("sendfile", GiB, 65536);
    expect(modelTime(counts, costParameters({ nicBytesPerSecond: 125e6 }), { pipelined: true }).bottleneck).toBe("nic");
    expect(modelTime(counts, costParameters({ disk: "hdd", nicBytesPerSecond: 10e9 }), { cache: "cold", pipelined: true }).bottleneck).toBe("disk");
    expect(modelTime(counts, costParameters({ nicBytesPerSecond: 100e9, cpuCopyBytesPerSecond: 1e9 }), { pipelined: true }).bottleneck).toBe("cpu");
  });
});

describe("cost model: parameters", () => {
  it("fills what a calibration did not measure with the defaults", () => {
    const p = costParameters({ cpuCopyBytesPerSecond: 5e9, disk: measuredDisk({ sequentialBytesPerSecond: 2e9, randomReadSeconds: 50e-6 }) });
    expect(p.cpuCopyBytesPerSecond).toBe(5e9);
    expect(p.syscallSeconds).toBe(DEFAULT_COST_PARAMETERS.syscallSeconds);
    expect(p.disk.name).toBe("measured");
    expect(costParameters({ disk: "hdd" }).disk).toEqual(DISK_PROFILES.hdd);
  });

  it("rejects unknown, non-finite, zero and negative parameters by name", () => {
    expect(() => costParameters({ cpuCopyBytesPerSecond: 0 })).toThrow(/cpuCopyBytesPerSecond must be a finite number > 0, got 0/);
    expect(() => costParameters({ syscallSeconds: -1 })).toThrow(/syscallSeconds/);
    expect(() => costParameters({ nicBytesPerSecond: Number.POSITIVE_INFINITY })).toThrow(/nicBytesPerSecond/);
    expect(() => costParameters({ warpFactor: 9 } as never)).toThrow(/unknown cost parameter warpFactor/);
    expect(() => costParameters({ disk: "tape" as never })).toThrow(/disk must be one of/);
  });

  it("rejects records that are not modelTransfer counts, and bad options", () => {
    const counts = modelTransfer("sendfile", 4096);
    expect(() => modelTime({ ...counts, cpuBytes: -1 })).toThrow(/counts.cpuBytes/);
    expect(() => modelTime({ ...counts, path: "teleport" as never })).toThrow(/counts.path must be one of/);
    expect(() => modelTime(counts, DEFAULT_COST_PARAMETERS, { cache: "lukewarm" as never })).toThrow(/cache must be one of warm, cold/);
    expect(() => modelTime(counts, DEFAULT_COST_PARAMETERS, { pipelined: "yes" as never })).toThrow(/pipelined must be true or false/);
  });
});
