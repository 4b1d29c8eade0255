// The cost model of a loopback transfer (src/model/cost/transfer.ts): physics, not a copy of the formula.
// Properties over sizes and machines (monotone in bytes, zero-copy cheaper for the sender, the slower side sets the
// time), synthetic machines whose parameters the test chooses so the answer can be worked out by hand, exact
// system-call counts for given buffer sizes, and a few golden values of the textbook machine.
import { describe, it, expect } from "vitest";
import fc from "fast-check";
import {
  predictTransfer, LOOPBACK_PATHS, LoopbackPath, MachineParameters, TEXTBOOK_MACHINE, sendQueueCycles, pairTime, parameterProblems,
} from "../src/model/cost";
import { modelTransfer } from "../src/model/transfer-model";
import { KiB, MiB, GiB } from "../src/units/sizes";


/** A machine where everything but what a test names costs (next to) nothing: its answers follow by hand. */
function synthetic(overrides: Partial<MachineParameters>): MachineParameters {
  return {
    copyBytesPerSecond: 1e30,
    syscallSeconds: 1e-30,
    jsCallSeconds: 0,
    jsBufferSecondsPerByte: 0,
    streamChunkSeconds: 0,
    pageFaultSeconds: 1e-30,
    freshHeapBytes: 0,
    tcpSendSecondsPerByte: 0,
    tcpSendCallSeconds: 0,
    tcpReceiveSecondsPerByte: 0,
    tcpSendBorrowedSecondsPerByte: 0,
    checksumBytesPerSecond: 1e30,
    socketSendBufferBytes: 4 * MiB,
    pipeBytes: MiB,
    diskSequentialBytesPerSecond: 1e30,
    diskRandomReadSeconds: 1e-30,
    ...overrides,
  };
}

/** Parameters in the range this two-core VM measured (a full profile of December 2026), for the properties. */
const MEASURED_LIKE: MachineParameters = {
  copyBytesPerSecond: 1.11e10,
  syscallSeconds: 8.0e-8,
  jsCallSeconds: 1.0e-6,
  jsBufferSecondsPerByte: 0.15e-9,
  streamChunkSeconds: 3.0e-5,
  pageFaultSeconds: 1.6e-6,
  freshHeapBytes: 30 * MiB,
  tcpSendSecondsPerByte: 2.07e-10,
  tcpSendCallSeconds: 8.1e-6,
  tcpReceiveSecondsPerByte: 8.1e-11,
  tcpSendBorrowedSecondsPerByte: 3.2e-10,
  checksumBytesPerSecond: 5.6e9,
  socketSendBufferBytes: 4 * MiB,
  pipeBytes: MiB,
  diskSequentialBytesPerSecond: 1.8e9,
  diskRandomReadSeconds: 7.4e-5,
};

const MACHINES: [string, MachineParameters][] = [
  ["textbook", TEXTBOOK_MACHINE.parameters],
  ["measured-like", MEASURED_LIKE],
];

describe("transfer model: a synthetic machine, worked out by hand", () => {
  it("1 GiB at 1 GiB/s of copying: the copy loops copy twice on the sender (2 s), the receiver once (1 s)", () => {
    const m = synthetic({ copyBytesPerSecond: GiB });
    const t = predictTransfer(m, "c-read-write", GiB);
    expect(t.sender.cpuSeconds).toBeCloseTo(2, 9);
    expect(t.receiver.cpuSeconds).toBeCloseTo(1, 9);
    expect(t.wallSeconds).toBeCloseTo(2, 9);
    expect(t.bottleneck).toBe("sender");
    expect(t.senderCopiesPerByte).toBe(2);
    expect(t.receiverCopiesPerByte).toBe(1);
  });

  it("the same machine sends by sendfile with no copy on the sender: the receiver's one copy sets the time (1 s)", () => {
    const m = synthetic({ copyBytesPerSecond: GiB });
    const t = predictTransfer(m, "sendfile", GiB);
    expect(t.sender.cpuSeconds).toBeLessThan(1e-9);
    expect(t.senderCopiesPerByte).toBe(0);
    expect(t.wallSeconds).toBeCloseTo(1, 9);
    expect(t.bottleneck).toBe("receiver");
  });

  it("a receiver checksumming at 0.5 GiB/s takes 2 s for 1 GiB whatever the path", () => {
    const m = synthetic({ checksumBytesPerSecond: GiB / 2 });
    for (const path of LOOPBACK_PATHS) {
      const t = predictTransfer(m, path, GiB);
      expect(t.receiver.cpuSeconds, path).toBeCloseTo(2, 9);
      expect(t.wallSeconds, path).toBeCloseTo(2, 9);
    }
  });

  it("10 µs of JavaScript per 64 KiB chunk: 16,384 chunks per GiB cost the read-write loop 0.16384 s", () => {
    const m = synthetic({ jsCallSeconds: 10e-6 });
    expect(predictTransfer(m, "read-write", GiB).sender.cpuSeconds).toBeCloseTo(0.16384, 9);
    expect(predictTransfer(m, "c-read-write", GiB).sender.cpuSeconds).toBeLessThan(1e-9);
  });

  it("Node's fresh chunk Buffers at 1 ns/B: both JavaScript paths pay 2^30 ns for 1 GiB whatever the chunk, the native loops nothing", () => {
    const m = synthetic({ jsBufferSecondsPerByte: 1e-9 });
    for (const path of ["read-write", "stream"] as const) {
      for (const chunk of [4 * KiB, 64 * KiB]) expect(predictTransfer(m, path, GiB, { chunk }).sender.cpuSeconds, `${path} ${chunk}`).toBeCloseTo(GiB * 1e-9, 9);
    }
    for (const path of ["c-read-write", "sendfile", "splice"] as const) expect(predictTransfer(m, path, GiB).sender.cpuSeconds, path).toBeLessThan(1e-9);
  });

  it("a per-call cost is paid per chunk: 1 µs per call costs the 4 KiB loop 16 times what it costs the 64 KiB loop", () => {
    const m = synthetic({ jsCallSeconds: 1e-6 });
    const at = (chunk: number) => predictTransfer(m, "read-write", GiB, { chunk }).sender.cpuSeconds;
    expect(at(4 * KiB)).toBeCloseTo(262144e-6, 9);
    expect(at(4 * KiB) / at(64 * KiB)).toBeCloseTo(16, 9);
  });

  it("a new process's heap grows by 32 MiB: the JS paths fault in 8,192 pages at 1 µs each (8.192 ms), however large the file", () => {
    const m = synthetic({ freshHeapBytes: 32 * MiB, pageFaultSeconds: 1e-6 });
    for (const bytes of [64 * MiB, GiB, 8 * GiB]) {
      const t = predictTransfer(m, "read-write", bytes);
      expect(t.pageFaults).toBe(8192);
      expect(t.sender.cpuSeconds).toBeCloseTo(8.192e-3, 9);
    }
    // a file smaller than the growth: every page of every chunk is new memory, 16 MiB = 4,096 pages
    expect(predictTransfer(m, "stream", 16 * MiB).pageFaults).toBe(4096);
    // the native loops reuse one buffer (or none): no growth
    expect(predictTransfer(m, "c-read-write", GiB).pageFaults).toBe(0);
    expect(predictTransfer(m, "sendfile", GiB).pageFaults).toBe(0);
  });

  it("the heap's faults make small files dearer per GiB than large ones for the JS loops, not for the native ones", () => {
    const m = synthetic({ freshHeapBytes: 32 * MiB, pageFaultSeconds: 1e-6, copyBytesPerSecond: GiB });
    const perGiB = (path: LoopbackPath, bytes: number) => (predictTransfer(m, path, bytes).sender.cpuSeconds / bytes) * GiB;
    expect(perGiB("read-write", 16 * MiB)).toBeGreaterThan(perGiB("read-write", GiB));
    expect(perGiB("c-read-write", 16 * MiB)).toBeCloseTo(perGiB("c-read-write", GiB), 9);
  });

  it("loopback TCP at 1 ns/B on each side: 1 GiB costs each side 2^30 ns; page references cost the sender the borrowed rate", () => {
    const m = synthetic({ tcpSendSecondsPerByte: 1e-9, tcpReceiveSecondsPerByte: 1e-9, tcpSendBorrowedSecondsPerByte: 0.5e-9 });
    const copied = predictTransfer(m, "c-read-write", GiB);
    expect(copied.sender.cpuSeconds).toBeCloseTo(GiB * 1e-9, 9);
    expect(copied.receiver.cpuSeconds).toBeCloseTo(GiB * 1e-9, 9);
    const borrowed = predictTransfer(m, "splice", GiB);
    expect(borrowed.sender.cpuSeconds).toBeCloseTo(GiB * 0.5e-9, 9);
    // the receiver copies out of referenced segments as out of copied ones: the same bookkeeping per byte
    expect(borrowed.receiver.cpuSeconds).toBeCloseTo(GiB * 1e-9, 9);
  });

  it("a 2 µs send call: 16,384 writes of 64 KiB per GiB, one sendfile call", () => {
    // the receiver is made slower than everything, so no send queue fills and no refill adds calls
    const m = synthetic({ tcpSendCallSeconds: 2e-6, checksumBytesPerSecond: 1e6 });
    const writes = predictTransfer(m, "read-write", GiB);
    expect(writes.sendCalls).toBe(16384);
    expect(writes.sender.cpuSeconds).toBeCloseTo(16384 * 2e-6, 9);
  });

  it("with one free core the two sides take turns: wall = sender + receiver", () => {
    const m = synthetic({ copyBytesPerSecond: GiB });
    const t = predictTransfer(m, "c-read-write", GiB, { freeCores: 1 });
    expect(t.wallSeconds).toBeCloseTo(3, 9);
    expect(t.bottleneck).toBe("cores");
  });

  it("a link of 125 MB/s (1 Gbit/s) carries 1 GB in 8 s, slower than both sides", () => {
    const m = synthetic({ copyBytesPerSecond: GiB });
    const t = predictTransfer(m, "sendfile", 1e9, { linkBytesPerSecond: 125e6 });
    expect(t.wallSeconds).toBeCloseTo(8, 9);
    expect(t.bottleneck).toBe("link");
  });

  it("a cold cache makes the sender wait for the disk: 1 GiB at 0.5 GiB/s takes 2 s (readahead overlaps the CPU)", () => {
    const m = synthetic({ diskSequentialBytesPerSecond: GiB / 2, copyBytesPerSecond: 4 * GiB });
    const t = predictTransfer(m, "c-read-write", GiB, { cache: "cold" });
    expect(t.wallSeconds).toBeCloseTo(2, 6);
    expect(t.sender.cpuSeconds).toBeCloseTo(0.5, 9); // the CPU does not wait: two copies at 4 GiB/s
  });
});

describe("transfer model: system calls from the buffer sizes", () => {
  // a sender infinitely faster than its receiver: each call fills the 4 MiB send buffer, each refill offers a third
  const fastSender = synthetic({ tcpReceiveSecondsPerByte: 1e-9 });

  it("sendfile of 1 GiB through a 4 MiB send buffer: one 4 MiB call, then (1020 MiB) / (4/3 MiB) = 765 refills of 3 calls", () => {
    const t = predictTransfer(fastSender, "sendfile", GiB);
    expect(t.sendQueue.cycles).toBe(765);
    expect(t.polls).toBe(765);
    expect(t.syscalls).toBe(1 + 3 * 765);
  });

  it("a sender half as fast as the receiver drains fills the queue at half speed: refills of 8/3 MiB, (1024 - 8) / (8/3) = 381", () => {
    const m = synthetic({ tcpSendBorrowedSecondsPerByte: 1e-9, tcpReceiveSecondsPerByte: 2e-9 });
    const t = predictTransfer(m, "sendfile", GiB);
    expect(t.sendQueue.cycles).toBe(381);
    expect(t.syscalls).toBe(1 + 3 * 381);
  });

  it("a larger send buffer means fewer calls: 16 MiB -> (1024 - 16) / (16/3) = 189 refills", () => {
    const t = predictTransfer({ ...fastSender, socketSendBufferBytes: 16 * MiB }, "sendfile", GiB);
    expect(t.syscalls).toBe(1 + 3 * 189);
  });

  it("splice moves a pipe-full per pair of calls: 1 GiB through a 1 MiB pipe is 2,048 calls, through 64 KiB 32,768, plus the refills", () => {
    const oneMiB = predictTransfer(fastSender, "splice", GiB);
    expect(oneMiB.syscalls).toBe(2048 + 3 * 765);
    const small = predictTransfer({ ...fastSender, pipeBytes: 64 * KiB }, "splice", GiB);
    expect(small.syscalls).toBe(32768 + 3 * 765);
  });

  it("a sender no faster than its receiver never finds the socket full: sendfile is one call per 2 GiB", () => {
    const slowSender = synthetic({ tcpSendBorrowedSecondsPerByte: 2e-9, tcpReceiveSecondsPerByte: 1e-9 });
    expect(predictTransfer(slowSender, "sendfile", GiB).syscalls).toBe(1);
    expect(predictTransfer(slowSender, "sendfile", 5 * GiB).syscalls).toBe(3); // MAX_RW_COUNT = 2 GiB - 4 KiB per call
  });

  it("the JS loops count what they call: read-write 2 per chunk, stream 4 (pread, write, and the thread pool's eventfd write + read)", () => {
    for (const chunk of [4 * KiB, 64 * KiB, MiB]) {
      expect(predictTransfer(fastSender, "read-write", GiB, { chunk }).syscalls).toBe((2 * GiB) / chunk);
      expect(predictTransfer(fastSender, "stream", GiB, { chunk }).syscalls).toBe((4 * GiB) / chunk);
    }
  });

  it("the C loop's calls: a read and a write per chunk, plus the refills of a full socket", () => {
    const t = predictTransfer(fastSender, "c-read-write", GiB);
    expect(t.syscalls).toBe(2 * 16384 + 3 * t.sendQueue.cycles);
    expect(t.sendQueue.cycles).toBe(765);
  });

  it("send-queue cycles by hand: 10 MiB, s/r = 0, 3 MiB buffer -> first call 3 MiB, (10 - 3) / 1 = 7 refills", () => {
    const q = sendQueueCycles(10 * MiB, 0, 1e-9, 3 * MiB);
    expect(q.firstCallBytes).toBe(3 * MiB);
    expect(q.bytesPerCycle).toBe(MiB);
    expect(q.cycles).toBe(7);
    expect(q.extraSyscalls).toBe(21);
  });

  it("counts the same calls and copies as the WebAssembly model's step tables", () => {
    for (const [path, wasm] of [["c-read-write", "read-write"], ["sendfile", "sendfile-sg"], ["splice", "splice"]] as const) {
      const slow = synthetic({ tcpSendSecondsPerByte: 1e-9, tcpSendBorrowedSecondsPerByte: 1e-9 }); // no refills
      const t = predictTransfer(slow, path, 256 * MiB);
      const counts = modelTransfer(wasm, 256 * MiB, path === "c-read-write" ? 64 * KiB : undefined, { pipeSize: MiB });
      expect(t.syscalls, path).toBe(counts.syscalls);
      expect(t.senderCopiesPerByte, path).toBe(counts.cpuBytes / (256 * MiB));
    }
  });
});

describe("transfer model: properties on realistic machines", () => {
  const sizes = fc.integer({ min: 1, max: 2 ** 34 });

  for (const [label, machine] of MACHINES) {
    it(`${label}: time, each side's CPU and the system calls never fall when the file grows`, () => {
      fc.assert(
        fc.property(sizes, fc.integer({ min: 1, max: GiB }), fc.constantFrom(...LOOPBACK_PATHS), (bytes, extra, path) => {
          const a = predictTransfer(machine, path, bytes);
          const b = predictTransfer(machine, path, bytes + extra);
          expect(b.wallSeconds).toBeGreaterThanOrEqual(a.wallSeconds);
          expect(b.sender.cpuSeconds).toBeGreaterThanOrEqual(a.sender.cpuSeconds);
          expect(b.receiver.cpuSeconds).toBeGreaterThanOrEqual(a.receiver.cpuSeconds);
          expect(b.syscalls).toBeGreaterThanOrEqual(a.syscalls);
        }),
        { numRuns: 200 },
      );
    });

    it(`${label}: sendfile and splice cost the sender less CPU than every copy loop, at every size`, () => {
      fc.assert(
        fc.property(fc.integer({ min: 64 * KiB, max: 2 ** 34 }), (bytes) => {
          const copyLoops = (["stream", "read-write", "c-read-write"] as LoopbackPath[]).map((p) => predictTransfer(machine, p, bytes).sender.cpuSeconds);
          for (const zero of ["sendfile", "splice"] as const) {
            expect(predictTransfer(machine, zero, bytes).sender.cpuSeconds).toBeLessThan(Math.min(...copyLoops));
          }
        }),
        { numRuns: 100 },
      );
    });

    it(`${label}: wall time is never below either side's busy time, and equals the slower side on two free cores`, () => {
      fc.assert(
        fc.property(sizes, fc.constantFrom(...LOOPBACK_PATHS), (bytes, path) => {
          const t = predictTransfer(machine, path, bytes);
          expect(t.wallSeconds).toBeCloseTo(Math.max(t.sender.busySeconds, t.receiver.busySeconds), 12);
          expect(t.bottleneck).toBe(t.sender.busySeconds >= t.receiver.busySeconds ? "sender" : "receiver");
        }),
        { numRuns: 200 },
      );
    });
  }

  it("where the JS loop's sender is slower than the receiver, sendfile takes less time than read-write at every size", () => {
    fc.assert(
      fc.property(fc.integer({ min: 64 * KiB, max: 2 ** 34 }), (bytes) => {
        const readWrite = predictTransfer(MEASURED_LIKE, "read-write", bytes);
        expect(readWrite.bottleneck).toBe("sender");
        expect(predictTransfer(MEASURED_LIKE, "sendfile", bytes).wallSeconds / readWrite.wallSeconds).toBeLessThan(1);
      }),
      { numRuns: 100 },
    );
  });

  it("the slower side sets the time when one dominates: a receiver 100x slower than the sender", () => {
    const m = { ...MEASURED_LIKE, checksumBytesPerSecond: 1e7 };
    const t = predictTransfer(m, "sendfile", GiB);
    expect(t.bottleneck).toBe("receiver");
    expect(t.wallSeconds).toBe(t.receiver.cpuSeconds);
    expect(t.wallSeconds / t.sender.cpuSeconds).toBeGreaterThan(100);
  });

  it("fewer free cores never make a transfer faster", () => {
    fc.assert(
      fc.property(fc.double({ min: 0.1, max: 2, noNaN: true }), fc.double({ min: 0.1, max: 2, noNaN: true }), fc.constantFrom(...LOOPBACK_PATHS), (c1, c2, path) => {
        const [few, many] = c1 < c2 ? [c1, c2] : [c2, c1];
        expect(predictTransfer(MEASURED_LIKE, path, 256 * MiB, { freeCores: few }).wallSeconds).toBeGreaterThanOrEqual(
          predictTransfer(MEASURED_LIKE, path, 256 * MiB, { freeCores: many }).wallSeconds,
        );
      }),
    );
  });

  it("smaller chunks cost the copy loops more calls and more CPU, never less", () => {
    for (const path of ["stream", "read-write", "c-read-write"] as const) {
      const small = predictTransfer(MEASURED_LIKE, path, 256 * MiB, { chunk: 4 * KiB });
      const large = predictTransfer(MEASURED_LIKE, path, 256 * MiB, { chunk: 64 * KiB });
      expect(small.syscalls, path).toBeGreaterThan(large.syscalls);
      expect(small.sender.cpuSeconds, path).toBeGreaterThan(large.sender.cpuSeconds);
    }
  });
});

describe("transfer model: golden values (the textbook machine, 1 GiB, 64 KiB chunks)", () => {
  // Regression values: they change only when an equation or the textbook machine changes. c-read-write by hand:
  // copies 2 x 2^30 / 10e9 = 0.21475 s, TCP 2^30 x 0.1e-9 = 0.10737 s, 16,384 send calls x 2 µs = 0.03277 s,
  // 32,768 calls x 100 ns = 0.00328 s, then the refills the model finds (the sender is faster than the receiver).
  const t = (path: LoopbackPath) => predictTransfer(TEXTBOOK_MACHINE.parameters, path, GiB);

  it("c-read-write", () => {
    const c = t("c-read-write");
    expect(c.sendQueue.cycles).toBe(125);
    expect(c.syscalls).toBe(32768 + 3 * 125);
    expect(c.sender.cpuSeconds).toBeCloseTo(0.21475 + 0.10737 + 0.03277 + (32768 + 375) * 100e-9 + 125 * 2e-6, 4);
    expect(c.receiver.cpuSeconds).toBeCloseTo(GiB / 10e9 + GiB / 5e9 + GiB * 0.1e-9, 9);
  });

  it("sendfile: no copy, one call and the refills; the receiver sets the time", () => {
    const s = t("sendfile");
    expect(s.senderCopiesPerByte).toBe(0);
    expect(s.wallSeconds).toBeCloseTo(0.42950, 4);
    expect(s.syscalls).toBe(1 + 3 * s.sendQueue.cycles);
  });

  it("on the textbook machine the receiver sets sendfile's pace and the JS loop's sender is just slower than it: the ratio is 0.993", () => {
    expect(t("sendfile").bottleneck).toBe("receiver");
    expect(t("read-write").bottleneck).toBe("sender");
    // read-write's sender: the receiver's 0.4295 s and the difference its Node costs and heap faults make
    expect(t("read-write").wallSeconds).toBeCloseTo(0.43233, 4);
    expect(t("sendfile").wallSeconds / t("read-write").wallSeconds).toBeCloseTo(0.99344, 4);
  });
});

describe("transfer model: bad input", () => {
  it("rejects an unknown path, a zero size and an unusable machine, naming them", () => {
    expect(() => predictTransfer(MEASURED_LIKE, "carrier-pigeon" as LoopbackPath, GiB)).toThrow(/path must be one of stream, read-write/);
    expect(() => predictTransfer(MEASURED_LIKE, "sendfile", 0)).toThrow(/bytes must be a whole number/);
    expect(() => predictTransfer({ ...MEASURED_LIKE, copyBytesPerSecond: 0 }, "sendfile", GiB)).toThrow(/copyBytesPerSecond must be a finite number > 0/);
    expect(() => predictTransfer(MEASURED_LIKE, "sendfile", GiB, { freeCores: -1 })).toThrow(/freeCores must be a number > 0/);
    expect(() => predictTransfer(MEASURED_LIKE, "sendfile", GiB, { cache: "lukewarm" as "warm" })).toThrow(/cache must be one of warm, cold/);
  });

  it("lists every problem of a parameter record at once, and allows 0 only for costs read off differences", () => {
    const { jsCallSeconds: _dropped, ...missing } = MEASURED_LIKE;
    expect(parameterProblems({ ...missing, pipeBytes: 100, colour: 3 })).toEqual([
      "jsCallSeconds is missing",
      "pipeBytes must be a whole number of bytes >= 4096, got 100",
      "unknown parameter colour",
    ]);
    expect(parameterProblems({ ...MEASURED_LIKE, tcpSendCallSeconds: 0 })).toEqual([]);
    expect(parameterProblems({ ...MEASURED_LIKE, syscallSeconds: 0 })).toEqual(["syscallSeconds must be a finite number > 0, got 0"]);
  });

  it("pairTime ties go to the side, not to the shared-cores bound", () => {
    const p = pairTime(1, { cpuSeconds: 1, busySeconds: 1 }, { cpuSeconds: 1, busySeconds: 1 });
    expect(p.wallSeconds).toBe(1);
    expect(p.bottleneck).toBe("sender");
  });
});
