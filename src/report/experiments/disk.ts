// The sequential-vs-random experiment of `workbook run` (chapter 4): the model's disks and Kafka's RAID-5
// claim beside this machine's disk experiment, with notebook 4's figures and the machine's seek verdict.
import * as os from "os";
import { runDiskExperiment } from "../../experiments/disk-experiment";
import { DiskResult, FsyncMode } from "../../experiments/disk-records";
import { blockDeviceOf } from "../../experiments/block-device";
import {
  profileThroughputs, randomReadBreakdown, requestSizeCurves, raid5Estimate, machineDiskProfile, predictBufferedReads,
  seekVerdict, directReadPair, directRandomPoints, readaheadRequestBytes,
  ProfileThroughput, RandomReadBreakdown, RequestSizePoint, ArrayEstimate, BufferedReadPrediction, SeekVerdict,
} from "../../experiments/disk-model-runs";
import { DISK_NAMES } from "../../model/disk";
import { profileThroughputFigure, randomReadBreakdownFigure, requestSizeFigure, kafkaArrayFigure, machineDiskFigure } from "../../figures/disk";
import { MiB, formatBytes } from "../../units/sizes";
import { Experiment, Scale } from "../experiment";

/** Sizes per scale: quick is CI-sized (seconds), default under a minute on 2 cores, full a 512 MiB file with every fsync mode. */
export const DISK_SIZES: Record<Scale, { fileBytes: number; runs: number; maxOps: number; fsync: FsyncMode[] }> = {
  quick: { fileBytes: 16 * MiB, runs: 2, maxOps: 256, fsync: ["none"] },
  default: { fileBytes: 128 * MiB, runs: 5, maxOps: 4096, fsync: ["none", "end"] },
  full: { fileBytes: 512 * MiB, runs: 7, maxOps: 8192, fsync: ["none", "end", "each"] },
};

/** Result record: the measurement, and every model record notebook 4 draws beside it. */
export interface DiskReport {
  measured: DiskResult;
  device: { name: string; readAheadKiB: number | null; maxRequestKiB: number | null; rotational: boolean | null } | null;
  machineProfileSource: string | null;
  throughputs: ProfileThroughput[];
  breakdown: RandomReadBreakdown[];
  curves: RequestSizePoint[];
  array: ArrayEstimate;
  prediction: BufferedReadPrediction | null;
  verdict: SeekVerdict;
}

export const diskExperiment: Experiment<DiskReport> = {
  name: "disk",
  title: "4. Sequential vs random I/O (model and machine)",
  diskBytes: (scale) => DISK_SIZES[scale].fileBytes,
  async run(ctx) {
    const size = DISK_SIZES[ctx.scale];
    const measured = await runDiskExperiment({
      fileBytes: size.fileBytes,
      runs: ctx.runs ?? size.runs,
      maxOps: size.maxOps,
      blocks: [4096, MiB],
      fsync: size.fsync,
      dir: ctx.tmpDir,
      onProgress: (p) => ctx.progress((0.9 * p.done) / p.total, p.label),
    });
    ctx.progress(0.9, "model");
    const found = blockDeviceOf(ctx.tmpDir || os.tmpdir());
    const device = found && { name: found.name, readAheadKiB: found.readAheadKiB, maxRequestKiB: found.maxRequestKiB, rotational: found.rotational };
    const machine = machineDiskProfile(measured);
    const profiles = machine ? [...DISK_NAMES, machine.profile] : [...DISK_NAMES];
    const report: DiskReport = {
      measured,
      device,
      machineProfileSource: machine?.source ?? null,
      throughputs: profileThroughputs(profiles),
      breakdown: randomReadBreakdown(profiles, 2000),
      curves: requestSizeCurves(profiles),
      array: raid5Estimate({ writeBytes: 4096 }),
      prediction: machine ? predictBufferedReads(machine.profile, readaheadRequestBytes(device)) : null,
      verdict: seekVerdict(measured),
    };
    ctx.progress(1, "done");
    return report;
  },
  sections(r) {
    const c = r.measured.conditions;
    const where = `${formatBytes(c.fileBytes)} file on ${c.filesystem}, medians of ${c.runs}, O_DIRECT ${c.directSupported ? "supported" : "not supported"}`;
    return [
      {
        title: "4. Sequential vs random I/O: the model's disks",
        text:
          "Sequential (1 MiB requests) vs random 4 KiB reads on a 7200 rpm HDD, a SATA SSD, an NVMe SSD and a profile built from " +
          `this machine's O_DIRECT reads (${r.machineProfileSource ?? "O_DIRECT not measured"}); where a random read's time goes; throughput vs request size.`,
        figures: [
          profileThroughputFigure(r.throughputs, directReadPair(r.measured)),
          randomReadBreakdownFigure(r.breakdown),
          requestSizeFigure(r.curves, directRandomPoints(r.measured)),
        ],
      },
      {
        title: "4. Sequential vs random I/O: Kafka's RAID-5 claim",
        text: "Kafka's design doc quotes 600 MB/s of linear writes vs 100 kB/s of random writes on six 7200 rpm disks in RAID-5; the model builds that array from its HDD profile.",
        figures: [kafkaArrayFigure(r.array)],
      },
      {
        title: "4. Sequential vs random I/O: this machine",
        text: `4 KiB reads and writes in order vs at shuffled offsets, buffered and O_DIRECT (${where}). Verdict: ${r.verdict.text}.`,
        figures: [machineDiskFigure(r.measured, r.prediction ?? undefined)],
      },
    ];
  },
};
