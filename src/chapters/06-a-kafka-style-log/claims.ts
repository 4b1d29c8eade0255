// What chapter 6 checks: exactly-once delivery, one disk read of the log however many consumers read it, and
// sendfile serving beside read+write and beside the model.
import { Claims, Verdict } from "../../claims/claims";
import type { BrokerExperimentResult } from "../../broker/experiment-records";
import { GiB } from "../../units/sizes";
import { analyzeBroker } from "./analysis";

export const CHAPTER = "6. A Kafka-style log";

/** Chapter 6's claims about a run; the notebook's last cell and the report show them. */
export function chapterClaims(result: BrokerExperimentResult): Verdict {
  const claims = new Claims(CHAPTER);
  const { rows } = analyzeBroker(result);
  const cold = rows.filter((r) => r.scenario === "catch-up" && r.cache === "cold");
  const maxC = Math.max(...cold.map((r) => r.consumers));
  claims.check("every consumer received every record exactly once, in order, CRC-checked", result.runs.every((r) => r.verified === true), `${result.runs.length} runs`, "machine");
  claims.check(`copied into the page cache once: with C = ${maxC} cold consumers the broker reads the log from disk about once (< 1.5x), not ${maxC}x`,
    cold.filter((r) => r.consumers === maxC).every((r) => r.diskReadsPerLogByte.median < 1.5),
    cold.map((r) => `${r.serving} C=${r.consumers}: ${r.diskReadsPerLogByte.median.toFixed(2)}x`).join(", "), "machine");
  const warm = rows.filter((r) => r.scenario === "catch-up" && r.cache === "warm");
  claims.check("a warm log is served without disk reads (< 5% of the log)", warm.every((r) => r.diskReadsPerLogByte.median < 0.05),
    warm.map((r) => `${r.serving} C=${r.consumers}: ${r.diskReadsPerLogByte.median.toFixed(3)}`).join(", "), "machine");
  const sf = warm.filter((r) => r.serving === "sendfile");
  const rw = warm.filter((r) => r.serving === "read-write");
  claims.check("the model: serving by sendfile copies half the bytes with the CPU that read+write does", sf[0].modelCpuBytesPerGiB * 2 === rw[0].modelCpuBytesPerGiB,
    `${sf[0].modelCpuBytesPerGiB / GiB} vs ${rw[0].modelCpuBytesPerGiB / GiB} GiB per GiB served`, "model");
  claims.check("sendfile serves a fetch with about the model's syscalls (within 25%)", sf.every((r) => r.dataSyscallsPerGiB !== null && Math.abs(r.dataSyscallsPerGiB.median / r.modelSyscallsPerGiB - 1) < 0.25),
    sf.map((r) => `C=${r.consumers}: ${Math.round(r.dataSyscallsPerGiB?.median ?? NaN)} vs ${Math.round(r.modelSyscallsPerGiB)}`).join(", "), "both");
  const cpuVerdict = sf.map((r) => {
    const other = rw.find((x) => x.consumers === r.consumers);
    return `C=${r.consumers}: sendfile ${r.brokerCpuSecondsPerGiB.median.toFixed(2)} vs read+write ${other ? other.brokerCpuSecondsPerGiB.median.toFixed(2) : "-"} CPU-s/GiB`;
  });
  claims.note("broker CPU per GiB (not asserted per C: noisy on a shared VM): " + cpuVerdict.join("; "));
  const sumSf = sf.reduce((a, r) => a + r.brokerCpuSecondsPerGiB.median, 0);
  const sumRw = rw.reduce((a, r) => a + r.brokerCpuSecondsPerGiB.median, 0);
  claims.check("over all consumer counts, sendfile costs the broker less CPU per GiB than read+write", sumSf < sumRw, `${sumSf.toFixed(2)} vs ${sumRw.toFixed(2)} CPU-s/GiB summed over C`, "machine");
  return claims.verdict();
}
