// `npm run bench:broker`: the Kafka broker's figures in one run, each beside its target.
//
//  1. Catch-up, warm page cache, one consumer, sendfile serving, against a raw sendfile of the same segment
//     files to the same receiver code, paired round by round: served throughput >= 50% of the raw one;
//     broker CPU per GiB <= 1.5x the raw sender's.
//  2. C = 1, 2, 4, 8 consumers, sendfile vs read+write serving: served throughput, broker CPU per GiB and
//     how busy the broker's core was (CPU-seconds per second: near 1.0 it is CPU-bound, and then the
//     serving mode shows in throughput too).
//  3. The single-node rows of Kreps' 2014 benchmark (src/reference/kreps-2014.ts) with the workbook's
//     clients and with kcat: records/s at least theirs, latency at most theirs.
// A benchmark, not a test: medians and min-max over interleaved runs, conditions printed with them.
//
// usage: npm run bench:broker -- [--log-bytes 256MiB] [--repeats 5] [--consumers 1,2,4,8] [--cache warm|cold|all]
//                                [--kreps-records 2000000] [--latency-records 5000] [--kreps-repeats 3]
//                                [--no-kcat] [--no-kreps] [--quick] [--max-load 1.5] [--max-wait 0] [--out results/broker-bench.json] [--dir <d>]
// It waits up to --max-wait seconds for the 1-minute load average to fall to --max-load, and records the load.
import * as os from "os";
import { parseArgs } from "util";
import { runBrokerFanout } from "../experiments/broker-fanout";
import type { FanoutResult, FanoutRun } from "../experiments/broker-fanout-records";
import { runKrepsRerun, KrepsResult, KrepsSummary } from "../experiments/kreps-rerun";
import { summarize, median, Spread } from "../statistics/spread";
import { writeResultFile } from "../experiments/result-file";
import { KREPS_2014 } from "../reference/kreps-2014";
import { MiB, formatBytes, parseSize } from "../units/sizes";
import type { CacheState } from "../vocabulary/transfer";

/** The targets: served throughput at least half a raw sendfile's, broker CPU per GiB at most 1.5x the raw sender's. */
export const TARGETS = { throughputVsRaw: 0.5, cpuVsRaw: 1.5 };

export interface BrokerBenchResult {
  kind: "broker-bench";
  loadAverageStart: number[];
  loadAverageEnd: number[];
  loadWaitedSeconds: number;
  vsRaw: { throughputRatio: Spread; cpuRatio: Spread; pairs: number; throughputMet: boolean; cpuMet: boolean };
  fanout: FanoutResult;
  kreps: KrepsResult | null;
}

const fmt = (s: Spread, digits: number, scale = 1) => `${(s.median * scale).toFixed(digits)} (${(s.min * scale).toFixed(digits)}-${(s.max * scale).toFixed(digits)})`;
const int = (x: number) => Math.round(x).toLocaleString("en-US");

/** Raw/broker pairs: the raw run and the broker run of the same repeat and cache, one consumer. */
export function pairedRatios(runs: FanoutRun[]): { throughput: number[]; cpu: number[] } {
  const throughput: number[] = [];
  const cpu: number[] = [];
  for (const raw of runs.filter((r) => r.serving === "raw-sendfile" && r.cache === "warm")) {
    const broker = runs.find((r) => r.serving === "sendfile" && r.scenario === "catch-up" && r.cache === "warm" && r.consumers === 1 && r.repeat === raw.repeat);
    if (!broker?.broker || !raw.rawSender) continue;
    throughput.push(broker.servedMiBps / raw.servedMiBps);
    cpu.push(broker.broker.cpuSecondsPerGiB / raw.rawSender.cpuSecondsPerGiB);
  }
  return { throughput, cpu };
}

/** A part is CPU-bound when it keeps this much of a core (or of all cores) busy over the run. */
const BOUND = 0.85;

/** What limited a run, from how busy each part kept its core(s): one process's one thread at a core, or all CPUs
 *  of the machine, or neither (then the run waited: round trips, timers, fsync, socket buffers). */
export function limitOf(parts: Array<{ name: string; cores: number | null }>, machineCores: number | null, cpus: number): string {
  const bound = parts.filter((p) => p.cores !== null && p.cores >= BOUND).sort((a, b) => b.cores! - a.cores!);
  const busy = parts.map((p) => `${p.name} ${p.cores === null ? "?" : p.cores.toFixed(2)}`).join(", ");
  const all = machineCores ?? parts.reduce((s, p) => s + (p.cores ?? 0), 0);
  const what =
    bound.length > 0 ? `${bound[0].name}'s core` : all >= BOUND * cpus ? `the machine's ${cpus} CPUs` : "waits, not CPU (round trips, timers, fsync, socket buffers)";
  return `limited by ${what} (cores busy: ${busy}${machineCores !== null ? `, all CPUs ${machineCores.toFixed(2)} of ${cpus}` : ""})`;
}

/** The report, as lines. */
export function benchReport(r: BrokerBenchResult): string[] {
  const out: string[] = [];
  const f = r.fanout.conditions;
  out.push(`broker benchmark: ${os.cpus().length} CPUs, ${f.machine.kernel}, Node ${f.machine.nodeVersion}; load ${r.loadAverageStart.join(" ")} at start, ${r.loadAverageEnd.join(" ")} at end${r.loadWaitedSeconds ? ` (waited ${r.loadWaitedSeconds} s for it)` : ""}`);
  out.push(`log ${formatBytes(f.logBytes)} of ${formatBytes(f.recordBytes)} records in ${formatBytes(f.batchBytes)} batches, fetches of ${formatBytes(f.fetchBytes)}, ${f.repeats} interleaved repeats; every run verified (every record once, in order, CRC32C-checked)`);
  out.push("");
  out.push("1. catch-up, warm, C = 1, sendfile serving vs a raw sendfile of the same bytes to the same receiver (paired per repeat)");
  const raw = r.fanout.summary.find((s) => s.serving === "raw-sendfile" && s.cache === "warm");
  const broker = r.fanout.summary.find((s) => s.serving === "sendfile" && s.scenario === "catch-up" && s.cache === "warm" && s.consumers === 1);
  const cpus = f.machine.cpuCount;
  if (raw && broker) {
    const rawRuns = r.fanout.runs.filter((x) => x.serving === "raw-sendfile" && x.cache === "warm");
    const brokerRuns = r.fanout.runs.filter((x) => x.serving === "sendfile" && x.scenario === "catch-up" && x.cache === "warm" && x.consumers === 1 && x.broker);
    out.push(`   raw sendfile:  ${fmt(raw.servedMiBps, 0)} MiB/s, sender ${fmt(raw.rawSenderCpuSecondsPerGiB!, 3)} CPU-s/GiB`);
    const machine = (runs: FanoutRun[]) => median(runs.map((x) => x.machineBusyMs / 1000 / x.seconds));
    out.push(`                  ${limitOf([{ name: "the sender", cores: median(rawRuns.map((x) => x.rawSender!.cpuSeconds / x.seconds)) }, { name: "the receiver", cores: median(rawRuns.map((x) => x.consumerCpuSeconds / x.seconds)) }], machine(rawRuns), cpus)}`);
    out.push(`   broker:        ${fmt(broker.servedMiBps, 0)} MiB/s, broker ${fmt(broker.brokerCpuSecondsPerGiB!, 3)} CPU-s/GiB`);
    out.push(`                  ${limitOf([{ name: "the broker", cores: median(brokerRuns.map((x) => x.broker!.cpuSeconds / x.seconds)) }, { name: "the consumer", cores: median(brokerRuns.map((x) => x.consumerCpuSeconds / x.seconds)) }], machine(brokerRuns), cpus)}`);
    out.push(`   throughput ratio ${fmt(r.vsRaw.throughputRatio, 2)}, target >= ${TARGETS.throughputVsRaw.toFixed(2)}: ${r.vsRaw.throughputMet ? "met" : "NOT met"}`);
    out.push(`   CPU per GiB ratio ${fmt(r.vsRaw.cpuRatio, 2)}x, target <= ${TARGETS.cpuVsRaw.toFixed(1)}x: ${r.vsRaw.cpuMet ? "met" : "NOT met"}`);
  }
  out.push("");
  out.push("2. catch-up, C consumers, sendfile vs read+write serving (medians, min-max)");
  const head = ["cache", "C", "serving", "served MiB/s", "broker CPU-s/GiB", "broker CPU-s per s", "consumers CPU-s per s", "disk reads x log"];
  const rows: string[][] = [];
  const limits: string[] = [];
  for (const s of r.fanout.summary.filter((x) => x.scenario === "catch-up" && x.serving !== "raw-sendfile")) {
    const runs = r.fanout.runs.filter((x) => x.scenario === s.scenario && x.serving === s.serving && x.cache === s.cache && x.consumers === s.consumers && x.broker);
    const busy = summarize(runs.map((x) => x.broker!.cpuSeconds / x.seconds));
    const consumers = summarize(runs.map((x) => x.consumerCpuSeconds / x.seconds));
    rows.push([s.cache, String(s.consumers), s.serving, fmt(s.servedMiBps, 0), s.brokerCpuSecondsPerGiB ? fmt(s.brokerCpuSecondsPerGiB, 2) : "-", fmt(busy, 2), fmt(consumers, 2), s.diskReadsPerLogByte ? fmt(s.diskReadsPerLogByte, 2) : "-"]);
    const perConsumer = consumers.median / s.consumers;
    const machine = median(runs.map((x) => x.machineBusyMs / 1000 / x.seconds));
    limits.push(`   ${s.cache} C=${s.consumers} ${s.serving}: ${limitOf([{ name: "the broker", cores: busy.median }, { name: "one consumer", cores: perConsumer }], machine, cpus)}`);
  }
  out.push(...table(head, rows).map((l) => "   " + l));
  out.push(...limits);
  out.push(`   (a part is CPU-bound at ${BOUND} of a core busy, the machine at ${BOUND} of all its CPUs; "all CPUs" is /proc/stat over the run and counts anything else running too)`);
  for (const cache of [...new Set(r.fanout.summary.map((s) => s.cache))].filter((c) => c === "warm" || c === "cold")) {
    for (const c of [...new Set(r.fanout.summary.map((s) => s.consumers))]) {
      const sf = r.fanout.summary.find((s) => s.scenario === "catch-up" && s.serving === "sendfile" && s.cache === cache && s.consumers === c);
      const rw = r.fanout.summary.find((s) => s.scenario === "catch-up" && s.serving === "read-write" && s.cache === cache && s.consumers === c);
      if (sf && rw && sf.brokerCpuSecondsPerGiB && rw.brokerCpuSecondsPerGiB) {
        out.push(`   ${cache} C=${c}: read+write serves at ${(rw.servedMiBps.median / sf.servedMiBps.median).toFixed(2)}x sendfile's throughput and costs ${(rw.brokerCpuSecondsPerGiB.median / sf.brokerCpuSecondsPerGiB.median).toFixed(2)}x its broker CPU per GiB`);
      }
    }
  }
  if (r.kreps) {
    const k = r.kreps.conditions;
    out.push("");
    out.push(`3. Kreps 2014, single node (${KREPS_2014.url})`);
    out.push(`   here: ${k.records.toLocaleString("en-US")} records of ${k.recordBytes} B on ${k.partitions} partitions (Kreps: ${KREPS_2014.records.toLocaleString("en-US")}), acks=${k.acks}, batch.size ${k.batchBytes}; latency over ${k.latencyRecords} records; medians (min-max) of ${k.repeats} repeats; ${k.kcatVersion ?? "no kcat"}`);
    const find = (client: string, test: string) => r.kreps!.summary.find((s) => s.client === client && s.test === test);
    const rate = (s: KrepsSummary | undefined, target: number) => (s ? `${int(s.recordsPerSecond.median)} (${int(s.recordsPerSecond.min)}-${int(s.recordsPerSecond.max)}) ${s.recordsPerSecond.median >= target ? "met" : "NOT met"}` : "-");
    const lat = (s: KrepsSummary | undefined) =>
      s?.latencyMedianMs ? `${s.latencyMedianMs.median.toFixed(2)} / ${s.latencyP99Ms!.median.toFixed(2)} / ${s.latencyP999Ms!.median.toFixed(2)} ms ${s.latencyMedianMs.median <= KREPS_2014.endToEndLatencyMs.median && s.latencyP99Ms!.median <= KREPS_2014.endToEndLatencyMs.p99 && s.latencyP999Ms!.median <= KREPS_2014.endToEndLatencyMs.p999 ? "met" : "NOT met"}` : "-";
    const krows = [
      ["one producer, no replication, records/s", int(KREPS_2014.singleProducerNoReplication.recordsPerSecond), rate(find("workbook", "producer"), KREPS_2014.singleProducerNoReplication.recordsPerSecond), rate(find("kcat", "producer"), KREPS_2014.singleProducerNoReplication.recordsPerSecond)],
      ["one consumer, records/s", int(KREPS_2014.singleConsumer.recordsPerSecond), rate(find("workbook", "consumer"), KREPS_2014.singleConsumer.recordsPerSecond), rate(find("kcat", "consumer"), KREPS_2014.singleConsumer.recordsPerSecond)],
      ["end-to-end latency median / p99 / p99.9", `${KREPS_2014.endToEndLatencyMs.median} / ${KREPS_2014.endToEndLatencyMs.p99} / ${KREPS_2014.endToEndLatencyMs.p999} ms`, lat(find("workbook", "latency")), lat(find("kcat", "latency"))],
    ];
    out.push(...table(["row", "Kreps 2014", "workbook clients", "kcat"], krows).map((l) => "   " + l));
    for (const client of ["workbook", "kcat"] as const) {
      for (const test of ["producer", "consumer"] as const) {
        const b = find(client, test)?.busy;
        if (b) out.push(`   ${client} ${test}: ${limitOf([{ name: "the broker", cores: b.broker }, { name: `the ${client === "kcat" ? "kcat" : "workbook"} ${test}`, cores: b.client }], b.machine, cpus)}`);
      }
    }
    out.push("   latency rows: one record at a time; what each one waits for is a produce round trip, the broker's append, the consumer's long poll waking and its fetch");
    for (const n of k.notes) out.push(`   note: ${n}`);
  }
  for (const n of f.notes) out.push(`note: ${n}`);
  return out;
}

function table(head: string[], rows: string[][]): string[] {
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i])).join("  ").trimEnd();
  return [line(head), ...rows.map(line)];
}

async function waitForQuiet(maxLoad: number, maxWaitSeconds: number, log: (s: string) => void): Promise<number> {
  const start = Date.now();
  while (os.loadavg()[0] > maxLoad && (Date.now() - start) / 1000 < maxWaitSeconds) {
    log(`load average ${os.loadavg()[0].toFixed(2)} > ${maxLoad}: waiting 15 s`);
    await new Promise((r) => setTimeout(r, 15_000));
  }
  if (os.loadavg()[0] > maxLoad) log(`load average ${os.loadavg()[0].toFixed(2)} > ${maxLoad}: measuring anyway; figures from a busy machine are for development only`);
  return Math.round((Date.now() - start) / 1000);
}

/** A bad flag: one line, exit 2. */
class BenchUsageError extends Error {}

function whole(value: string | undefined, flag: string, min: number, max: number): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < min || n > max) throw new BenchUsageError(`--${flag} must be a whole number from ${min} to ${max}, got "${value}"`);
  return n;
}

function size(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  try {
    return parseSize(value, `--${flag}`);
  } catch (error) {
    throw new BenchUsageError((error as Error).message);
  }
}

async function main(argv: string[]): Promise<void> {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, strict: true, allowPositionals: true, options: {
    "log-bytes": { type: "string" },
    repeats: { type: "string" },
    consumers: { type: "string" },
    cache: { type: "string" },
    "kreps-records": { type: "string" },
    "latency-records": { type: "string" },
    "kreps-repeats": { type: "string" },
    "no-kcat": { type: "boolean" },
    "no-kreps": { type: "boolean" },
    quick: { type: "boolean" },
    "max-load": { type: "string" },
    "max-wait": { type: "string" },
    out: { type: "string" },
    dir: { type: "string" },
  } });
  } catch (error) {
    throw new BenchUsageError((error as Error).message.split("\n")[0]);
  }
  const { values, positionals } = parsed;
  if (positionals.length) throw new BenchUsageError(`unexpected argument "${positionals[0]}"`);
  const quick = Boolean(values.quick);
  const log = (line: string) => process.stderr.write(line + "\n");
  const maxLoad = values["max-load"] ? Number(values["max-load"]) : 1.5;
  if (!(maxLoad > 0)) throw new BenchUsageError(`--max-load must be a positive number, got "${values["max-load"]}"`);
  const maxWait = whole(values["max-wait"], "max-wait", 0, 3600) ?? 0;
  const cacheChoice = values.cache ?? "warm";
  if (!["warm", "cold", "all"].includes(cacheChoice)) throw new BenchUsageError(`--cache must be warm, cold or all; got "${cacheChoice}"`);
  const fanoutOptions = {
    consumers: values.consumers?.split(",").map((c) => whole(c.trim(), "consumers", 1, 64)!) ?? [1, 2, 4, 8],
    scenarios: ["catch-up"] as ["catch-up"],
    caches: (cacheChoice === "all" ? ["warm", "cold"] : [cacheChoice]) as CacheState[],
    logBytes: size(values["log-bytes"], "log-bytes") ?? (quick ? 32 * MiB : 256 * MiB),
    repeats: whole(values.repeats, "repeats", 1, 100) ?? (quick ? 2 : 5),
    includeRaw: true,
    scratchParent: values.dir,
    onProgress: log,
  };
  const krepsOptions = {
    records: whole(values["kreps-records"], "kreps-records", 1000, 1e9) ?? (quick ? 200_000 : 2_000_000),
    latencyRecords: whole(values["latency-records"], "latency-records", 10, 1e7) ?? (quick ? 500 : 5000),
    repeats: whole(values["kreps-repeats"], "kreps-repeats", 1, 100) ?? (quick ? 1 : 3),
    withKcat: !values["no-kcat"],
    scratchParent: values.dir,
    onProgress: log,
  };
  const loadAverageStart = os.loadavg().map((x) => Math.round(x * 100) / 100);
  const loadWaitedSeconds = await waitForQuiet(maxLoad, maxWait, log);
  const fanout = await runBrokerFanout(fanoutOptions);
  const pairs = pairedRatios(fanout.runs);
  const vsRaw = {
    throughputRatio: summarize(pairs.throughput),
    cpuRatio: summarize(pairs.cpu),
    pairs: pairs.throughput.length,
    throughputMet: summarize(pairs.throughput).median >= TARGETS.throughputVsRaw,
    cpuMet: summarize(pairs.cpu).median <= TARGETS.cpuVsRaw,
  };
  const kreps = values["no-kreps"] ? null : await runKrepsRerun(krepsOptions);
  const result: BrokerBenchResult = { kind: "broker-bench", loadAverageStart, loadAverageEnd: os.loadavg().map((x) => Math.round(x * 100) / 100), loadWaitedSeconds, vsRaw, fanout, kreps };
  for (const line of benchReport(result)) process.stdout.write(line + "\n");
  if (values.out) {
    writeResultFile(values.out, result);
    log(`wrote ${values.out}`);
  }
}

if (require.main === module) {
  main(process.argv.slice(2)).catch((error: Error) => {
    process.stderr.write(`bench:broker: ${error.message}\n`);
    process.exitCode = error instanceof BenchUsageError ? 2 : 1;
  });
}
