// What chapter 6 checks: every acknowledged record survives a kill of the broker and is read back by two
// independent clients; recovery cuts a torn tail and nothing else; the segment holds Kafka's RecordBatch v2;
// every consumer gets every record once; the log is read from disk once however many consumers read it;
// sendfile serving costs the broker less CPU and far fewer calls than read+write, beside the model; and through
// shaped links, the link paces both serving modes while read+write still burns the broker's CPU that sendfile leaves
// idle (every CPU's figure, consumers included, is reported beside it).
import { Claims, Verdict } from "../../claims/claims";
import { formatRate, formatGbit } from "../../units/rates";
import { KafkaBrokerStudy, KafkaBrokerAnalysis, analyzeKafkaBroker, LINK_BOUND_SLOWDOWN, FanoutRow } from "./analysis";

export const CHAPTER = "6. A Kafka broker: Kafka's format and protocol, sendfile to every consumer, and a crash survived";

/** The slowest link every plan has: both serving modes must fill it. */
export const SLOW_LINK = 1e9;

/** A run may beat its link's rate by this much (tbf lets a burst of its bucket through before pacing). */
export const LINK_OVERSHOOT = 1.05;

/** The model's saving (read+write's broker CPU per GiB minus sendfile's) must match the measured one within this
 *  factor: the profile's per-call and per-byte costs come from micro-benchmarks measured on a shared machine,
 *  whose spreads reach 100% and more. */
export const MODEL_SAVING_FACTOR = 3;

/** The measured crossover may lie this far (as a factor) from the model's, as in chapter 2b. */
export const CROSSOVER_FACTOR = 2;

const gbit = (x: number) => formatGbit(x, 2);

/** Chapter 6's claims about a study; the notebook's last cell and the report show them. */
export function chapterClaims(study: KafkaBrokerStudy, analysis: KafkaBrokerAnalysis = analyzeKafkaBroker(study)): Verdict {
  const claims = new Claims(CHAPTER);
  crashClaims(claims, analysis);
  fanoutClaims(claims, analysis);
  linkClaims(claims, analysis);
  return claims.verdict();
}

function crashClaims(claims: Claims, a: KafkaBrokerAnalysis): void {
  const crash = a.study.crash;
  const acked = crash.produce.acknowledged;
  const readers = crash.readBack;
  claims.check(
    `every record acknowledged with acks=-1 before the broker was killed (SIGKILL) is read back after the restart, once and at its own offset, by ${readers.map((r) => r.client).join(" and ")}`,
    acked > 0 && readers.length > 0 && readers.every((r) => r.lost === 0 && r.misplaced === 0 && r.acknowledgedFound === acked),
    `${acked} acknowledged, ${crash.produce.unacknowledged} more appended, unanswered, when it died; ` +
      readers.map((r) => `${r.client}: ${r.acknowledgedFound} of them found, ${r.lost} lost, ${r.misplaced} out of place, ${r.records} records in the log`).join("; "),
    "machine",
  );
  if (crash.kcatSkipped) claims.note(`kcat did not read the log: ${crash.kcatSkipped}`);
  if (crash.tornTail) {
    claims.check(
      "recovery found the torn tail and cut exactly it: the half batch laid on after the kill, and no byte of a whole batch",
      !crash.recovery.clean && crash.recovery.truncatedBytes === crash.tornTail.bytes,
      `${crash.tornTail.bytes} bytes laid on; recovery checked ${crash.recovery.batchesValidated} batches and truncated ${crash.recovery.truncatedBytes} bytes${crash.recovery.truncatedAt ? ` at ${crash.recovery.truncatedAt.file}:${crash.recovery.truncatedAt.position}` : ""}`,
      "machine",
    );
  }
  const batch = a.firstBatch;
  claims.check(
    "the segment holds Kafka's RecordBatch v2 as the producer built it: magic 2, and its CRC32C still matches after the broker stamped the base offset",
    batch.magic === 2 && batch.crcValid,
    `${batch.file}: magic ${batch.magic}, ${batch.header.find((r) => r.field === "crc")?.value} ${batch.crcValid ? "valid" : "INVALID"}, ${batch.records} records in the first batch`,
    "machine",
  );
}

/** Sum of a measure over rows. */
const total = (rows: FanoutRow[], pick: (r: FanoutRow) => number) => rows.reduce((s, r) => s + pick(r), 0);

function fanoutClaims(claims: Claims, a: KafkaBrokerAnalysis): void {
  const study = a.study;
  const linkRuns = study.link?.runs.length ?? 0;
  claims.check(
    "every consumer received every acknowledged record exactly once, in order, every batch CRC32C-checked",
    study.fanout.runs.every((r) => r.verified === true) && (study.link?.runs ?? []).every((r) => r.verified === true),
    `${study.fanout.runs.length} runs on loopback${study.link ? `, ${linkRuns} through links` : ""}`,
    "machine",
  );
  const cold = a.fanout.filter((r) => r.scenario === "catch-up" && r.cache === "cold");
  claims.check(
    `copied into the page cache once, not once per consumer: for every C (${cold.map((r) => r.consumers).filter((c, i, all) => all.indexOf(c) === i).join(", ")}) reading a cold log, the broker reads it from disk about once (0.9-1.5x), not C times`,
    cold.length > 0 && cold.every((r) => r.diskReadsPerLogByte.median >= 0.9 && r.diskReadsPerLogByte.median < 1.5 && (r.residentBefore?.max ?? 1) < 0.05),
    cold.map((r) => `${r.serving} C=${r.consumers}: ${r.diskReadsPerLogByte.median.toFixed(2)}x (resident before <= ${((r.residentBefore?.max ?? NaN) * 100).toFixed(1)}%)`).join(", "),
    "machine",
  );
  const warm = a.fanout.filter((r) => r.scenario === "catch-up" && r.cache === "warm");
  claims.check(
    "a warm log is served without disk reads (< 5% of the log)",
    warm.length > 0 && warm.every((r) => r.diskReadsPerLogByte.median < 0.05),
    warm.map((r) => `${r.serving} C=${r.consumers}: ${r.diskReadsPerLogByte.median.toFixed(3)}`).join(", "),
    "machine",
  );
  const tailing = a.fanout.filter((r) => r.scenario === "tailing");
  if (tailing.length > 0) {
    claims.check(
      "consumers at the tail read what the producers just wrote from the page cache: no disk reads (< 5% of the bytes)",
      tailing.every((r) => r.diskReadsPerLogByte.median < 0.05),
      tailing.map((r) => `${r.serving} C=${r.consumers}: ${r.diskReadsPerLogByte.median.toFixed(3)}`).join(", "),
      "machine",
    );
  }
  const sf = warm.filter((r) => r.serving === "sendfile");
  const rw = warm.filter((r) => r.serving === "read-write");
  if (sf.length === 0 || rw.length === 0) throw new RangeError("chapter 6 compares sendfile and read+write serving: the study must have warm catch-ups of both");
  claims.check(
    "over all consumer counts, sendfile costs the broker less CPU per GiB than read+write (their sum over C)",
    total(sf, (r) => r.brokerCpuSecondsPerGiB.median) < total(rw, (r) => r.brokerCpuSecondsPerGiB.median),
    sf.map((r) => `C=${r.consumers}: ${r.brokerCpuSecondsPerGiB.median.toFixed(3)} vs ${rw.find((x) => x.consumers === r.consumers)?.brokerCpuSecondsPerGiB.median.toFixed(3) ?? "-"}`).join(", ") + " CPU-s/GiB",
    "machine",
  );
  claims.check(
    "the model: read+write serving costs the broker more CPU per GiB than sendfile (two CPU copies of every byte and a loop step per 64 KiB)",
    total(rw, (r) => r.model.cpuSecondsPerGiB) > total(sf, (r) => r.model.cpuSecondsPerGiB),
    `${(total(sf, (r) => r.model.cpuSecondsPerGiB) / sf.length).toFixed(3)} vs ${(total(rw, (r) => r.model.cpuSecondsPerGiB) / rw.length).toFixed(3)} CPU-s/GiB (${a.modelLabel})`,
    "model",
  );
  const savedMeasured = (total(rw, (r) => r.brokerCpuSecondsPerGiB.median) - total(sf, (r) => r.brokerCpuSecondsPerGiB.median)) / sf.length;
  const savedModel = (total(rw, (r) => r.model.cpuSecondsPerGiB) - total(sf, (r) => r.model.cpuSecondsPerGiB)) / sf.length;
  const ratio = savedMeasured / savedModel;
  claims.check(
    `what sendfile saves the broker per GiB matches the model within a factor ${MODEL_SAVING_FACTOR} (mean over C)`,
    savedMeasured > 0 && ratio <= MODEL_SAVING_FACTOR && ratio >= 1 / MODEL_SAVING_FACTOR,
    `measured ${savedMeasured.toFixed(3)}, model ${savedModel.toFixed(3)} CPU-s/GiB (measured / model ${ratio.toFixed(2)})`,
    "both",
  );
  const range = (rows: FanoutRow[]) => rows.map((r) => `C=${r.consumers} ${r.brokerCpuSecondsPerGiB.median.toFixed(3)} in ${r.model.cpuSecondsPerGiB.toFixed(3)}-${r.model.withDeliverySecondsPerGiB.toFixed(3)}`).join(", ");
  claims.note(
    `the broker's CPU per GiB measured against the model's range (loopback's per-byte work, its delivery into the consumers' sockets included, on their cores or on the broker's): ` +
      `sendfile ${range(sf)}; read+write ${range(rw)}. Not in the model: calls that find the socket full and the waits for it (epoll), the event loop's own turns`,
  );
  claims.check(
    "read+write moves a GiB in about the model's calls (within 25%): a header write, then a pread and a write per 64 KiB",
    rw.every((r) => Math.abs(r.dataSyscallsPerGiB.median / r.model.dataSyscallsPerGiB - 1) <= 0.25),
    rw.map((r) => `C=${r.consumers}: ${Math.round(r.dataSyscallsPerGiB.median)} vs ${Math.round(r.model.dataSyscallsPerGiB)}`).join(", "),
    "both",
  );
  claims.check(
    "sendfile moves a GiB in under a tenth of read+write's calls",
    sf.every((r) => r.dataSyscallsPerGiB.median * 10 < (rw.find((x) => x.consumers === r.consumers)?.dataSyscallsPerGiB.median ?? 0)),
    sf.map((r) => `C=${r.consumers}: ${Math.round(r.dataSyscallsPerGiB.median)} vs ${Math.round(rw.find((x) => x.consumers === r.consumers)?.dataSyscallsPerGiB.median ?? NaN)} (model ${Math.round(r.model.dataSyscallsPerGiB)})`).join(", ") + " calls per GiB",
    "machine",
  );
  claims.note(`${Math.round(sf[0].model.fetchBytes / 1024)} KiB per fetch response on average (C=${sf[0].consumers}, sendfile); the model is priced at each row's own mean`);
}

function linkClaims(claims: Claims, a: KafkaBrokerAnalysis): void {
  const l = a.link;
  if (!l) {
    claims.note(`the fan-out through shaped links did not run: ${a.study.linkSkipped ?? "no link study"}`);
    return;
  }
  const slow = l.rows.filter((r) => r.rate === SLOW_LINK);
  if (slow.length === 0) throw new RangeError(`chapter 6's plan must include the ${formatRate(SLOW_LINK)} link`);
  claims.check(
    `through ${formatRate(SLOW_LINK)} both serving modes fill the link: ${l.consumers} consumers get at least rate / ${LINK_BOUND_SLOWDOWN} together (median)`,
    slow.every((r) => r.filledLink),
    slow.map((r) => `${r.serving} ${gbit(r.throughput.median)}`).join(", "),
    "machine",
  );
  const shaped = l.rows.filter((r) => r.rate !== null);
  claims.check(
    `no run beats its link by more than ${Math.round((LINK_OVERSHOOT - 1) * 100)}% (the token bucket's burst)`,
    shaped.every((r) => r.throughput.max <= r.rate! * LINK_OVERSHOOT),
    shaped.map((r) => `${formatRate(r.rate)} ${r.serving}: fastest ${gbit(r.throughput.max)}`).join(", "),
    "machine",
  );
  const pairs = [...l.rates, null].map((rate) => ({ rate, sf: l.rows.find((r) => r.rate === rate && r.serving === "sendfile"), rw: l.rows.find((r) => r.rate === rate && r.serving === "read-write") }));
  claims.check(
    "through every link, sendfile costs the broker process less CPU per GiB than read+write (median): the two copies are the broker's own system calls",
    pairs.every((p) => p.sf && p.rw && p.sf.brokerCpuSecondsPerGiB.median < p.rw.brokerCpuSecondsPerGiB.median),
    pairs.map((p) => `${formatRate(p.rate)} ${p.sf?.brokerCpuSecondsPerGiB.median.toFixed(3)} vs ${p.rw?.brokerCpuSecondsPerGiB.median.toFixed(3)}`).join(", ") + " s/GiB",
    "machine",
  );
  // Every CPU's figure holds the consumers too, and on one machine their kernel receives sendfile's page references
  // at a higher cost per byte than copied bytes: the sign of the machine-wide difference is not fixed, so it is
  // reported, rate by rate, with the parts it is made of, and not asserted.
  const sign = (x: number) => `${x >= 0 ? "+" : ""}${x.toFixed(3)}`;
  claims.note(
    "read+write minus sendfile, CPU-seconds per GiB served, by rate: " +
      l.savings.map((s) => `${formatRate(s.rate)}: all CPUs ${sign(s.machineSecondsPerGiB)} ± ${s.machineUncertainty.toFixed(3)}${s.resolved ? " (resolved)" : ""}, the broker ${sign(s.brokerSecondsPerGiB)}, the consumers ${sign(s.consumersSecondsPerGiB)}`).join("; "),
  );
  const resolved = l.savings.filter((s) => s.resolved);
  claims.note(
    resolved.length > 0
      ? `the machine-wide difference was resolved (beyond 2 sd) at ${resolved.map((s) => `${formatRate(s.rate)} (${sign(s.machineSecondsPerGiB)} s/GiB, ${sign(s.coresAtRate)} cores at the rate served)`).join(", ")}; where it is negative, the consumers' extra receive work outweighed the broker's saving`
      : `the machine-wide difference was not resolved at any rate: everyone else kept up to ${l.backgroundCores.toFixed(2)} cores busy, which the measurement cannot tell from ours to better than its uncertainty`,
  );
  const judged = l.crossovers.map((c) => {
    const low = c.lastFilled ?? 0;
    const high = c.firstNotFilled ?? Infinity;
    const ok = low <= c.model * CROSSOVER_FACTOR && high >= c.model / CROSSOVER_FACTOR;
    return { ok, text: `${c.serving}: model ${gbit(c.model)}, filled ${low > 0 ? `up to ${formatRate(low)}` : "no link"}, ${Number.isFinite(high) ? `not ${formatRate(high)}` : "every shaped link"}` };
  });
  claims.check(
    `serving stops following the link where the model puts it (its fastest unshaped run), within a factor ${CROSSOVER_FACTOR}: it filled the links below and not those above`,
    judged.every((j) => j.ok),
    judged.map((j) => j.text).join("; "),
    "both",
  );
  claims.note(`the shaped links' qdiscs dropped ${l.drops} packets; a run counts as filling its link when it served at least rate / ${LINK_BOUND_SLOWDOWN}`);
}
