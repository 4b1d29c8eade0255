// The cost model's page cache, disk, producer and broker equations (src/model/cost/storage.ts, producer.ts,
// broker.ts): synthetic machines worked out by hand, and the orderings the chapters teach.
import { describe, it, expect } from "vitest";
import fc from "fast-check";
import { readCost, writeCost, producerCost, brokerServingCost, MachineParameters, TEXTBOOK_MACHINE, READ_KINDS, FSYNC_POLICIES } from "../src/model/cost";
import { KiB, MiB, GiB } from "../src/units/sizes";


/** Copies at 1 GiB/s, the disk at 0.5 GiB/s sequential and 100 µs per random read; everything else negligible. */
const SIMPLE: MachineParameters = {
  ...TEXTBOOK_MACHINE.parameters,
  copyBytesPerSecond: GiB,
  syscallSeconds: 1e-30,
  diskSequentialBytesPerSecond: GiB / 2,
  diskRandomReadSeconds: 100e-6,
};

describe("page cache and disk, by hand", () => {
  it("a warm read of 1 GiB is one copy: 1 s at 1 GiB/s, no disk bytes", () => {
    const r = readCost(SIMPLE, "warm", GiB, MiB);
    expect(r.seconds).toBeCloseTo(1, 9);
    expect(r.diskBytes).toBe(0);
    expect(r.syscalls).toBe(1024);
  });

  it("a cold sequential read streams at the disk's rate: 2 s for 1 GiB at 0.5 GiB/s, plus one request's latency", () => {
    expect(readCost(SIMPLE, "cold-sequential", GiB, MiB).seconds).toBeCloseTo(2 + 100e-6, 9);
  });

  it("cold random 4 KiB reads wait for the disk each time: 1,000 reads take 0.1 s of latency", () => {
    const r = readCost(SIMPLE, "cold-random", 1000 * 4 * KiB, 4 * KiB);
    expect(r.seconds).toBeCloseTo(1000 * 100e-6 + (1000 * 4 * KiB) / GiB, 9);
  });

  it("direct I/O pays the latency and the transfer per request, and copies nothing", () => {
    const r = readCost(SIMPLE, "direct", 1000 * 4 * KiB, 4 * KiB);
    expect(r.cpuSeconds).toBeLessThan(1e-20);
    expect(r.seconds).toBeCloseTo(1000 * (100e-6 + (4 * KiB) / (GiB / 2)), 9);
  });

  it("a buffered write returns once the pages are dirty; fsync at the end waits for one flush; fsync each, for one per write", () => {
    const none = writeCost(SIMPLE, "none", GiB, MiB);
    const end = writeCost(SIMPLE, "end", GiB, MiB);
    const each = writeCost(SIMPLE, "each", GiB, MiB);
    expect(none.seconds).toBeCloseTo(1, 9);
    expect(end.seconds).toBeCloseTo(1 + 2 + 100e-6, 9);
    expect(each.seconds).toBeCloseTo(1 + 1024 * (100e-6 + MiB / (GiB / 2)), 9);
    expect([none.syscalls, end.syscalls, each.syscalls]).toEqual([1024, 1025, 2048]);
    expect(none.diskBytes).toBe(0);
  });

  it("every kind of read and write costs more for more bytes", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 2 ** 32 }), fc.integer({ min: 1, max: 2 ** 28 }), fc.constantFrom(4 * KiB, 64 * KiB, MiB), (bytes, extra, call) => {
        for (const kind of READ_KINDS) expect(readCost(TEXTBOOK_MACHINE.parameters, kind, bytes + extra, call).seconds).toBeGreaterThanOrEqual(readCost(TEXTBOOK_MACHINE.parameters, kind, bytes, call).seconds);
        for (const fsync of FSYNC_POLICIES) expect(writeCost(TEXTBOOK_MACHINE.parameters, fsync, bytes + extra, call).seconds).toBeGreaterThanOrEqual(writeCost(TEXTBOOK_MACHINE.parameters, fsync, bytes, call).seconds);
      }),
      { numRuns: 100 },
    );
  });

  it("sequential beats random through the page cache, and the gap is the readahead, not a seek", () => {
    const sequential = readCost(TEXTBOOK_MACHINE.parameters, "cold-sequential", 64 * MiB, 4 * KiB);
    const random = readCost(TEXTBOOK_MACHINE.parameters, "cold-random", 64 * MiB, 4 * KiB);
    const direct = readCost(TEXTBOOK_MACHINE.parameters, "direct", 64 * MiB, 4 * KiB);
    expect(random.seconds / sequential.seconds).toBeGreaterThan(10);
    // without readahead, 4 KiB requests in order cost what they cost at random: the latency of each
    expect(direct.seconds / random.seconds).toBeGreaterThan(0.9);
    expect(direct.seconds / random.seconds).toBeLessThan(1.1);
  });

  it("rejects a bad kind or policy, naming the choices", () => {
    expect(() => readCost(SIMPLE, "tepid" as "warm", GiB, MiB)).toThrow(/kind must be one of warm, cold-sequential, cold-random, direct/);
    expect(() => writeCost(SIMPLE, "sometimes" as "none", GiB, MiB)).toThrow(/fsync must be one of none, end, each/);
    expect(() => readCost(SIMPLE, "warm", GiB, 0)).toThrow(/callBytes must be a whole number/);
  });
});

describe("the producer's side", () => {
  it("acknowledging from the page cache never waits longer than fsync at the end, which never waits longer than fsync per append", () => {
    fc.assert(
      fc.property(fc.integer({ min: 4 * KiB, max: 2 ** 31 }), fc.constantFrom(4 * KiB, 64 * KiB, MiB), (bytes, append) => {
        const t = (policy: "page-cache" | "fsync-end" | "fsync-each") => producerCost(TEXTBOOK_MACHINE.parameters, policy, bytes, append).ackSeconds;
        expect(t("page-cache")).toBeLessThanOrEqual(t("fsync-end"));
        expect(t("fsync-end")).toBeLessThanOrEqual(t("fsync-each"));
      }),
      { numRuns: 100 },
    );
  });

  it("by hand: 1 GiB with fsync at the end on the simple machine waits one 2 s flush after the network part", () => {
    const pageCache = producerCost(SIMPLE, "page-cache", GiB, MiB);
    const end = producerCost(SIMPLE, "fsync-end", GiB, MiB);
    expect(end.ackSeconds - pageCache.ackSeconds).toBeCloseTo(2 + 100e-6, 6);
    expect(pageCache.durableBytesAtAck).toBe(0);
    expect(end.durableBytesAtAck).toBe(GiB);
  });
});

describe("the broker serving fetches (for chapter 6)", () => {
  const measuredLike: MachineParameters = {
    ...TEXTBOOK_MACHINE.parameters, jsCallSeconds: 1e-6, jsBufferSecondsPerByte: 0.15e-9, streamChunkSeconds: 3e-5,
    tcpSendSecondsPerByte: 1.2e-10, tcpSendBorrowedSecondsPerByte: 3e-10, copyBytesPerSecond: 9e9,
  };

  it("sendfile serving costs the broker less CPU per GiB than read+write serving, at every fetch size, on both machines", () => {
    fc.assert(
      fc.property(fc.integer({ min: 4 * KiB, max: 64 * MiB }), (fetchBytes) => {
        for (const m of [TEXTBOOK_MACHINE.parameters, measuredLike]) {
          const sendfile = brokerServingCost(m, { mode: "sendfile", bytes: GiB, fetchBytes });
          const readWrite = brokerServingCost(m, { mode: "read-write", bytes: GiB, fetchBytes });
          expect(sendfile.cpuSecondsPerGiB).toBeLessThan(readWrite.cpuSecondsPerGiB);
        }
      }),
      { numRuns: 100 },
    );
  });

  it("counts its calls: 1 MiB fetches of 1 GiB are 1,024 header writes and 1,024 sendfile calls, or 1,024 header writes and 16,384 reads + 16,384 writes of 64 KiB", () => {
    expect(brokerServingCost(SIMPLE, { mode: "sendfile", bytes: GiB, fetchBytes: MiB }).dataSyscallsPerGiB).toBe(2048);
    expect(brokerServingCost(SIMPLE, { mode: "read-write", bytes: GiB, fetchBytes: MiB }).dataSyscallsPerGiB).toBe(1024 + 2 * 16384);
    expect(brokerServingCost(SIMPLE, { mode: "read-write", bytes: GiB, fetchBytes: MiB }).copiesPerByte).toBe(2);
    // an 8 MiB fetch takes two sendfile calls of at most 4 MiB each, a 16 MiB one four
    expect(brokerServingCost(SIMPLE, { mode: "sendfile", bytes: GiB, fetchBytes: 8 * MiB }).dataSyscallsPerGiB).toBe(128 * 3);
    expect(brokerServingCost(SIMPLE, { mode: "sendfile", bytes: GiB, fetchBytes: 16 * MiB }).dataSyscallsPerGiB).toBe(64 * 5);
    // one 1 MiB chunk per pread + write
    expect(brokerServingCost(SIMPLE, { mode: "read-write", bytes: GiB, fetchBytes: MiB, sending: { sendfileCallBytes: 4 * MiB, chunkBytes: MiB } }).dataSyscallsPerGiB).toBe(1024 * 3);
  });

  it("names the per-byte loopback work in its price: page references for sendfile, copied bytes for read+write", () => {
    const m: MachineParameters = { ...TEXTBOOK_MACHINE.parameters, tcpSendBorrowedSecondsPerByte: 3 / GiB, tcpSendSecondsPerByte: 1 / GiB };
    for (const [mode, loopback] of [["sendfile", 3], ["read-write", 1]] as const) {
      const c = brokerServingCost(m, { mode, bytes: GiB, fetchBytes: 8 * MiB });
      expect(c.loopbackSecondsPerGiB).toBeCloseTo(loopback, 9);
      expect(c.cpuSecondsPerGiB).toBeGreaterThan(c.loopbackSecondsPerGiB);
    }
  });

  it("its parts add up to its total", () => {
    for (const mode of ["sendfile", "read-write"] as const) {
      const c = brokerServingCost(TEXTBOOK_MACHINE.parameters, { mode, bytes: GiB, fetchBytes: 8 * MiB });
      expect(c.terms.reduce((s, t) => s + t.secondsPerGiB, 0)).toBeCloseTo(c.cpuSecondsPerGiB, 12);
    }
  });

  it("read+write serving copies every byte twice: at 1 GiB/s that alone is 2 CPU-s per GiB; sendfile copies none", () => {
    const copiesOnly: MachineParameters = { ...SIMPLE, jsCallSeconds: 0, tcpSendSecondsPerByte: 0, tcpSendCallSeconds: 0, tcpSendBorrowedSecondsPerByte: 0 };
    const readWrite = brokerServingCost(copiesOnly, { mode: "read-write", bytes: GiB, fetchBytes: MiB });
    expect(readWrite.cpuSecondsPerGiB).toBeCloseTo(2, 6);
    expect(readWrite.copiesPerByte).toBe(2);
    const sendfile = brokerServingCost(copiesOnly, { mode: "sendfile", bytes: GiB, fetchBytes: MiB });
    expect(sendfile.copiesPerByte).toBe(0);
    expect(sendfile.cpuSecondsPerGiB).toBeLessThan(1e-6);
  });

  it("C consumers: the broker serves C times the bytes for C times the CPU, the same per GiB; the disk is read once", () => {
    for (const mode of ["sendfile", "read-write"] as const) {
      const one = brokerServingCost(measuredLike, { mode, bytes: 256 * MiB, consumers: 1, cache: "cold" });
      for (const consumers of [2, 4, 8]) {
        const many = brokerServingCost(measuredLike, { mode, bytes: 256 * MiB, consumers, cache: "cold" });
        expect(many.bytesServed).toBe(consumers * 256 * MiB);
        expect(many.cpuSeconds).toBeCloseTo(consumers * one.cpuSeconds, 12);
        expect(many.cpuSecondsPerGiB).toBeCloseTo(one.cpuSecondsPerGiB, 12);
        expect(many.diskBytes).toBe(256 * MiB);
        expect(many.fetches).toBe(consumers * 256);
      }
    }
  });

  it("a cold log costs the disk's time once (1 GiB at 0.5 GiB/s: 2 s), a warm one none", () => {
    const slowDisk: MachineParameters = { ...SIMPLE, diskSequentialBytesPerSecond: GiB / 2, diskRandomReadSeconds: 1e-30 };
    const cold = brokerServingCost(slowDisk, { mode: "sendfile", bytes: GiB, consumers: 4, cache: "cold" });
    expect(cold.diskSeconds).toBeCloseTo(2, 9);
    expect(cold.brokerSeconds).toBeCloseTo(Math.max(2, cold.cpuSeconds), 9);
    const warm = brokerServingCost(slowDisk, { mode: "sendfile", bytes: GiB, consumers: 4 });
    expect(warm.diskBytes).toBe(0);
    expect(warm.diskSeconds).toBe(0);
  });

  it("larger fetches cost less per GiB (fewer responses to handle), never more", () => {
    for (const mode of ["sendfile", "read-write"] as const) {
      const perGiB = (fetchBytes: number) => brokerServingCost(measuredLike, { mode, bytes: GiB, fetchBytes }).cpuSecondsPerGiB;
      expect(perGiB(64 * KiB)).toBeGreaterThan(perGiB(MiB));
      expect(perGiB(MiB)).toBeGreaterThanOrEqual(perGiB(16 * MiB));
    }
  });

  it("rejects an unknown mode, no consumers and an empty fetch, naming them", () => {
    expect(() => brokerServingCost(SIMPLE, { mode: "mmap" as "sendfile", bytes: GiB })).toThrow(/mode must be one of sendfile, read-write/);
    expect(() => brokerServingCost(SIMPLE, { mode: "sendfile", bytes: GiB, consumers: 0 })).toThrow(/consumers must be a whole number from 1/);
    expect(() => brokerServingCost(SIMPLE, { mode: "sendfile", bytes: GiB, fetchBytes: 0 })).toThrow(/fetchBytes must be a whole number of bytes/);
  });
});
