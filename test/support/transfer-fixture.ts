// Transfer experiment records made by hand: runs with the figures a test chooses (wall time, sender CPU, system
// calls), wrapped as a TransferResult with its per-path summaries, and as a batch of several sizes. Nothing runs.
import { summarizeTransfer } from "../../src/experiments/transfer-experiment";
import type { TransferResult, TransferRun } from "../../src/experiments/transfer-records";
import type { TransferBatch } from "../../src/calibration/transfer-batch";
import { TRANSFER_PATHS, TransferPath } from "../../src/vocabulary/transfer";
import { GiB } from "../../src/units/sizes";

/** Figures of one run, per GiB where they scale with the file: wall s/GiB, sender CPU s/GiB, calls per GiB. */
export interface RunFigures {
  wallPerGiB: number;
  cpuPerGiB: number;
  syscallsPerGiB: number;
}

/** One verified run of `path` at `bytes` with the given figures. */
export function handMadeRun(path: TransferPath, round: number, bytes: number, chunk: number, f: RunFigures): TransferRun {
  const scale = bytes / GiB;
  const cpuMs = f.cpuPerGiB * scale * 1000;
  return {
    path, round, bytes, chunk, cache: "warm", residentPagesBefore: bytes / 4096, filePages: bytes / 4096,
    wallSeconds: f.wallPerGiB * scale, throughputMiBps: bytes / 2 ** 20 / (f.wallPerGiB * scale),
    userCpuMs: cpuMs / 4, systemCpuMs: (3 * cpuMs) / 4, voluntarySwitches: 0, involuntarySwitches: 0, minorFaults: 0, majorFaults: 0,
    syscalls: Math.round(f.syscallsPerGiB * scale), polls: 0, procSyscr: 0, procSyscw: 0, diskReadBytes: 0,
    receiverCpuMs: 0.4 * scale * 1000, receivedBytes: bytes, receivedChecksum: "0000abcd",
  };
}

/** A whole experiment at one size: `runs` runs of every path, each path's figures from `figures(path, round)`. */
export function handMadeResult(bytes: number, chunk: number, runs: number, figures: (path: TransferPath, round: number) => RunFigures): TransferResult {
  const all = TRANSFER_PATHS.flatMap((path) => Array.from({ length: runs }, (_, round) => handMadeRun(path, round, bytes, chunk, figures(path, round))));
  return {
    kind: "transfer",
    conditions: {
      cpuCount: 2, cpuModel: "test", kernel: "Linux test", platform: "linux-x64", nodeVersion: "v20", timestamp: "2026-12-01T00:00:00.000Z", loadAverage: [0.5, 0.5, 0.5],
      paths: [...TRANSFER_PATHS], bytes, chunk, cache: "warm", runs, warmupRuns: 1, checksum: "crc32", fileChecksum: "0000abcd",
      loopback: "127.0.0.1", scratchDir: "/scratch", loadAverageEnd: [0.5, 0.5, 0.5],
    },
    runs: all,
    summaries: summarizeTransfer(TRANSFER_PATHS, all),
  };
}

/** A batch of experiments at `sizes` on a quiet machine (two free cores). */
export function handMadeBatch(sizes: number[], chunk: number, runs: number, figures: (path: TransferPath, bytes: number, round: number) => RunFigures): TransferBatch {
  return {
    experiments: sizes.map((bytes) => ({
      result: handMadeResult(bytes, chunk, runs, (path, round) => figures(path, bytes, round)),
      background: { wallSeconds: 1, busySeconds: 1, ownSeconds: 1, backgroundThreads: 0, cores: 2 },
      freeCores: 2,
    })),
  };
}

/** Figures like this machine's, per path: the JavaScript loop slowest, sendfile and splice the least CPU. */
export const TYPICAL: Record<TransferPath, RunFigures> = {
  stream: { wallPerGiB: 1.6, cpuPerGiB: 1.4, syscallsPerGiB: 65600 },
  "read-write": { wallPerGiB: 0.8, cpuPerGiB: 0.78, syscallsPerGiB: 32768 },
  "c-read-write": { wallPerGiB: 0.55, cpuPerGiB: 0.5, syscallsPerGiB: 32800 },
  sendfile: { wallPerGiB: 0.55, cpuPerGiB: 0.28, syscallsPerGiB: 700 },
  splice: { wallPerGiB: 0.58, cpuPerGiB: 0.33, syscallsPerGiB: 2600 },
};
