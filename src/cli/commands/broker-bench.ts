// `workbook broker-bench`: the fan-out experiment on the Kafka-compatible broker (src/experiments/
// broker-fanout.ts): P producers, C consumers, catch-up (cold/warm cache) vs tailing, sendfile vs
// read+write; medians with min-max. With --bootstrap, the same runs against any Kafka-compatible cluster.
import { Command, UsageError } from "../command";
import { parseOptions, sizeOption, integerOption, choiceOption, listOption } from "../options";
import { formatBytes } from "../../units/sizes";
import { runBrokerFanout, FANOUT_QUICK, FanoutOptions } from "../../experiments/broker-fanout";
import { FanoutResult, FANOUT_SCENARIOS, FanoutScenario } from "../../experiments/broker-fanout-records";
import { SERVING_MODES, ServingMode } from "../../kafka/broker/response-sender";
import { CACHE_STATES, CacheState } from "../../vocabulary/transfer";
import { parseHostPort } from "../../kafka/client/kafka-connection";
import { BATCH_HEADER_BYTES } from "../../kafka/records/record-batch";
import type { Spread } from "../../statistics/spread";

/** Reads a choice option that may also be "all" or a comma-separated list. */
function choiceListOption<T extends string>(value: string | undefined, flag: string, allowed: readonly T[]): T[] | undefined {
  if (value === undefined) return undefined;
  if (value === "all") return [...allowed];
  return listOption(value, flag)!.map((v) => choiceOption(v, flag, allowed) as T);
}

/** --acks: 0, 1, -1, or the older names append (1) and fsync (-1). */
function acksOption(value: string | undefined): 0 | 1 | -1 | undefined {
  if (value === undefined) return undefined;
  const named: Record<string, 0 | 1 | -1> = { "0": 0, "1": 1, "-1": -1, all: -1, append: 1, fsync: -1 };
  const acks = named[value.trim()];
  if (acks === undefined) throw new UsageError(`--acks must be 0, 1 or -1 (or append = 1, fsync = -1); got "${value}"`);
  return acks;
}

/** "412 (380-450)": a median with its range. */
function spread(s: Spread | null, digits: number): string {
  return s ? `${s.median.toFixed(digits)} (${s.min.toFixed(digits)}-${s.max.toFixed(digits)})` : "-";
}

/** The summary as a table, one row per scenario/serving/cache/C, with the conditions. */
export function fanoutTable(result: FanoutResult): string[] {
  const c = result.conditions;
  const head = ["scenario", "serving", "cache", "C", "served MiB/s", "per consumer MiB/s", "broker CPU s/GiB", "sender CPU s/GiB", "syscalls/GiB", "disk reads x log"];
  const rows = result.summary.map((s) => [
    s.scenario, s.serving, s.cache, String(s.consumers), spread(s.servedMiBps, 0), spread(s.perConsumerMiBps, 0), spread(s.brokerCpuSecondsPerGiB, 2), spread(s.rawSenderCpuSecondsPerGiB, 2), s.brokerSyscallsPerGiB ? s.brokerSyscallsPerGiB.median.toFixed(0) : "-", spread(s.diskReadsPerLogByte, 2),
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => cells.map((cell, i) => (i < 3 ? cell.padEnd(widths[i]) : cell.padStart(widths[i]))).join("  ");
  const m = c.machine;
  return [
    `${c.target === "external" ? `cluster ${c.bootstrap}` : "the workbook's broker"}: log ${formatBytes(c.logBytes)} (catch-up), ${formatBytes(c.tailBytes)} per tailing run; ${c.producers} producers, ${formatBytes(c.recordBytes)} records in batches of ${formatBytes(c.batchBytes)}, acks ${c.acks}; fetch <= ${formatBytes(c.fetchBytes)}; segments ${formatBytes(c.segmentBytes)}; medians (min-max) of ${c.repeats} repeat(s); every consumer got every acknowledged record exactly once (CRC32C-checked)`,
    line(head),
    ...rows.map(line),
    `${m.cpuCount} CPUs, ${m.kernel}, Node ${m.nodeVersion}, load ${m.loadAverage.join(" ")} at start, ${c.loadAverageAtEnd.join(" ")} at end`,
    ...c.notes.map((n) => `note: ${n}`),
  ];
}

export const command: Command = {
  name: "broker-bench",
  summary: "fan-out on the Kafka-compatible broker: C consumers, catch-up vs tailing, sendfile vs read+write; CPU, disk reads (reality)",
  usage: `workbook broker-bench [--consumers n[,n...]] [--producers n] [--serving <${SERVING_MODES.join("|")}|all>] [--scenario <${FANOUT_SCENARIOS.join("|")}|all>] [--cache <cold|warm|all>] [--log-bytes <size>] [--tail-bytes <size>] [--record-bytes <size>] [--batch n | --batch-bytes <size>] [--fetch-bytes <size>] [--acks 0|1|-1] [--repeats n] [--raw] [--walk-records] [--bootstrap host:port] [--dir <d>] [--quick] [--json]`,
  async run(argv, io) {
    const { values } = parseOptions(argv, {
      consumers: { type: "string" },
      producers: { type: "string" },
      serving: { type: "string" },
      scenario: { type: "string" },
      cache: { type: "string" },
      "log-bytes": { type: "string" },
      "tail-bytes": { type: "string" },
      "record-bytes": { type: "string" },
      batch: { type: "string" },
      "batch-bytes": { type: "string" },
      "fetch-bytes": { type: "string" },
      acks: { type: "string" },
      repeats: { type: "string" },
      raw: { type: "boolean" },
      "walk-records": { type: "boolean" },
      bootstrap: { type: "string" },
      dir: { type: "string", path: "existing-dir" },
      quick: { type: "boolean" },
      json: { type: "boolean" },
    });
    if (values.bootstrap !== undefined) {
      try {
        parseHostPort(values.bootstrap, "--bootstrap");
      } catch (error) {
        throw new UsageError((error as Error).message);
      }
      if (values.serving || values.cache || values.raw) throw new UsageError("--serving, --cache and --raw need the workbook's own broker; with --bootstrap only what a client can measure is reported");
    }
    if (values.batch !== undefined && values["batch-bytes"] !== undefined) throw new UsageError("give --batch (records per batch) or --batch-bytes, not both");
    const recordBytes = sizeOption(values["record-bytes"], "record-bytes");
    const recordsPerBatch = integerOption(values.batch, "batch", 1, 100_000);
    // A record of r value bytes takes about r + 8 bytes in a batch (length, attributes, deltas, key, headers).
    const batchBytes = recordsPerBatch !== undefined ? BATCH_HEADER_BYTES + recordsPerBatch * ((recordBytes ?? 1024) + 8) : sizeOption(values["batch-bytes"], "batch-bytes");
    const consumers = listOption(values.consumers, "consumers")?.map((v) => integerOption(v, "consumers", 1, 64) as number);
    const options: FanoutOptions = {
      ...(values.quick ? FANOUT_QUICK : {}),
      ...defined({
        bootstrap: values.bootstrap,
        consumers,
        producers: integerOption(values.producers, "producers", 1, 64),
        servings: choiceListOption<ServingMode>(values.serving, "serving", SERVING_MODES),
        scenarios: choiceListOption<FanoutScenario>(values.scenario, "scenario", FANOUT_SCENARIOS),
        caches: choiceListOption<CacheState>(values.cache, "cache", CACHE_STATES),
        logBytes: sizeOption(values["log-bytes"], "log-bytes"),
        tailBytes: sizeOption(values["tail-bytes"], "tail-bytes"),
        recordBytes,
        batchBytes,
        fetchBytes: sizeOption(values["fetch-bytes"], "fetch-bytes"),
        acks: acksOption(values.acks),
        repeats: integerOption(values.repeats, "repeats", 1, 100),
        includeRaw: values.raw,
        walkRecords: values["walk-records"],
        scratchParent: values.dir,
      }),
      onProgress: (line) => io.err(line),
    };
    const result = await runBrokerFanout(options);
    if (values.json) io.out(JSON.stringify(result, null, 2));
    else for (const line of fanoutTable(result)) io.out(line);
    return 0;
  },
};

/** The entries whose value is not undefined, so they do not override the quick/default sizes. */
function defined<T extends object>(options: T): Partial<T> {
  return Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined)) as Partial<T>;
}
