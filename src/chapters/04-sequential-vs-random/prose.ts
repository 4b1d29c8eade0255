// Chapter 4's generated prose and tables: the model's disks, Kafka's array and this machine, in this run's numbers.
import type { Table } from "../../plot/table";
import { shortNumber } from "../../plot/bars";
import type { DiskResult } from "../../experiments/disk-records";
import { MiB } from "../../units/sizes";
import { KAFKA_DISK_CLAIM, ProfileThroughput, RandomReadBreakdown, ArrayEstimate, DiskReport, diskCase } from "./analysis";
import { PAGE_SIZE } from "../../reference/linux";

/** The measured cases of a disk run, one row each. */
export function casesTable(result: DiskResult): Table {
  return {
    id: "disk-cases",
    caption: `Every case of this run (median of ${result.conditions.runs}, min-max)`,
    columns: ["op", "pattern", "path", "block", "fsync", "MiB/s", "min-max", "IOPS"],
    rows: result.cases.map((k) => [k.op, k.pattern, k.io, `${k.block / 1024} KiB`, k.fsync, k.mibps.median.toFixed(1), `${k.mibps.min.toFixed(1)}-${k.mibps.max.toFixed(1)}`, k.iops.median.toFixed(0)]),
    numeric: [3, 5, 6, 7],
  };
}

/** The disk, its settings and the machine, without local paths. */
export function diskConditionsMarkdown(report: DiskReport): string {
  const mc = report.measured.conditions;
  const d = report.device;
  return (
    `A ${shortNumber(report.plan.fileBytes / MiB)} MiB file on ${mc.filesystem}, O_DIRECT ${mc.directSupported ? "supported" : `not supported (${mc.directReason})`}; ` +
    `device ${d ? `\`${d.name}\`: \`read_ahead_kb\` = ${d.readAheadKiB}, largest request ${d.maxRequestKiB} KiB, \`rotational\` = ${d.rotational}` : "unknown"}. ` +
    `${mc.cpuCount} × ${mc.cpuModel}, ${mc.kernel}, Node ${mc.nodeVersion}; load average ${mc.loadAverage.join(" / ")} at the start, ${mc.loadAverageEnd.join(" / ")} at the end; ${mc.runs} runs per case.`
  );
}

/** The model's profiles: sequential against random 4 KiB, as a table. */
export function profilesTable(rows: ProfileThroughput[], machineSource: string | null): Table {
  return {
    id: "disk-profile-rates",
    caption: "The model's disks: sequential vs random 4 KiB reads",
    columns: ["disk", "sequential, MiB/s", "random 4 KiB, MiB/s", "random IOPS", "ratio"],
    rows: rows.map((t) => [t.disk, (t.sequentialBytesPerSecond / MiB).toFixed(1), (t.randomBytesPerSecond / MiB).toFixed(2), t.randomIops.toFixed(0), `${t.ratio.toFixed(0)}×`]),
    numeric: [1, 2, 3, 4],
    note: machineSource ? `"this machine" is its disk as the machine profile measured it (chapter 7): ${machineSource}.` : undefined,
  };
}

/** What the model's profiles say, in their numbers. */
export function profilesMarkdown(rows: ProfileThroughput[]): string {
  const hdd = rows.find((r) => r.disk === "hdd");
  const flash = rows.filter((r) => r.disk === "sata-ssd" || r.disk === "nvme");
  if (!hdd) return "";
  return (
    `This is the famous ratio: on the model's HDD a random 4 KiB read moves ${shortNumber(hdd.randomBytesPerSecond / 1e3)} kB/s while a sequential stream moves ` +
    `${shortNumber(hdd.sequentialBytesPerSecond / 1e6)} MB/s, ${shortNumber(hdd.ratio)}× apart. On the SSDs the ratio shrinks to ` +
    `${flash.map((r) => `${shortNumber(r.ratio)}× (${r.disk})`).join(" and ")}: they still pay a fixed latency per request, but no longer milliseconds of it.`
  );
}

/** Where an HDD's random read goes, in the breakdown's numbers. */
export function breakdownMarkdown(rows: RandomReadBreakdown[]): string {
  const hdd = rows.find((r) => r.disk === "hdd");
  if (!hdd) return "";
  const positioning = (hdd.seekSeconds + hdd.rotateSeconds) / hdd.totalSeconds;
  return (
    `On the model's HDD, ${(100 * positioning).toFixed(1)}% of a random 4 KiB read is spent positioning: the arm moving (seek, ${(hdd.seekSeconds * 1e3).toFixed(2)} ms on average) ` +
    `and the platter turning under the head (rotation, ${(hdd.rotateSeconds * 1e3).toFixed(2)} ms). The 4 KiB themselves pass under the head in ${(hdd.transferSeconds * 1e6).toFixed(0)} µs.`
  );
}

/** The model of Kafka's array against the documentation's numbers. */
export function kafkaArrayMarkdown(array: ArrayEstimate, small: ArrayEstimate): string {
  return (
    `Kafka's documentation quotes ${KAFKA_DISK_CLAIM.sequentialBytesPerSecond / 1e6} MB/s against ${KAFKA_DISK_CLAIM.randomBytesPerSecond / 1e3} kB/s, over ${KAFKA_DISK_CLAIM.ratio}×. ` +
    `The model of ${array.disks} × ${array.disk} in RAID-5 writes sequentially at ${shortNumber(array.sequentialBytesPerSecond / 1e6)} MB/s, and ${array.writeBytes} B random writes at ` +
    `${shortNumber(array.randomQd1BytesPerSecond / 1e3)} kB/s one at a time to ${shortNumber(array.randomBusyBytesPerSecond / 1e3)} kB/s with all disks busy: ` +
    `${shortNumber(array.ratioBusy)}× to ${shortNumber(array.ratioQd1)}×. With ${small.writeBytes} B writes the ratio is ${shortNumber(small.ratioBusy)}× to ${shortNumber(small.ratioQd1)}×.`
  );
}

/** The model of this disk (from the profile) beside this run's buffered 4 KiB reads, and why they differ. */
export function machineModelMarkdown(r: DiskReport): string {
  const seq = diskCase(r.measured, "read", "sequential", "buffered", PAGE_SIZE);
  const rnd = diskCase(r.measured, "read", "random", "buffered", PAGE_SIZE);
  if (!seq || !rnd) return "";
  const p = r.prediction;
  const ratio = (model: number, measured: number) => `${(model / measured).toFixed(2)}×`;
  return (
    `The model of this disk, built from the machine profile's two disk figures, predicts buffered 4 KiB reads at ${(p.sequentialBytesPerSecond / MiB).toFixed(0)} MiB/s ` +
    `in order (${(p.readaheadBytes / 1024).toFixed(0)} KiB readahead requests) and ${(p.randomBytesPerSecond / MiB).toFixed(1)} MiB/s shuffled; this run measured ` +
    `${seq.mibps.median.toFixed(0)} and ${rnd.mibps.median.toFixed(1)} MiB/s (model ÷ machine ${ratio(p.sequentialBytesPerSecond / MiB, seq.mibps.median)} and ` +
    `${ratio(p.randomBytesPerSecond / MiB, rnd.mibps.median)}). In order, the model's disk serves one readahead request at a time (queue depth 1), while the kernel ` +
    "starts the next window before the reader reaches it, so the machine streams faster than the model; shuffled, each read waits for the disk, as in the model, " +
    "and what is left is this virtual disk's latency moving from one minute to the next (the profile measured it at another moment)."
  );
}
