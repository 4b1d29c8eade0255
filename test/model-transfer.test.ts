// The data-path model's counters for one transfer, as the seed's diagram and the IBM article state them.
import { describe, it, expect } from "vitest";
import { modelTransfer, pathSteps } from "../src/model/transfer-model";
import { MAX_RW_COUNT } from "../src/model/vocabulary";

describe("modelTransfer", () => {
  it("read+write: 2 DMA + 2 CPU copies, 4 mode switches, 2 syscalls", () => {
    const r = modelTransfer("read-write", 1 << 20);
    expect([r.dmaCopies, r.cpuCopies, r.modeSwitches, r.syscalls]).toEqual([2, 2, 4, 2]);
  });

  it("sendfile: 2 DMA + 1 CPU copy, 2 mode switches, 1 syscall", () => {
    const r = modelTransfer("sendfile", 1 << 20);
    expect([r.dmaCopies, r.cpuCopies, r.modeSwitches, r.syscalls]).toEqual([2, 1, 2, 1]);
  });

  it("scales syscalls and mode switches with the number of chunks", () => {
    const r = modelTransfer("read-write", 10 * 4096 + 1, 4096);
    expect(r.chunks).toBe(11);
    expect(r.syscalls).toBe(22);
    expect(r.modeSwitches).toBe(44);
    expect(r.cpuBytes).toBe(2 * (10 * 4096 + 1));
  });

  it("splits a sendfile larger than MAX_RW_COUNT into several calls", () => {
    const r = modelTransfer("sendfile", 3 * MAX_RW_COUNT, 2 ** 40);
    expect(r.chunks).toBe(3);
    expect(r.syscalls).toBe(3);
  });

  it("rejects bad input with an error naming the argument", () => {
    expect(() => modelTransfer("read-write", -1)).toThrow(/bytes must be a whole number of bytes from 1/);
    expect(() => modelTransfer("read-write", 0)).toThrow(RangeError);
    expect(() => modelTransfer("read-write", Number.NaN)).toThrow(/bytes/);
    expect(() => modelTransfer("read-write", 1.5)).toThrow(/bytes/);
    expect(() => modelTransfer("read-write", 2 ** 60)).toThrow(/1 PiB/);
    expect(() => modelTransfer("read-write", 4096, 0)).toThrow(/chunk/);
    expect(() => modelTransfer("carrier-pigeon" as never, 4096)).toThrow(/path must be one of read-write/);
  });

  it("walks the seed's steps 2.1-2.5 and 3.1-3.3 in order", () => {
    const labels = (p: "read-write" | "sendfile") => [...new Set(pathSteps(p).perChunk.map((s) => s.seedStep))];
    expect(labels("read-write")).toEqual(["2.1", "2.2", "2.3", "2.4", "2.5"]);
    expect(labels("sendfile")).toEqual(["3.1", "3.2", "3.3"]);
  });
});
