// What chapter 5 checks: the model's recv-write path and flush policies, and where the producer's bytes were on
// this machine when the sink acked.
import { Claims, Verdict } from "../../claims/claims";
import { PRODUCER_POLICIES } from "../../experiments/producer-records";
import { MiB, formatBytes } from "../../units/sizes";
import { PAGE_SIZE } from "../../reference/linux";
import { producerModels, policyRows, payloadCounts, loopbackRows, producerSteps, PolicyModel, PolicyRow, ProducerStudy } from "./analysis";

export const CHAPTER = "5. The producer's side";

/** Chapter 5's claims about a run; the notebook's last cell and the report show them. */
export function chapterClaims(result: ProducerStudy): Verdict {
  const claims = new Claims(CHAPTER);
  const c = result.conditions;
  const models = producerModels(result);
  const rows = policyRows(result, models);
  const row = (policy: string): PolicyRow => {
    const found = rows.find((r) => r.policy === policy);
    if (!found) throw new RangeError(`chapter 5 measured no ${policy} row`);
    return found;
  };
  const model = (policy: string): PolicyModel => {
    const found = models.find((m) => m.policy === policy);
    if (!found) throw new RangeError(`no model for ${policy}`);
    return found;
  };
  const { recvWrite: rwModel, recvWriteFsync: fsyncModel } = payloadCounts(c.bytes, c.fsyncBytes);
  claims.check("recv-write makes 2 CPU copies and 2 DMA copies per call (socket buffer -> user -> page cache; NIC and disk by DMA)",
    rwModel.cpuCopies === 2 * rwModel.chunks && rwModel.dmaCopies === 2 * rwModel.chunks, `${rwModel.cpuCopies} CPU, ${rwModel.dmaCopies} DMA copies in ${rwModel.chunks} calls`, "model");
  const steps = producerSteps().recvWrite.perChunk;
  const cpuOnBroker = steps.filter((st) => st.kind === "copy" && st.actor === "cpu").map((st) => `${st.seedStep} ${st.from} → ${st.to}`);
  claims.check("the reader's question, in the model: the bytes reach the NIC, its DMA puts them in memory, and the broker's CPU copies them twice (recv into the application, 1.1; write into the page cache, 1.2)",
    steps[0].kind === "wire" && steps[0].to === "NIC" && steps[1].actor === "dma" && cpuOnBroker.join("; ") === "1.1 socket buffer → user buffer; 1.2 user buffer → page cache",
    `${steps[0].actor} ${steps[0].from} → ${steps[0].to}; ${steps[1].actor} ${steps[1].from} → ${steps[1].to}; CPU: ${cpuOnBroker.join("; ")}`, "model");
  const [pcModel, endModel, eachModel] = PRODUCER_POLICIES.map(model);
  // within a microsecond: fsync-end's one fsync call is CPU of the sink's too
  claims.check("page-cache acks before any writeback; fsync-end waits for exactly the writeback page-cache defers",
    pcModel.diskBytesAtAck === 0 && pcModel.laterSeconds > 0 && Math.abs(endModel.ackSeconds - (pcModel.ackSeconds + pcModel.laterSeconds)) < 1e-6,
    `ack ${(pcModel.ackSeconds * 1e3).toFixed(1)} ms + deferred ${(pcModel.laterSeconds * 1e3).toFixed(1)} ms = fsync-end ${(endModel.ackSeconds * 1e3).toFixed(1)} ms`, "model");
  claims.check("fsync-each adds one fsync syscall per call and acks later than page-cache", fsyncModel.syscalls === 3 * fsyncModel.chunks && eachModel.ackSeconds > pcModel.ackSeconds,
    `${fsyncModel.syscalls} syscalls in ${fsyncModel.chunks} calls; ack ${(eachModel.ackSeconds * 1e3).toFixed(1)} vs ${(pcModel.ackSeconds * 1e3).toFixed(1)} ms`, "model");
  claims.check("every byte arrived: each run's file has the producer's length and CRC-32",
    result.runs.every((r) => r.receivedBytes === c.bytes && r.fileBytes === c.bytes && r.fileChecksum === r.sentChecksum),
    `${result.runs.length} runs, ${formatBytes(c.bytes)} each, crc32 ${result.runs[0].sentChecksum}`, "machine");
  const pages = Math.ceil(c.bytes / PAGE_SIZE);
  // At least 99%: on a shared machine another process's memory pressure can reclaim a few pages in the instant
  // between the last write and the mincore probe; the evidence gives the fewest seen.
  const fewest = Math.min(...result.runs.map((r) => r.residentPages));
  claims.check("right after the ack the file is in the page cache, under every policy (mincore: at least 99% of its pages, every run)",
    result.runs.every((r) => r.filePages === pages && r.residentPages >= 0.99 * pages),
    `${fewest === pages ? "all" : `at least ${fewest} of`} ${pages} pages in all ${result.runs.length} runs`, "machine");
  const fsyncs = Object.fromEntries(result.summaries.map((s) => [s.policy, s.metrics.fsyncCalls]));
  const perMiB = Math.ceil(c.bytes / c.fsyncBytes);
  claims.check("the sink fsynced as its policy says: 0, 1, and once per MiB",
    fsyncs["page-cache"].max === 0 && fsyncs["fsync-end"].min === 1 && fsyncs["fsync-end"].max === 1 && fsyncs["fsync-each"].min === perMiB && fsyncs["fsync-each"].max === perMiB,
    PRODUCER_POLICIES.map((p) => `${p} ${fsyncs[p].median}`).join(", "), "machine");
  const onDisk = !["tmpfs", "ramfs"].includes(c.filesystem);
  const wb = result.runs.map((r) => r.writeBytesDuring);
  claims.check(
    onDisk ? `on ${c.filesystem}, write_bytes is charged at write() time: about the payload for every policy, page-cache included` : `on ${c.filesystem}, write_bytes stays 0 for every policy: the pages never go to a disk`,
    onDisk ? wb.every((b) => b >= c.bytes && b <= c.bytes + 2 * MiB) : wb.every((b) => b === 0),
    `write_bytes ${Math.min(...wb)}-${Math.max(...wb)} bytes for ${c.bytes} sent`, "machine");
  if (c.device) {
    const later = (policy: string) => result.summaries.find((s) => s.policy === policy)?.deviceWriteBytesLater?.median ?? NaN;
    claims.check("page-cache acked before the disk had the bytes: the later fsync made the device write at least 90% of the payload (median)", later("page-cache") >= 0.9 * c.bytes,
      `${formatBytes(later("page-cache"))} of ${formatBytes(c.bytes)} written during the later fsync`, "machine");
    claims.check("fsync-end and fsync-each left nothing to write: the later fsync's device writes stay under 10% of the payload (median)",
      later("fsync-end") < 0.1 * c.bytes && later("fsync-each") < 0.1 * c.bytes, `fsync-end ${formatBytes(later("fsync-end"))}, fsync-each ${formatBytes(later("fsync-each"))}`, "machine");
  } else {
    claims.note(`no block device under ${c.scratchDir} (${c.filesystem}): device-write claims not applicable`);
  }
  const lo = result.runs.map((r) => r.net);
  if (lo.every((n) => n.loopbackBytes !== null && n.netRxSoftirqs !== null)) {
    claims.check("the payload went over the loopback device: lo carried at least the payload's bytes in every run (system-wide counter)", lo.every((n) => (n.loopbackBytes as number) >= c.bytes),
      `${formatBytes(Math.min(...lo.map((n) => n.loopbackBytes as number)))} at least, for ${formatBytes(c.bytes)}`, "machine");
    claims.check("without a NIC the receive path still ran in softirq context: NET_RX softirqs during every run", lo.every((n) => (n.netRxSoftirqs as number) > 0),
      `${Math.min(...lo.map((n) => n.netRxSoftirqs as number))} at least, median ${loopbackRows(result).map((r) => r.netRxSoftirqs).join("/")} per policy`, "machine");
  } else {
    claims.note("/proc/net/dev or /proc/softirqs unreadable: loopback claims not applicable");
  }
  claims.check("fsync-each takes longer than page-cache until the ack (median)", row("fsync-each").medianSeconds > row("page-cache").medianSeconds,
    `${(row("fsync-each").medianSeconds * 1e3).toFixed(1)} ms vs ${(row("page-cache").medianSeconds * 1e3).toFixed(1)} ms`, "machine");
  // Not asserted: the margin is one fsync of the payload, within this shared VM's run-to-run noise at small sizes.
  const endSlower = row("fsync-end").medianSeconds > row("page-cache").medianSeconds;
  claims.note(`verdict: fsync-end ${(row("fsync-end").medianSeconds * 1e3).toFixed(1)} ms vs page-cache ${(row("page-cache").medianSeconds * 1e3).toFixed(1)} ms until the ack: ` +
    (endSlower ? `slower, by about the later fsync's ${(row("page-cache").laterFsyncSeconds * 1e3).toFixed(1)} ms` : "not slower this time"));
  return claims.verdict();
}
