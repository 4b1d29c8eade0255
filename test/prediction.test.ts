// The calibrated prediction: pure arithmetic on the parameters. A synthetic machine (parameters chosen here) is
// predicted exactly, term by term and against synthetic "measurements"; the same inputs always give the same
// output; the figures carry titles, units, one colour per path. One small real study checks the plumbing.
import { describe, it, expect } from "vitest";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import type { CalibrationResult } from "../src/calibration/calibrate";
import type { TransferResult, TransferRun } from "../src/experiments/transfer-records";
import { predictTransferCost, heapGrowth, coresForPair } from "../src/model/calibrated-transfer";
import { predictionRows, describeRows, ratioRows, describeRatios, PredictionRow } from "../src/chapters/07-theory-meets-measurement/analysis";
import { predictStudy, runPredictionStudy, StudyExperiment, saveStudy, loadStudy } from "../src/chapters/07-theory-meets-measurement/study";
import { basicModelTime, MODEL_PATH } from "../src/model/transfer-path-model";
import { describeDrift, DriftRow, DRIFT_TOLERANCE } from "../src/chapters/07-theory-meets-measurement/drift";
import { costParameters } from "../src/model/cost-model";
import { predictionParityFigure, predictionResidualFigure, predictionTimeFigure, predictionBreakdownFigure } from "../src/chapters/07-theory-meets-measurement/figures";
import { pathColor } from "../src/plot/style";
import { KiB, MiB } from "../src/units/sizes";
import { TRANSFER_PATHS, TransferPath } from "../src/vocabulary/transfer";
import type { CalibratedParameters } from "../src/model/calibrated-parameters";


/** Steady cost of reading one chunk into a fresh Buffer on the synthetic machine: the copy plus 3 µs. */
const FRESH_CHUNK_SECONDS = 65536 / 0.5e9 + 3e-6;

/** What one run of each path costs beyond the per-byte and per-call terms on the synthetic machine, seconds. */
const RUN_OVERHEAD: Record<TransferPath, number> = { stream: 0.005, "read-write": 0.003, "c-read-write": 0.001, sendfile: 0.0015, splice: 0.002 };

/** A made-up machine with round numbers, so every prediction can be worked out by hand below. */
const SYNTHETIC: CalibratedParameters = {
  userCopyBytesPerSecond: 8e9,
  hotCopyBytesPerSecond: 4e9,
  kernelCopyBytesPerSecond: 1e9,
  kernelCopyColdBytesPerSecond: 0.5e9,
  syscallSeconds: 1e-6,
  pageFaultSeconds: 1e-6,
  freshBufferSeconds: FRESH_CHUNK_SECONDS,
  freshHeap: [
    // reading into fresh Buffers in a new process: the copies (at 0.5 GB/s) plus heap growth
    { bytes: 16 * MiB, faults: 4000, cpuSeconds: 0.04 },
    { bytes: 64 * MiB, faults: 8000, cpuSeconds: 0.145 },
  ],
  freshBufferFaults: 0.5,
  // a new process's first stream pass: slower than the steady rate below (interpreter, JIT, heap growth)
  freshStream: [
    { bytes: 16 * MiB, seconds: 0.09, cpuSeconds: 0.07 },
    { bytes: 64 * MiB, seconds: 0.3, cpuSeconds: 0.22 },
  ],
  checksumBytesPerSecond: 4e9,
  loopbackBytesPerSecond: 1e9,
  connectionWarmupSeconds: 0.002,
  runOverheadSeconds: RUN_OVERHEAD,
  twoCores: {
    tcpStackSecondsPerByte: 0.25e-9,
    memorySenderSecondsPerByte: 0.5e-9,
    receiverSecondsPerByte: 1e-9,
    receiverSecondsPerByteZeroCopy: 2e-9,
    socketWriteSeconds: 8e-6,
    receiverPerWriteSeconds: 2e-6,
    streamChunkSeconds: 20e-6,
    streamChunkCpuSeconds: 12e-6,
  },
  // pinned to one core, the sender is charged less of loopback's receive work, the receiver more
  // (and a thread-pool hand-off on one core is cheaper: no wake-up across cores)
  oneCore: {
    tcpStackSecondsPerByte: 0.125e-9,
    memorySenderSecondsPerByte: 0.4e-9,
    receiverSecondsPerByte: 1.25e-9,
    receiverSecondsPerByteZeroCopy: 2.5e-9,
    socketWriteSeconds: 5e-6,
    receiverPerWriteSeconds: 3e-6,
    streamChunkSeconds: 10e-6,
    streamChunkCpuSeconds: 8e-6,
  },
  cores: 2,
  diskSequentialBytesPerSecond: 0.5e9,
  diskRandomReadSeconds: 100e-6,
};

const CHUNK = 64 * KiB;

/** The synthetic machine's loopback split, worked out by hand from the numbers above (s/byte):
 *  transmit = min(0.25, 0.125) ns; zero-copy: total 0.25 + 2 = 2.25 ns, receiver fixed = crc 0.25 + copy 1 = 1.25 ns,
 *  movable = 2.25 - 0.125 - 1.25 = 0.875 ns, one core: sender share 0.125 - 0.125 = 0, receiver 2.5 ns;
 *  copying: the memory sender's per-byte costs hold one write per MiB, taken out (8 µs sender, 2 µs receiver per write
 *  on two cores; 5 and 3 µs on one): total (0.5 ns - 8 µs/MiB) + (1 ns - 2 µs/MiB), sender fixed 0.125 + hot copy 0.25
 *  = 0.375 ns, receiver fixed = crc 0.25 + hot copy 0.25 = 0.5 ns, movable = 0.625 ns - 10 µs/MiB; one core: sender
 *  share (0.4 ns - 5 µs/MiB - 0.25 ns) - 0.125 ns, receiver 1.25 ns - 3 µs/MiB. Receiver per write: 2 µs, 3 µs.
 *  On two cores the sender's core takes what the calibration's sender burned beyond its fixed work: zero-copy
 *  0.25 - 0.125 = 0.125 ns; copying (0.5 ns - 8 µs/MiB) - 0.375 ns. */
const HAND_SPLIT = {
  zeroCopy: { fixed: 1.25e-9, movable: 0.875e-9, share2: 0.125e-9, share1: 0, receiver1: 2.5e-9, perWrite2: 0, perWrite1: 0 },
  copying: {
    fixed: 0.5e-9, movable: 0.625e-9 - 10e-6 / MiB, share2: 0.125e-9 - 8e-6 / MiB,
    share1: 0.025e-9 - 5e-6 / MiB, receiver1: 1.25e-9 - 3e-6 / MiB, perWrite2: 2e-6, perWrite1: 3e-6,
  },
};

/** The synthetic machine's prediction for one path, written out by hand (not via the model); `mix` = 1 for two
 *  free cores, 0 for one core, in between a linear mixture of the two placements. */
function byHand(path: TransferPath, bytes: number, mix = 1): { sender: number; busy: number; receiver: number; wall: number } {
  const n = Math.ceil(bytes / CHUNK);
  const socketWrite = n * (mix * 8e-6 + (1 - mix) * 5e-6); // socket.write per call, placement-mixed
  const transmit = bytes * 0.125e-9;
  const copies = bytes / 1e9 + bytes / 4e9 + transmit; // read copy (reused buffer), hot write copy, TCP transmit
  const freshCopies = bytes / 0.5e9 + bytes / 4e9 + transmit; // read copy into fresh (cold) buffers
  // a new process reading into fresh Buffers: CPU linear through (0,0), (16 MiB, 40 ms), (64 MiB, 145 ms), then the steady rate
  const heap =
    bytes <= 16 * MiB ? (0.04 * bytes) / (16 * MiB) : bytes <= 64 * MiB ? 0.04 + (0.105 * (bytes - 16 * MiB)) / (48 * MiB) : 0.145 + ((bytes - 64 * MiB) / CHUNK) * FRESH_CHUNK_SECONDS;
  let own: number;
  let ownBusy: number;
  switch (path) {
    case "c-read-write":
      own = ownBusy = copies + 2 * n * 1e-6;
      break;
    case "read-write":
      // the read into fresh Buffers (copy, malloc, faults, GC) is the heap curve; then write: copy, transmit, per call
      own = ownBusy = heap + bytes / 4e9 + transmit + socketWrite;
      break;
    case "stream": {
      // socket.write per call + a new process warming up: the fresh-stream curve's excess over the steady two-core
      // rate (20 µs wall, 12 µs CPU per chunk, plus the read copy at 0.5 GB/s), linear through (0,0), constant past 64 MiB
      const excess = (total16: number, total64: number, perChunk: number) => {
        const e16 = total16 - (256 * perChunk + (16 * MiB) / 0.5e9);
        const e64 = total64 - (1024 * perChunk + (64 * MiB) / 0.5e9);
        return bytes <= 16 * MiB ? (e16 * bytes) / (16 * MiB) : bytes <= 64 * MiB ? e16 + ((e64 - e16) * (bytes - 16 * MiB)) / (48 * MiB) : e64;
      };
      const common = freshCopies + socketWrite;
      own = common + n * (mix * 12e-6 + (1 - mix) * 8e-6) + excess(0.07, 0.22, 12e-6);
      ownBusy = common + n * (mix * 20e-6 + (1 - mix) * 10e-6) + excess(0.09, 0.3, 20e-6);
      break;
    }
    case "sendfile":
      own = ownBusy = transmit + 1e-6;
      break;
    case "splice":
      own = ownBusy = transmit + 2 * Math.ceil(bytes / MiB) * 1e-6;
      break;
  }
  const split = path === "sendfile" || path === "splice" ? HAND_SPLIT.zeroCopy : HAND_SPLIT.copying;
  // two cores: the sender's core takes its calibrated share of the movable receive work; the receiver pays per write too
  const fixed2 = bytes * split.fixed + n * split.perWrite2;
  const share2 = bytes * split.share2;
  const receiver2 = fixed2 + bytes * split.movable - share2;
  const wall2 = Math.max(ownBusy + share2, receiver2);
  // one core: the one-core charges, everything in turn
  const share1 = bytes * split.share1;
  const receiver1 = bytes * split.receiver1 + n * split.perWrite1;
  const wall1 = Math.max(ownBusy + share1, own + share1 + receiver1);
  const share = mix * share2 + (1 - mix) * share1;
  const warmup = 0.002 + RUN_OVERHEAD[path]; // a new connection's window has to grow first; a new process gets going
  return { sender: own + share, busy: ownBusy + share, receiver: mix * receiver2 + (1 - mix) * receiver1, wall: mix * wall2 + (1 - mix) * wall1 + warmup };
}

/** A transfer result whose every run took exactly `seconds(path)` and `cpu(path)`: a synthetic measurement. */
function syntheticResult(bytes: number, seconds: (p: TransferPath) => number, cpu: (p: TransferPath) => number): TransferResult {
  const runs: TransferRun[] = TRANSFER_PATHS.flatMap((p) =>
    [0, 1, 2].map((round) => ({
      path: p, round, bytes, chunk: CHUNK, cache: "warm" as const, residentPagesBefore: bytes / 4096, filePages: bytes / 4096,
      wallSeconds: seconds(p), throughputMiBps: bytes / MiB / seconds(p), userCpuMs: cpu(p) * 250, systemCpuMs: cpu(p) * 750,
      voluntarySwitches: 0, involuntarySwitches: 0, minorFaults: 0, majorFaults: 0, syscalls: 0, polls: 0, procSyscr: 0, procSyscw: 0,
      diskReadBytes: 0, receivedBytes: bytes, receivedChecksum: "00000000",
    })),
  );
  return { kind: "transfer", conditions: { bytes, chunk: CHUNK, cache: "warm", paths: [...TRANSFER_PATHS] } as TransferResult["conditions"], runs, summaries: [] };
}

describe("the synthetic machine is predicted exactly", () => {
  for (const p of TRANSFER_PATHS) {
    for (const bytes of [4 * MiB, 64 * MiB, 256 * MiB]) {
      it(`${p}, ${bytes / MiB} MiB: sender CPU, both chains and the pipelined wall time`, () => {
        const cost = predictTransferCost(SYNTHETIC, p, bytes, { chunk: CHUNK });
        const hand = byHand(p, bytes);
        expect(cost.senderCpuSeconds).toBeCloseTo(hand.sender, 12);
        expect(cost.senderBusySeconds).toBeCloseTo(hand.busy, 12);
        expect(cost.receiverSeconds).toBeCloseTo(hand.receiver, 12);
        expect(cost.wallSeconds).toBeCloseTo(hand.wall, 12);
        expect(cost.wallSeconds).toBeCloseTo(Math.max(hand.busy, hand.receiver) + 0.002 + RUN_OVERHEAD[p], 12); // two free cores: pipelined
        expect(cost.serialSeconds).toBeCloseTo(hand.sender + hand.receiver, 12);
      });
    }
  }

  it("a synthetic measurement made by hand gives zero residuals for time and CPU", () => {
    const results = [4 * MiB, 64 * MiB, 256 * MiB].map((bytes) =>
      syntheticResult(
        bytes,
        (p) => byHand(p, bytes).wall,
        (p) => byHand(p, bytes).sender,
      ),
    );
    const rows = predictionRows(SYNTHETIC, costParameters(), results, { cores: 2, backgroundThreads: 0 });
    expect(rows).toHaveLength(15);
    for (const row of rows) {
      expect(row.residual, `${row.path} ${row.bytes}`).toBeCloseTo(0, 12);
      expect(row.cpuResidual, `${row.path} ${row.bytes}`).toBeCloseTo(0, 12);
      expect(row.measuredMin).toBe(row.measuredMedianSeconds);
      expect(row.runs).toBe(3);
    }
  });

  it("gives the sendfile/read-write ratio of the synthetic machine exactly", () => {
    const results = [64 * MiB].map((bytes) => syntheticResult(bytes, (p) => byHand(p, bytes).wall, (p) => byHand(p, bytes).sender));
    const [ratio] = ratioRows(predictionRows(SYNTHETIC, costParameters(), results, { cores: 2, backgroundThreads: 0 }));
    const hand = (p: TransferPath) => byHand(p, 64 * MiB).wall;
    expect(ratio.predictedRatio).toBeCloseTo(hand("sendfile") / hand("read-write"), 12);
    expect(ratio.error).toBeCloseTo(0, 12);
    expect(describeRatios([ratio])[0]).toMatch(/sendfile\/read-write at 64 MiB/);
  });

  it("names the side that limits: the longer chain, or when balanced the side with more work of its own", () => {
    const rows = predictionRows(SYNTHETIC, costParameters(), [syntheticResult(256 * MiB, (p) => byHand(p, 256 * MiB).wall, (p) => byHand(p, 256 * MiB).sender)], {
      cores: 2,
      backgroundThreads: 0,
    });
    for (const row of rows) {
      const cost = predictTransferCost(SYNTHETIC, row.path, 256 * MiB);
      const balanced = Math.abs(cost.senderBusySeconds - cost.receiverSeconds) <= 0.01 * Math.max(cost.senderBusySeconds, cost.receiverSeconds);
      const expected = balanced ? (cost.senderOwnSeconds >= cost.receiverFixedSeconds ? "sender" : "receiver") : cost.senderBusySeconds > cost.receiverSeconds ? "sender" : "receiver";
      expect(row.bottleneck, row.path).toBe(expected);
    }
    expect(rows.find((r) => r.path === "sendfile")!.bottleneck).toBe("receiver"); // crc + copy alone outweigh the sender
    expect(rows.find((r) => r.path === "stream")!.bottleneck).toBe("sender");
  });

  it("splits the receiver into crc32, its copy and its share of loopback's receive work", () => {
    const cost = predictTransferCost(SYNTHETIC, "sendfile", 64 * MiB);
    const term = (start: string) => cost.terms.find((t) => t.name.startsWith(start))!.cpuSeconds;
    expect(term("receiver crc32")).toBeCloseTo((64 * MiB) / 4e9, 12);
    expect(term("receiver copy to user")).toBeCloseTo((64 * MiB) / 1e9, 12); // page-cache pages: the DRAM copy rate
    expect(term("receiver crc32") + term("receiver copy") + term("receiver: loopback")).toBeCloseTo(byHand("sendfile", 64 * MiB).receiver, 12);
    expect(term("loopback TCP receive work done on the sender")).toBeCloseTo(64 * MiB * 0.125e-9, 12); // its calibrated share
  });

  it("a cold cache adds the disk to the sender's chain, not to its CPU", () => {
    const warm = predictTransferCost(SYNTHETIC, "c-read-write", 64 * MiB);
    const cold = predictTransferCost(SYNTHETIC, "c-read-write", 64 * MiB, { cache: "cold" });
    expect(cold.senderCpuSeconds).toBe(warm.senderCpuSeconds);
    expect(cold.senderBusySeconds - warm.senderBusySeconds).toBeCloseTo((64 * MiB) / 0.5e9, 12);
  });

  it("one core for the pair (taskset to one CPU, or one busy neighbour on two): one-core costs, the sum of both sides", () => {
    for (const p of TRANSFER_PATHS) {
      const hand = byHand(p, 64 * MiB, 0);
      for (const cpu of [{ cores: 1, backgroundThreads: 0 }, { cores: 2, backgroundThreads: 1 }]) {
        const c = predictTransferCost(SYNTHETIC, p, 64 * MiB, { cpu });
        expect(c.pairCores).toBe(1);
        expect(c.wallSeconds).toBeCloseTo(hand.wall, 12);
        expect(c.wallSeconds).toBeCloseTo(Math.max(hand.busy, hand.sender + hand.receiver) + 0.002 + RUN_OVERHEAD[p], 12); // one core: in turn
      }
    }
  });

  it("more neighbours: the pair is one more busy unit sharing the cores, with the one-core costs", () => {
    const hand = byHand("read-write", 64 * MiB, 0);
    const quiet = predictTransferCost(SYNTHETIC, "read-write", 64 * MiB, { cpu: { cores: 2, backgroundThreads: 0 } });
    const crowded = predictTransferCost(SYNTHETIC, "read-write", 64 * MiB, { cpu: { cores: 2, backgroundThreads: 3 } });
    expect(crowded.pairCores).toBe(0.5);
    const fixed = 0.002 + RUN_OVERHEAD["read-write"]; // per run, not shared out: the warm-up and the run overhead
    expect(crowded.wallSeconds).toBeCloseTo((hand.wall - fixed) / 0.5 + fixed, 12);
    expect(crowded.senderCpuSeconds).toBeCloseTo(hand.sender, 12);
    expect(quiet.senderCpuSeconds).toBeCloseTo(byHand("read-write", 64 * MiB, 1).sender, 12);
    expect(coresForPair({ cores: 2, backgroundThreads: 0.5 })).toBe(1.5);
    expect(coresForPair({ cores: 4, backgroundThreads: 0 })).toBe(2);
  });

  it("half a neighbour (c = 1.5): the placement costs are mixed half and half", () => {
    for (const p of TRANSFER_PATHS) {
      const hand = byHand(p, 64 * MiB, 0.5);
      const c = predictTransferCost(SYNTHETIC, p, 64 * MiB, { cpu: { cores: 2, backgroundThreads: 0.5 } });
      expect(c.senderCpuSeconds).toBeCloseTo(hand.sender, 12);
      expect(c.receiverSeconds).toBeCloseTo(hand.receiver, 12);
      expect(c.wallSeconds).toBeCloseTo(hand.wall, 12);
    }
  });
});

describe("invariants of the model", () => {
  it("orders sender CPU as the copies say: sendfile < c-read-write < read-write < stream", () => {
    const cpu = (p: TransferPath) => predictTransferCost(SYNTHETIC, p, 256 * MiB).senderCpuSeconds;
    expect(cpu("sendfile")).toBeLessThan(cpu("c-read-write"));
    expect(cpu("c-read-write")).toBeLessThan(cpu("read-write"));
    expect(cpu("read-write")).toBeLessThan(cpu("stream"));
  });

  it("on two free cores: at least half the total work and either chain, at most both in series", () => {
    for (const p of TRANSFER_PATHS) {
      const c = predictTransferCost(SYNTHETIC, p, 32 * MiB);
      const running = c.wallSeconds - c.connectionWarmupSeconds - c.runOverheadSeconds;
      expect(running).toBeCloseTo(Math.max(c.senderBusySeconds, c.receiverSeconds), 12);
      expect(running).toBeGreaterThanOrEqual(c.serialSeconds / 2 - 1e-12);
      expect(running).toBeLessThanOrEqual(c.serialSeconds + (c.senderBusySeconds - c.senderCpuSeconds) + 1e-12);
    }
  });

  it("interpolates the fresh-heap curves and extends them at the steady rates", () => {
    expect(heapGrowth(SYNTHETIC, 0, CHUNK)).toEqual({ faults: 0, cpuSeconds: 0 });
    expect(heapGrowth(SYNTHETIC, 8 * MiB, CHUNK)).toEqual({ faults: 2000, cpuSeconds: 0.02 });
    expect(heapGrowth(SYNTHETIC, 40 * MiB, CHUNK).faults).toBe(6000);
    expect(heapGrowth(SYNTHETIC, 40 * MiB, CHUNK).cpuSeconds).toBeCloseTo(0.0925, 15);
    const beyond = heapGrowth(SYNTHETIC, 64 * MiB + 100 * CHUNK, CHUNK);
    expect(beyond.faults).toBe(8050);
    expect(beyond.cpuSeconds).toBeCloseTo(0.145 + 100 * FRESH_CHUNK_SECONDS, 15);
  });

  it("is deterministic: the same inputs give the same records", () => {
    for (const p of TRANSFER_PATHS) {
      expect(predictTransferCost(SYNTHETIC, p, 48 * MiB + 123, { chunk: 4096 })).toEqual(predictTransferCost(SYNTHETIC, p, 48 * MiB + 123, { chunk: 4096 }));
    }
  });

  it("rejects a bad path, size, chunk or share by name", () => {
    expect(() => predictTransferCost(SYNTHETIC, "teleport" as TransferPath, 1)).toThrow(/path must be one of/);
    expect(() => predictTransferCost(SYNTHETIC, "sendfile", -1)).toThrow(/bytes must be/);
    expect(() => predictTransferCost(SYNTHETIC, "sendfile", 1, { chunk: 0 })).toThrow(/chunk must be/);
    expect(() => predictTransferCost(SYNTHETIC, "sendfile", 1, { cpu: { cores: 0, backgroundThreads: 0 } })).toThrow(/cpu.cores must be/);
    expect(() => predictTransferCost(SYNTHETIC, "sendfile", 1, { cpu: { cores: 2, backgroundThreads: -1 } })).toThrow(/cpu.backgroundThreads must be/);
  });
});

describe("the basic model beside it", () => {
  it("maps sendfile on loopback to the model's scatter-gather path: no CPU copy", () => {
    expect(MODEL_PATH.sendfile).toBe("sendfile-sg");
    const costs = costParameters({ cpuCopyBytesPerSecond: 1e9, nicBytesPerSecond: 1e9 });
    expect(basicModelTime(costs, "sendfile", 64 * MiB, CHUNK, "warm").cpuCopySeconds).toBe(0);
    const rw = basicModelTime(costs, "read-write", 64 * MiB, CHUNK, "warm");
    expect(rw.cpuCopySeconds).toBeCloseTo((2 * 64 * MiB) / 1e9, 12);
    expect(rw.chunks).toBe(1024);
  });
});

describe("figures", () => {
  const results = [16 * MiB, 64 * MiB].map((bytes) => syntheticResult(bytes, (p) => 1.1 * byHand(p, bytes).receiver + 0.01, (p) => byHand(p, bytes).sender));
  const rows: PredictionRow[] = predictionRows(SYNTHETIC, costParameters(), results, { cores: 2, backgroundThreads: 0 });

  it("parity: one trace per path and model, path colours, log axes with units, the y = x line", () => {
    const f = predictionParityFigure(rows);
    expect(f.id).toBe("prediction-parity");
    expect(f.layout.showlegend).toBe(true);
    expect(JSON.stringify(f.layout)).toMatch(/measured median wall time \(s/);
    expect(JSON.stringify(f.layout)).toMatch(/predicted wall time \(s/);
    for (const p of TRANSFER_PATHS) {
      const trace = f.data.find((d) => d.name === `${p}: calibrated model`)!;
      expect((trace.marker as { color: string }).color).toBe(pathColor(p));
      expect(trace.y).toEqual(rows.filter((r) => r.path === p).map((r) => r.predictedSeconds));
    }
    expect(f.data.some((d) => d.name === "predicted = measured")).toBe(true);
    expect(f.summary).toMatch(/of 10 predictions within ±15%/);
  });

  it("residuals: wall time solid and CPU dotted per path, in percent, against size in MiB", () => {
    const f = predictionResidualFigure(rows);
    const wall = f.data.find((d) => d.name === "sendfile: wall time")!;
    expect(wall.x).toEqual([16, 64]);
    expect((wall.y as number[])[0]).toBeCloseTo(rows.find((r) => r.path === "sendfile" && r.bytes === 16 * MiB)!.residual * 100, 9);
    expect((f.data.find((d) => d.name === "sendfile: sender CPU")!.line as { dash: string }).dash).toBe("dot");
    expect(JSON.stringify(f.layout)).toMatch(/file size \(MiB/);
  });

  it("time: the model dashed, the measurement solid", () => {
    const f = predictionTimeFigure(rows);
    expect((f.data.find((d) => d.name === "splice (calibrated model)")!.line as { dash: string }).dash).toBe("dash");
    expect((f.data.find((d) => d.name === "splice (measured)")!.line as { dash: string }).dash).toBe("solid");
  });

  it("breakdown: every term stacked on its side; each side's bars add up to its chain", () => {
    const costs = TRANSFER_PATHS.map((p) => predictTransferCost(SYNTHETIC, p, 64 * MiB));
    const f = predictionBreakdownFigure(costs);
    expect(f.layout.barmode).toBe("stack");
    costs.forEach((c, i) => {
      const sender = f.data.reduce((s, d) => s + (d.y as number[])[2 * i], 0);
      const receiver = f.data.reduce((s, d) => s + (d.y as number[])[2 * i + 1], 0);
      expect(sender).toBeCloseTo(c.senderBusySeconds * 1000, 9);
      expect(receiver).toBeCloseTo(c.receiverSeconds * 1000, 9);
    });
    expect(JSON.stringify(f.layout)).toMatch(/\(ms\)/);
  });

  it("the residual table has a header and one line per row", () => {
    const lines = describeRows(rows);
    expect(lines).toHaveLength(rows.length + 1);
    expect(lines[0]).toMatch(/predicted ms.*measured ms.*residual/);
  });
});

describe("the drift check", () => {
  const row = (change: number): DriftRow => ({ measurement: "loopback-two-cores-memory-1MiB-sender-cpu", unit: "s/byte", calibration: 2e-10, after: 2e-10 * (1 + change), change });
  it("says the machine kept its speed when every figure moved less than the tolerance", () => {
    const lines = describeDrift([row(0.1), row(-0.05)]);
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatch(/0\.200 -> 0\.220 ns\/byte \(\+10%\)/);
    expect(lines[2]).toMatch(/kept its speed within 15%/);
  });
  it("names the figure that moved most when one moved more", () => {
    expect(describeDrift([row(0.1), row(-0.4)]).at(-1)).toMatch(/changed speed during the study \(.*-40%\)/);
    expect(DRIFT_TOLERANCE).toBe(0.15);
  });
  it("says so when nothing was measured", () => {
    expect(describeDrift([])).toEqual(["machine drift: not measured"]);
  });
});

describe("a small real study on this machine", () => {
  it("calibrates, measures, predicts: finite rows, re-predicted identically from the saved JSON", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "prediction-test-"));
    try {
      const study = await runPredictionStudy({ quick: true, sizes: [2 * MiB], runs: 1, warmup: 0, dir });
      expect(study.rows).toHaveLength(TRANSFER_PATHS.length);
      for (const row of study.rows) {
        for (const key of ["predictedSeconds", "measuredMedianSeconds", "residual", "predictedCpuSeconds", "measuredCpuSeconds", "basicPredictedSeconds"] as const) {
          expect(Number.isFinite(row[key]), `${row.path} ${key}`).toBe(true);
        }
        expect(row.predictedSeconds).toBeGreaterThan(0);
        expect(row.cpu.backgroundThreads).toBeGreaterThanOrEqual(0);
        expect(row.pairCores).toBeGreaterThan(0);
      }
      const file = saveStudy(study, path.join(dir, "prediction.json"));
      const loaded = loadStudy(file);
      expect(predictStudy(loaded.calibration as CalibrationResult, loaded.experiments as StudyExperiment[])).toEqual(study.rows);
      expect(fs.readdirSync(dir)).toEqual(["prediction.json"]);
      // the experiment's receiver reports its CPU per connection: every row carries the measured median
      for (const row of study.rows) expect(row.measuredReceiverCpuSeconds).toBeGreaterThanOrEqual(0);
      // the drift check re-measured both sides of both memory senders and compared them with the calibration
      expect(study.drift.map((d) => d.measurement).sort()).toEqual([
        "loopback-two-cores-memory-1MiB-receiver-cpu", "loopback-two-cores-memory-1MiB-sender-cpu",
        "loopback-two-cores-memory-64KiB-receiver-cpu", "loopback-two-cores-memory-64KiB-sender-cpu",
      ]);
      for (const d of study.drift) {
        expect(d.after).toBeGreaterThan(0);
        expect(d.change).toBeCloseTo(d.after / d.calibration - 1, 12);
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
