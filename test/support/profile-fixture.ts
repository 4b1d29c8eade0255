// A machine profile made by hand for tests: benchmark figures of a machine the tests choose, the parameters derived
// from them as `workbook calibrate` derives them, and plausible conditions. Nothing is measured.
import { deriveParameters, BenchmarkName, BenchmarkResult, MachineProfile, PROFILE_MODEL_VERSION } from "../../src/calibration/profile-record";
import { MiB } from "../../src/units/sizes";
import type { MachineParameters } from "../../src/model/cost";

/** A benchmark result with no spread. */
export const exact = (median: number, unit = "x"): BenchmarkResult => ({ unit, median, min: median, max: median, n: 1, method: "test" });

/**
 * Benchmark figures of a machine chosen here: copy 10 GB/s (0.1 ns/B), syscall 100 ns, CRC-32 5 GB/s (0.2 ns/B);
 * Node 1 µs per read call and 0.15 ns per byte of fresh chunk Buffers, 30 µs per stream chunk beyond those, a heap
 * that grows by 24 MiB; TCP 0.2 ns/B sending, 0.05 ns/B receiving, 2.9 µs per send call; page references 0.3 ns/B;
 * a disk of 2 GB/s and 50 µs. Each figure is what its benchmark would read on that machine (e.g. the paced sender:
 * copy + TCP + (syscall + call) per 1 MiB write; the borrowing run: the sender 0.1 ns/B of the 0.3 and its call,
 * the receiver the rest).
 */
export function handMadeBenchmarks(): Record<BenchmarkName, BenchmarkResult> {
  const chunk = 65536;
  return {
    copy: exact(1e10),
    syscall: exact(100e-9),
    "page-fault": exact(1e-6),
    checksum: exact(5e9),
    "disk-sequential": exact(2e9),
    "disk-random-4k": exact(50e-6),
    "read-write-chunk-cpu": exact(1e-6 + chunk * (0.1e-9 + 0.15e-9) + 100e-9),
    "read-write-small-chunk-cpu": exact(1e-6 + 4096 * (0.1e-9 + 0.15e-9) + 100e-9),
    "read-write-heap-growth": exact(24 * MiB + 100), // a fraction of a page more: rounded to whole pages
    "stream-chunk-cpu": exact(30e-6 + chunk * (0.1e-9 + 0.15e-9) + 3 * 100e-9),
    "loopback-send-call": exact(3e-6),
    "loopback-copy-1MiB-paced-sender": exact(0.1e-9 + 0.2e-9 + (100e-9 + 2.9e-6) / MiB),
    "loopback-copy-1MiB-paced-receiver": exact(0.1e-9 + 0.2e-9 + 0.05e-9),
    "loopback-borrow-1MiB-paced-sender": exact(0.1e-9 + (100e-9 + 2.9e-6) / MiB),
    "loopback-borrow-1MiB-paced-receiver": exact(0.1e-9 + 0.2e-9 + 0.05e-9 + 0.2e-9),
    "socket-send-buffer": exact(4 * MiB),
    pipe: exact(MiB),
  };
}

/** A whole profile of the hand-made machine (its parameters derived from its benchmarks). */
export function profileFixture(): MachineProfile {
  const { parameters, zeroed } = deriveParameters(handMadeBenchmarks(), 65536);
  return profileAround(parameters, zeroed);
}

/** A whole profile with the hand-made benchmarks around `parameters` (which need not follow from them). */
export function profileAround(parameters: MachineParameters, zeroed: MachineProfile["zeroed"] = []): MachineProfile {
  return {
    kind: "machine-profile",
    modelVersion: PROFILE_MODEL_VERSION,
    name: "test machine",
    measuredAt: "2026-12-01T00:00:00.000Z",
    machine: {
      cpuCount: 2, cpuModel: "test", kernel: "Linux test", platform: "linux-x64", nodeVersion: "v20", timestamp: "2026-12-01T00:00:00.000Z",
      loadAverage: [0.5, 0.5, 0.5], loadAverageEnd: [0.5, 0.5, 0.5], elapsedSeconds: 12,
      plan: { name: "full", copyBytes: 1, fileBytes: 1, chunk: 65536, syscalls: 1, runs: 1, jsPasses: 2, jsProcesses: 1, loopbackBytes: 1, loopbackRuns: 1, randomReads: 1 },
      background: { wallSeconds: 12, busySeconds: 10, ownSeconds: 10, backgroundThreads: 0, cores: 2 },
      systemFiles: {},
    },
    parameters: { ...parameters },
    benchmarks: handMadeBenchmarks(),
    zeroed: [...zeroed],
  };
}
