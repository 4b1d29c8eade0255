// Chapter 6's generated prose, as Markdown: every number in it is this run's. The notebook shows it with
// showMarkdown beside the figures; the report renders the same Markdown in its sections.
import { formatRate, formatGbit } from "../../units/rates";
import { formatBytes } from "../../units/sizes";
import type { KafkaBrokerAnalysis, FanoutRow } from "./analysis";

const int = (x: number) => Math.round(x).toLocaleString("en-US");
const gbit = (x: number) => formatGbit(x, 2);

/** What happened to the producing broker, in sentences. */
export function crashMarkdown(a: KafkaBrokerAnalysis): string {
  const c = a.study.crash;
  const p = c.produce;
  const readers = c.readBack.map((r) => `${r.client === "kcat" ? "kcat (librdkafka, check.crcs=true)" : "the workbook's consumer"} read ${int(r.records)} records, ${int(r.acknowledgedFound)} of them acknowledged, ${r.lost} lost, ${r.misplaced} out of place`);
  const torn = c.tornTail
    ? `Then the first ${int(c.tornTail.bytes)} bytes of one more ${int(c.tornTail.batchBytes)}-byte batch were appended to \`${c.tornTail.file}\` by hand: the torn write a power cut can leave (a killed process cannot tear one). `
    : "";
  return [
    `The workbook's producer wrote numbered ${c.conditions.recordBytes}-byte records with acks=-1. ` +
      `After ${int(p.acknowledged)} were acknowledged (${p.secondsToKill.toFixed(2)} s in), the broker was killed with SIGKILL, with ${formatBytes(p.pendingBytesAtKill)} of batches still unanswered; ` +
      `${int(p.unacknowledged)} records had been handed to the producer and never acknowledged. ${torn}`,
    `Started again on the same folder, the broker said:\n\n${c.recovery.lines.map((l) => `> ${l.trim()}`).join("\n\n")}`,
    `Then ${readers.join("; ")}.` + (c.kcatSkipped ? ` kcat did not run: ${c.kcatSkipped}.` : "") + unacknowledgedKept(a),
  ].join("\n\n");
}

/** A sentence on the records the log kept although nobody acknowledged them, if there were any. */
function unacknowledgedKept(a: KafkaBrokerAnalysis): string {
  const c = a.study.crash;
  const kept = (c.readBack[0]?.records ?? 0) - c.produce.acknowledged;
  if (kept <= 0) return "";
  return ` The log holds ${int(kept)} records more than were acknowledged: the broker had written them into the page cache but had not answered when it died. ` +
    "Kafka promises nothing about such records; a producer that retries sends them again, and without idempotence they are then in the log twice.";
}

/** The fan-out in sentences: disk reads, broker CPU and calls per GiB, beside the model. */
export function fanoutMarkdown(a: KafkaBrokerAnalysis): string {
  const cold = a.fanout.filter((r) => r.scenario === "catch-up" && r.cache === "cold");
  const warm = a.fanout.filter((r) => r.scenario === "catch-up" && r.cache === "warm");
  const reads = cold.map((r) => r.diskReadsPerLogByte.median);
  const cs = [...new Set(cold.map((r) => r.consumers))].sort((x, y) => x - y);
  const at = (rows: FanoutRow[], serving: string, c: number) => rows.find((r) => r.serving === serving && r.consumers === c);
  const c1 = Math.min(...warm.map((r) => r.consumers));
  const [sf, rw] = [at(warm, "sendfile", c1), at(warm, "read-write", c1)];
  const f = a.study.fanout.conditions;
  const lines = [
    `A ${formatBytes(f.logBytes)} log of ${f.recordBytes}-byte records, read from offset 0 by C = ${cs.join(", ")} consumers at once. ` +
      `From a cold page cache, the broker read ${Math.min(...reads).toFixed(2)} to ${Math.max(...reads).toFixed(2)} times the log from disk, whatever C was: the first consumer's fetches bring each page in, every other consumer's fetch finds it there.`,
  ];
  const sfs = warm.filter((r) => r.serving === "sendfile").sort((x, y) => x.consumers - y.consumers);
  const rws = warm.filter((r) => r.serving === "read-write").sort((x, y) => x.consumers - y.consumers);
  const list = (rows: FanoutRow[]) => rows.map((r) => r.brokerCpuSecondsPerGiB.median.toFixed(3)).join(", ");
  const models = (rows: FanoutRow[]) => {
    const lo = Math.min(...rows.map((r) => r.model.cpuSecondsPerGiB));
    const hi = Math.max(...rows.map((r) => r.model.withDeliverySecondsPerGiB));
    return `${lo.toFixed(3)} to ${hi.toFixed(3)}`;
  };
  if (sfs.length > 0 && rws.length > 0) {
    lines.push(
      `With the log warm, serving by sendfile cost the broker ${list(sfs)} CPU-seconds per GiB at C = ${sfs.map((r) => r.consumers).join(", ")}, and read+write ${list(rws)} ` +
        `(the model, from this machine's profile: ${models(sfs)} and ${models(rws)}; the higher figure when all of loopback's per-byte work, its delivery of the bytes into the consumers' sockets included, runs on the broker's core).`,
    );
    const inverted = sfs.filter((r) => (at(warm, "read-write", r.consumers)?.brokerCpuSecondsPerGiB.median ?? Infinity) <= r.brokerCpuSecondsPerGiB.median);
    if (inverted.length > 0) {
      const [sfDelivery, rwDelivery] = [sfs[0].model.withDeliverySecondsPerGiB - sfs[0].model.cpuSecondsPerGiB, rws[0].model.withDeliverySecondsPerGiB - rws[0].model.cpuSecondsPerGiB];
      lines.push(
        `At C = ${inverted.map((r) => r.consumers).join(", ")} sendfile was not the cheaper mode in this run. On loopback the broker's CPU also holds the kernel's delivery of the bytes into the consumers' sockets whenever that runs on the broker's core, ` +
          `as it does while the consumers keep up; and loopback's per-byte work on page references costs this machine ${sfDelivery.toFixed(3)} CPU-seconds per GiB against ${rwDelivery.toFixed(3)} for copied bytes (the profile), ` +
          "which can eat what sendfile saves on copies. That share moves from run to run; the shaped links below count every CPU instead.",
      );
    }
  }
  if (sf && rw) {
    lines.push(
      `sendfile moved a GiB in ${int(sf.dataSyscallsPerGiB.median)} calls, read+write in ${int(rw.dataSyscallsPerGiB.median)} (C = ${c1}; model: ${int(sf.model.dataSyscallsPerGiB)} and ${int(rw.model.dataSyscallsPerGiB)}). ` +
        `The broker's one event loop was busy ${(sf.brokerBusyCores.median * 100).toFixed(0)}% of the run serving by sendfile and ${(rw.brokerBusyCores.median * 100).toFixed(0)}% by read+write; ` +
        `they served ${sf.servedMiBps.median.toFixed(0)} and ${rw.servedMiBps.median.toFixed(0)} MiB/s.` +
        (rw.servedMiBps.median > 1.1 * sf.servedMiBps.median
          ? ` read+write served faster: on loopback the kernel moves page references more slowly than copied bytes (the profile's per-byte loopback work: ${(sf.model.withDeliverySecondsPerGiB - sf.model.cpuSecondsPerGiB).toFixed(3)} against ${(rw.model.withDeliverySecondsPerGiB - rw.model.cpuSecondsPerGiB).toFixed(3)} CPU-seconds per GiB).`
          : ""),
    );
  }
  return lines.join("\n\n");
}

/** The link study in sentences: whether the link paced both modes, what each burned, where serving stopped following it. */
export function linkMarkdown(a: KafkaBrokerAnalysis): string {
  const l = a.link;
  if (!l) return `The fan-out through shaped links did not run here: ${a.study.linkSkipped ?? "no link study"}.`;
  const row = (rate: number | null, s: string) => l.rows.find((r) => r.rate === rate && r.serving === s);
  const slow = l.rates[0];
  const [sf, rw] = [row(slow, "sendfile"), row(slow, "read-write")];
  const parts = [
    `${l.consumers} consumers read a ${formatBytes(l.logBytes)} log together through links of ${l.rates.map((r) => formatRate(r)).join(", ")} and an unshaped one.`,
  ];
  if (sf && rw) {
    parts.push(
      `Through ${formatRate(slow)} they got ${gbit(sf.throughput.median)} by sendfile and ${gbit(rw.throughput.median)} by read+write: the link set the pace for both. ` +
        `The broker still spent ${sf.brokerCpuSecondsPerGiB.median.toFixed(3)} CPU-seconds per GiB by sendfile and ${rw.brokerCpuSecondsPerGiB.median.toFixed(3)} by read+write; ` +
        `all CPUs together, net of everyone else, ${sf.machine.netSecondsPerGiB.toFixed(2)} ± ${sf.machine.uncertaintySecondsPerGiB.toFixed(2)} and ${rw.machine.netSecondsPerGiB.toFixed(2)} ± ${rw.machine.uncertaintySecondsPerGiB.toFixed(2)}.`,
    );
    const delivery = (serving: string) => {
      const row = a.fanout.find((r) => r.serving === serving && r.scenario === "catch-up");
      return row ? row.model.withDeliverySecondsPerGiB - row.model.cpuSecondsPerGiB : null;
    };
    const [pages, copies] = [delivery("sendfile"), delivery("read-write")];
    parts.push(
      `The consumers spent ${sf.consumerCpuSecondsPerGiB.toFixed(3)} CPU-seconds per GiB served by sendfile and ${rw.consumerCpuSecondsPerGiB.toFixed(3)} served by read+write. ` +
        `On loopback their kernel receives the page references sendfile queued` +
        (pages !== null && copies !== null ? `, which this machine's profile prices at ${pages.toFixed(3)} CPU-seconds per GiB against ${copies.toFixed(3)} for copied bytes` : "") +
        ": on one machine part or all of what sendfile saves the broker moves to its receivers. Behind a real network card the consumers are other machines, and the broker's own column is what a broker pays.",
    );
  }
  parts.push(
    l.crossovers
      .map((c) => `${c.serving} followed the link up to ${c.lastFilled ? formatRate(c.lastFilled) : "no shaped link"}${c.firstNotFilled ? ` and fell short from ${formatRate(c.firstNotFilled)} on (the most it served through a link it could not fill: ${gbit(c.measured!)})` : ""}; unshaped it served ${gbit(c.model)} at best, the model's crossover`)
      .join("; ") + ".",
  );
  return parts.join("\n\n");
}
