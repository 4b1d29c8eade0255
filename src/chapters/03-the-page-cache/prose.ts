// Chapter 3's generated prose: where the run read, and what its cold, warm and readahead numbers say, from the run.
import type { CacheReadsConditions, ReadaheadRecord, ColdWarmRecord } from "../../experiments/cache-reads-records";
import { formatBytes } from "../../units/sizes";
import type { ReadSpeedRow } from "./analysis";
import type { MachineProfile } from "../../calibration/profile-record";
import { formatParameter } from "../../calibration/describe-profile";

/** The file, the device and the machine, without local paths. */
export function conditionsMarkdown(c: CacheReadsConditions): string {
  const d = c.device;
  return (
    `A ${formatBytes(c.fileBytes)} file on ${c.filesystem}, device ${d ? `\`${d.name}\`: \`read_ahead_kb\` = ${d.readAheadKiB}, largest request ${d.maxRequestKiB} KiB, \`rotational\` = ${d.rotational}` : "none (no block device)"}; ` +
    `${c.cpuCount} × ${c.cpuModel}, ${c.kernel}, Node ${c.nodeVersion}; load average ${c.loadAverage.join(" / ")} at the start, ${c.loadAverageEnd.join(" / ")} at the end.`
  );
}

/** Cold against warm, in this run's numbers. */
export function coldWarmMarkdown(record: ColdWarmRecord, c: CacheReadsConditions): string {
  const cold = record.cold.mibps.median;
  const warm = record.warm.mibps.median;
  return (
    `On this run a cold whole-file read ran at ${cold.toFixed(0)} MiB/s and a warm one at ${warm.toFixed(0)} MiB/s (medians of ${record.cold.mibps.n}): ` +
    `warm is ${(warm / cold).toFixed(1)}× faster. The cold read fetched ${(record.cold.readBytes.median / 2 ** 20).toFixed(1)} MiB from storage, the warm one ` +
    `${(record.warm.readBytes.median / 2 ** 20).toFixed(1)} MiB.${c.device ? ` This device reads ahead up to ${c.device.readAheadKiB} KiB at a time, which is why even the cold read is fast.` : ""}`
  );
}

/** In order against shuffled 4 KiB reads, in this run's numbers. */
export function readaheadMarkdown(ra: ReadaheadRecord): string {
  const s = ra.sequential;
  const r = ra.random;
  const kib = (x: typeof s.deviceKiBPerRequest, digits: number) => (x ? `${x.median.toFixed(digits)} KiB` : "n/a");
  return (
    `4 KiB reads in order: ${s.mibps.median.toFixed(0)} MiB/s (${s.mibps.min.toFixed(0)}-${s.mibps.max.toFixed(0)}); at shuffled pages: ${r.mibps.median.toFixed(1)} MiB/s ` +
    `(${r.mibps.min.toFixed(1)}-${r.mibps.max.toFixed(1)}), ${(s.mibps.median / r.mibps.median).toFixed(1)}× apart. The device's requests averaged ${kib(s.deviceKiBPerRequest, 0)} in order ` +
    `and ${kib(r.deviceKiBPerRequest, 1)} shuffled; bytes fetched per byte asked: ${s.readBytesPerByte.median.toFixed(2)} in order, ${r.readBytesPerByte.median.toFixed(2)} shuffled.`
  );
}

/** The storage equations beside the four passes: where they meet the machine, and where and why they miss. */
export function readSpeedMarkdown(rows: ReadSpeedRow[], profile: MachineProfile): string {
  const p = profile.parameters;
  const row = (key: ReadSpeedRow["key"]) => rows.find((r) => r.key === key);
  const pct = (x: number) => `${x >= 0 ? "+" : "−"}${Math.abs(x * 100).toFixed(0)}%`;
  const say = (r: ReadSpeedRow | undefined) => (r ? `${r.measured.median.toFixed(0)} MiB/s measured, ${r.modelMiBps.toFixed(0)} in the model (${pct(r.residual)})` : "not measured");
  const warm = row("warm");
  const cold = row("cold");
  const random = row("random");
  return [
    `The storage equations price a warm read as its system calls and one copy (${formatParameter("copyBytesPerSecond", p.copyBytesPerSecond)}), a cold read in order ` +
      `as the slower of that and the disk streaming at ${formatParameter("diskSequentialBytesPerSecond", p.diskSequentialBytesPerSecond)} (readahead keeps it busy while the ` +
      `reader copies), and a shuffled cold 4 KiB read as one wait of ${formatParameter("diskRandomReadSeconds", p.diskRandomReadSeconds)} each (readahead cannot guess).`,
    "",
    `- **warm**: ${say(warm)}. The profile's copy rate is measured in 64 KiB calls into one buffer that stays in the CPU's cache; ` +
      "a whole-file pass also pays for its checksum's cache misses and the page-cache lookups of every call, which the model leaves out.",
    `- **cold, in order**: ${say(cold)}; 4 KiB calls in order: ${say(row("sequential"))}. Both are the disk streaming through readahead; the model's disk rate ` +
      "is the profile's, taken from a 64 MiB file: a larger file or another moment can stream faster or slower (the disk is a virtual one, shared).",
    `- **cold, shuffled 4 KiB**: ${say(random)}. The profile's latency is measured the same way (4 KiB at shuffled offsets of a dropped file), so this bar checks ` +
      "that the two agree, not a prediction from elsewhere.",
  ].join("\n");
}
