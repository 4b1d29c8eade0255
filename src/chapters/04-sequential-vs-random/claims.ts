// What chapter 4 checks: the model's disks and Kafka's RAID-5 claim, and what this machine's disk does.
import { Claims, Verdict } from "../../claims/claims";
import { DiskReport, KAFKA_DISK_CLAIM, diskCase, ProfileThroughput } from "./analysis";

export const CHAPTER = "4. Sequential vs random I/O";

/** Chapter 4's claims about a run; the notebook's last cell and the report show them. */
export function chapterClaims(report: DiskReport): Verdict {
  const claims = new Claims(CHAPTER);
  const byName = (name: string): ProfileThroughput => {
    const found = report.throughputs.find((t) => t.disk === name);
    if (!found) throw new RangeError(`no throughput for disk ${name}`);
    return found;
  };
  const hdd = byName("hdd");
  const ssd = byName("sata-ssd");
  const nvme = byName("nvme");
  claims.check("model: an HDD reads sequentially > 100x faster than it reads random 4 KiB blocks", hdd.ratio > 100, `${hdd.ratio.toFixed(0)}x`, "model");
  claims.check("model: SSDs narrow the ratio to < 50x (no seek, only per-request latency)", ssd.ratio < 50 && nvme.ratio < 50, `SATA SSD ${ssd.ratio.toFixed(0)}x, NVMe ${nvme.ratio.toFixed(0)}x`, "model");
  const hddRead = report.breakdown.find((b) => b.disk === "hdd");
  if (!hddRead) throw new RangeError("no random-read breakdown for the HDD");
  const positioning = (hddRead.seekSeconds + hddRead.rotateSeconds) / hddRead.totalSeconds;
  claims.check("model: > 95% of a random 4 KiB HDD read is seek and rotation", positioning > 0.95, `${(100 * positioning).toFixed(1)}% of ${(hddRead.totalSeconds * 1000).toFixed(2)} ms`, "model");
  const array = report.array;
  const vsKafka = array.sequentialBytesPerSecond / KAFKA_DISK_CLAIM.sequentialBytesPerSecond;
  claims.check("model: six 7200 rpm disks in RAID-5 write sequentially within 1.5x of Kafka's 600 MB/s", vsKafka < 1.5 && vsKafka > 1 / 1.5, `${(array.sequentialBytesPerSecond / 1e6).toFixed(0)} MB/s`, "reference");
  claims.check("model: the array's linear/random 4 KiB write ratio is in the thousands, like Kafka's 6000x", array.ratioBusy >= 1000 && array.ratioQd1 >= 1000,
    `${array.ratioBusy.toFixed(0)}x-${array.ratioQd1.toFixed(0)}x`, "reference");

  const measured = report.measured;
  const verdict = report.verdict;
  const bSeq = diskCase(measured, "read", "sequential", "buffered", 4096);
  const bRnd = diskCase(measured, "read", "random", "buffered", 4096);
  if (!bSeq || !bRnd) throw new RangeError("chapter 4 measured no buffered 4 KiB reads");
  claims.check("buffered 4 KiB reads in order beat buffered random 4 KiB reads by > 5x (cold cache)", bSeq.mibps.median > 5 * bRnd.mibps.median,
    `${bSeq.mibps.median.toFixed(0)} vs ${bRnd.mibps.median.toFixed(1)} MiB/s = ${verdict.bufferedRatio.toFixed(1)}x`, "machine");
  claims.check("readahead adds to whatever the device gives: the buffered sequential/random ratio exceeds the O_DIRECT one",
    verdict.directRatio === null || verdict.bufferedRatio > verdict.directRatio,
    verdict.directRatio === null ? "O_DIRECT unavailable: not comparable" : `buffered ${verdict.bufferedRatio.toFixed(1)}x vs direct ${verdict.directRatio.toFixed(2)}x`, "machine");
  const wBuf = diskCase(measured, "write", "random", "buffered", 4096, "none");
  const wDir = diskCase(measured, "write", "random", "direct", 4096, "none");
  if (!wBuf) throw new RangeError("chapter 4 measured no buffered random 4 KiB writes");
  claims.check("the page cache absorbs random 4 KiB writes: buffered (no fsync) > 3x O_DIRECT", !wDir || wBuf.mibps.median > 3 * wDir.mibps.median,
    wDir ? `${wBuf.mibps.median.toFixed(0)} vs ${wDir.mibps.median.toFixed(1)} MiB/s` : "O_DIRECT unavailable", "machine");
  const prediction = report.prediction;
  claims.check("the model of this disk, from the machine profile's two disk figures, predicts buffered reads in order > 5x faster than random ones, as measured",
    prediction.ratio > 5 && verdict.bufferedRatio > 5,
    `model ${prediction.ratio.toFixed(1)}x, measured ${verdict.bufferedRatio.toFixed(1)}x`, "both");
  claims.note(`VERDICT (reported, not asserted): ${verdict.text}`);
  return claims.verdict();
}
