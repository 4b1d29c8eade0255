// A hand-made disk experiment result for tests of what consumes one (model runs, figures): each case's
// MiB/s is given, IOPS and seconds follow from it, so expected values can be computed by hand.
import { DiskResult, DiskCase, DiskOp, DiskPattern, DiskIoMode, FsyncMode } from "../src/experiments/disk-records";
import { MiB } from "../src/units/sizes";

/** MiB/s medians by "op pattern io block fsync", e.g. "read random direct 4096 none". */
export type CaseRates = Record<string, number>;

/** A spread with min and max 10% around the median. */
function spread(median: number) {
  return { median, min: 0.9 * median, max: 1.1 * median, n: 3 };
}

/** Builds a DiskResult whose cases have exactly the given MiB/s medians. */
export function diskResultFixture(rates: CaseRates, directSupported = true): DiskResult {
  const cases: DiskCase[] = Object.entries(rates).map(([key, mibps]) => {
    const [op, pattern, io, blockText, fsync] = key.split(" ");
    const block = Number(blockText);
    const ops = 64;
    const seconds = (ops * block) / MiB / mibps;
    return {
      op: op as DiskOp, pattern: pattern as DiskPattern, io: io as DiskIoMode, fsync: fsync as FsyncMode, block, ops, bytes: ops * block,
      cache: op === "read" ? "cold" : "n/a",
      mibps: spread(mibps), iops: spread((mibps * MiB) / block), seconds: spread(seconds),
    };
  });
  const blocks = [...new Set(cases.map((c) => c.block))].sort((a, b) => a - b);
  return {
    kind: "disk",
    conditions: {
      cpuCount: 2, cpuModel: "test", kernel: "Linux test", platform: "linux-x64", nodeVersion: "v20", timestamp: "t", loadAverage: [0, 0, 0],
      fileBytes: 16 * MiB, blocks, runs: 3, maxOps: 64, maxSyncOps: 8, fsyncModes: ["none", "end"],
      directSupported, directReason: directSupported ? null : "O_DIRECT not supported here (EINVAL)",
      filesystem: "ext4", scratchDir: "/tmp", loadAverageEnd: [0, 0, 0],
    },
    cases,
    skipped: [],
  };
}

/** A disk without a seek penalty, like this workbook's VM: direct random = direct sequential, readahead makes buffered reads fast. */
export const NO_SEEK_RATES: CaseRates = {
  "read sequential buffered 4096 none": 900,
  "read sequential direct 4096 none": 50,
  "read random buffered 4096 none": 45,
  "read random direct 4096 none": 48,
  "read sequential buffered 1048576 none": 1800,
  "read sequential direct 1048576 none": 1000,
  "read random buffered 1048576 none": 800,
  "read random direct 1048576 none": 950,
  "write sequential buffered 4096 none": 700,
  "write random buffered 4096 none": 500,
  "write sequential buffered 4096 end": 450,
  "write random buffered 4096 end": 200,
  "write sequential direct 4096 none": 55,
  "write random direct 4096 none": 40,
};

/** A hard disk: random direct reads are 100x slower than sequential ones. */
export const SEEK_RATES: CaseRates = {
  "read sequential buffered 4096 none": 140,
  "read sequential direct 4096 none": 30,
  "read random buffered 4096 none": 0.3,
  "read random direct 4096 none": 0.3,
  "read sequential direct 1048576 none": 140,
  "read random direct 1048576 none": 50,
};
