// What chapter 3 checks: cold vs warm reads, the replacement policies, readahead, and Kafka's "copied into
// pagecache exactly once", each judged by the model, the machine, or both.
import { Claims, Verdict } from "../../claims/claims";
import type { PolicyName } from "../../model/vocabulary";
import { PAGE_SIZE } from "../../reference/linux";
import { MiB } from "../../units/sizes";
import { readSpeedRows, HitRatioSweep, PageCacheReport, ReadaheadScenario } from "./analysis";

export const CHAPTER = "3. The page cache";

/** The hit ratio of `policy` at a cache of `fraction` of the sweep's file. */
function hitRatioAt(sweep: HitRatioSweep, policy: PolicyName, fraction: number): number {
  const point = sweep.points.find((p) => p.policy === policy && p.capacity === Math.round(fraction * sweep.filePages));
  if (!point) throw new RangeError(`the ${sweep.pattern} sweep has no ${policy} point at ${fraction} of the file`);
  return point.hitRatio;
}

/** The readahead scenario with `key`. */
function scenario(scenarios: ReadaheadScenario[], key: string): ReadaheadScenario {
  const found = scenarios.find((s) => s.key === key);
  if (!found) throw new RangeError(`no readahead scenario ${key}`);
  return found;
}

/** Chapter 3's claims about a run; the notebook's last cell and the report show them. */
export function chapterClaims(report: PageCacheReport): Verdict {
  const claims = new Claims(CHAPTER);
  const measured = report.machine;
  const fileBytes = report.plan.fileBytes;
  const filePages = fileBytes / PAGE_SIZE;
  const cold = measured.coldWarm.passes.filter((p) => p.label === "cold");
  const warm = measured.coldWarm.passes.filter((p) => p.label === "warm");
  const all = [...measured.coldWarm.passes, ...measured.rereads.passes];
  claims.check("every whole-file read returned the file's bytes (length and CRC-32)", all.every((p) => p.verified), `${all.length} passes verified`, "machine");
  // This machine's proactive reclaim (DAMON pageout) may take back pages that land in memory it has seen idle
  // for a minute, even during the pass; a read that filled the cache still leaves nearly all of it resident.
  claims.check("a cold read starts with 0 pages resident and ends with the file in the cache (at least 90% of its pages resident)",
    cold.every((p) => p.residentBefore === 0 && p.residentAfter >= 0.9 * p.totalPages),
    cold.map((p) => `${p.residentBefore}->${p.residentAfter}/${p.totalPages}`).join(", "), "machine");
  const shortfalls = cold.filter((p) => p.residentAfter < p.totalPages);
  if (shortfalls.length) claims.note(`${shortfalls.length} of ${cold.length} cold reads ended with pages missing (${shortfalls.map((p) => p.totalPages - p.residentAfter).join(", ")} pages): the machine reclaimed them during the pass`);
  claims.check("a cold read fetches the whole file from storage (read_bytes within 5% of the file size)", cold.every((p) => Math.abs(p.readBytes - fileBytes) <= 0.05 * fileBytes),
    cold.map((p) => `${(p.readBytes / MiB).toFixed(1)} MiB`).join(", "), "machine");
  claims.check("a warm read fetches nothing from storage (read_bytes < 1% of the file)", warm.every((p) => p.readBytes < 0.01 * fileBytes),
    warm.map((p) => `${(p.readBytes / MiB).toFixed(2)} MiB`).join(", "), "machine");
  claims.check("warm reads are faster than cold reads (medians)", measured.coldWarm.warm.mibps.median > measured.coldWarm.cold.mibps.median,
    `warm ${measured.coldWarm.warm.mibps.median.toFixed(0)} vs cold ${measured.coldWarm.cold.mibps.median.toFixed(0)} MiB/s`, "machine");
  const [firstPass, secondPass] = report.coldWarmModel;
  claims.check("model: one pass over a cold file fetches every page, a second pass none", firstPass.diskPages === filePages && secondPass.diskPages === 0,
    `${firstPass.diskPages} then ${secondPass.diskPages} pages`, "model");

  const [loopSweep, randomSweep, hotColdSweep] = report.sweeps;
  const loopLosers = (["lru", "clock", "fifo"] as const).map((p) => hitRatioAt(loopSweep, p, 0.99));
  claims.check("looping scan 1% larger than the cache: LRU, CLOCK and FIFO hit nothing", loopLosers.every((h) => h === 0), loopLosers.map((h) => h.toFixed(3)).join(", "), "model");
  const best = 1 - 1 / report.plan.modelPasses; // a cache holding the whole file hits on every pass but the first
  claims.check("looping scan, cache of 90% of the file: OPT still gets > 85% of the best possible hit ratio", hitRatioAt(loopSweep, "opt", 0.9) > 0.85 * best,
    `OPT ${hitRatioAt(loopSweep, "opt", 0.9).toFixed(3)} of at most ${best.toFixed(3)}`, "model");
  const beaten = report.sweeps.flatMap((s) => s.points.filter((p) => p.policy !== "opt" && p.hitRatio > hitRatioAt(s, "opt", p.capacity / s.filePages) + 1e-12));
  claims.check("OPT is never beaten, on any pattern at any cache size (Belady)", beaten.length === 0,
    `${report.sweeps.reduce((n, s) => n + s.points.length, 0)} points on ${report.sweeps.length} patterns, ${beaten.length} beaten`, "model");
  const others = (capacity: number) => randomSweep.points.filter((q) => q.policy !== "opt" && q.capacity === capacity).map((q) => q.hitRatio);
  const spread = Math.max(...randomSweep.points.filter((p) => p.policy !== "opt").map((p) => Math.max(...others(p.capacity)) - Math.min(...others(p.capacity))));
  claims.check("uniform random pages: LRU, CLOCK and FIFO within 3 points of each other at every size", spread < 0.03, `largest gap ${(100 * spread).toFixed(2)} points`, "model");
  const lruBeatsFifo = hotColdSweep.points
    .filter((p) => p.policy === "lru" && p.capacity < hotColdSweep.filePages)
    .every((p) => p.hitRatio >= hitRatioAt(hotColdSweep, "fifo", p.capacity / hotColdSweep.filePages));
  claims.check("80-20 workload: LRU hits at least as often as FIFO at every size below the file", lruBeatsFifo,
    `LRU ${hitRatioAt(hotColdSweep, "lru", 0.25).toFixed(3)} vs FIFO ${hitRatioAt(hotColdSweep, "fifo", 0.25).toFixed(3)} at 25%`, "model");

  const seqModel = scenario(report.scenarios, "sequential");
  const rndModel = scenario(report.scenarios, "random");
  const runsModel = scenario(report.scenarios, "short-runs");
  claims.check("model: reading in order turns 4 KiB reads into requests of >= 16 pages; shuffled reads stay at ~1 page per request",
    seqModel.pagesPerRequest >= 16 && rndModel.pagesPerRequest <= 1.1, `${seqModel.pagesPerRequest.toFixed(1)} vs ${rndModel.pagesPerRequest.toFixed(2)} pages/request`, "model");
  claims.check("model: for short runs at random offsets, readahead wastes more pages than it saves", runsModel.readaheadWasted > runsModel.readaheadUsed,
    `${runsModel.readaheadWasted} wasted vs ${runsModel.readaheadUsed} used`, "model");
  const ra = measured.readahead;
  const raRatio = ra.sequential.mibps.median / ra.random.mibps.median;
  claims.check("buffered 4 KiB reads in file order beat 4 KiB reads at shuffled pages by > 5x (cold cache)", raRatio > 5, `${raRatio.toFixed(1)}x`, "machine");
  claims.check("shuffled 4 KiB reads fetch about what they ask (< 1.5x); reads in order fetch at least that (readahead)",
    ra.random.readBytesPerByte.median < 1.5 && ra.sequential.readBytesPerByte.median >= 1,
    `${ra.random.readBytesPerByte.median.toFixed(2)}x vs ${ra.sequential.readBytesPerByte.median.toFixed(2)}x`, "machine");
  const devSeq = ra.sequential.deviceKiBPerRequest;
  const devRnd = ra.random.deviceKiBPerRequest;
  const modelBig = seqModel.pagesPerRequest >= 8 * rndModel.pagesPerRequest;
  claims.check("readahead makes disk requests >= 8x larger for reads in order than for shuffled reads (model, and the device's counters)",
    modelBig && (devSeq && devRnd ? devSeq.median >= 8 * devRnd.median : ra.sequential.readBytesPerByte.median >= 1),
    devSeq && devRnd
      ? `device ${devSeq.median.toFixed(0)} vs ${devRnd.median.toFixed(1)} KiB/request; model ${seqModel.pagesPerRequest.toFixed(1)} vs ${rndModel.pagesPerRequest.toFixed(2)} pages`
      : "no block device counters here: checked read_bytes overfetch instead",
    "both");

  const rr = measured.rereads.passes;
  claims.check("Kafka: the first read of a cold file fetches it from storage once (read_bytes within 5% of its size; model: every page)",
    Math.abs(rr[0].readBytes - fileBytes) <= 0.05 * fileBytes && report.rereads[0].diskPages === filePages,
    `${(rr[0].readBytes / MiB).toFixed(1)} MiB; model ${report.rereads[0].diskPages} pages`, "both");
  claims.check(`Kafka: reads 2..${report.plan.rereads} are served from the page cache (read_bytes < 1% of the file each; model: 0 disk pages)`,
    rr.slice(1).every((p) => p.readBytes < 0.01 * fileBytes && p.residentBefore === p.totalPages) && report.rereads.slice(1).every((p) => p.diskPages === 0),
    rr.slice(1).map((p) => `${(p.readBytes / MiB).toFixed(2)} MiB`).join(", "), "both");

  // the storage equations on this machine's profile put the passes in the machine's order
  const speeds = readSpeedRows(report);
  const speed = (key: string, side: "model" | "measured") => {
    const r = speeds.find((x) => x.key === key)!;
    return side === "model" ? r.modelMiBps : r.measured.median;
  };
  const ordered = (side: "model" | "measured") => speed("warm", side) > speed("cold", side) && speed("sequential", side) > speed("random", side);
  claims.check("the storage model on this machine's profile orders the reads as the machine does: warm before cold, 4 KiB in order before shuffled",
    ordered("model") && ordered("measured"),
    speeds.map((r) => `${r.key} ${r.measured.median.toFixed(0)} (model ${r.modelMiBps.toFixed(0)}) MiB/s`).join(", "), "both");
  return claims.verdict();
}
