// `workbook broker-bench`: the Kafka-style broker experiment (src/broker/experiment.ts): P producers,
// C consumers, catch-up (cold/warm cache) vs tailing, sendfile vs read+write; medians with min-max.
import { Command } from "../command";
import { parseOptions, sizeOption, integerOption, choiceOption, listOption } from "../options";
import { GiB, formatBytes } from "../../units/sizes";
import { runBrokerExperiment, BROKER_EXPERIMENT_QUICK, BrokerExperimentOptions } from "../../broker/experiment";
import { BrokerExperimentResult, SCENARIOS, Scenario } from "../../broker/experiment-records";
import { SERVING_MODES, ServingMode } from "../../broker/fetch-server";
import type { Spread } from "../../statistics/spread";
import { analyzeBroker } from "../../chapters/06-a-kafka-style-log/analysis";
import { CACHE_STATES, CacheState } from "../../vocabulary/transfer";

/** Reads a choice option that may also be "all" or a comma-separated list. */
function choiceListOption<T extends string>(value: string | undefined, flag: string, allowed: readonly T[]): T[] | undefined {
  if (value === undefined) return undefined;
  if (value === "all") return [...allowed];
  return listOption(value, flag)!.map((v) => choiceOption(v, flag, allowed) as T);
}

/** Reads --consumers: one count or a comma-separated list, each 1..64. */
function consumersOption(value: string | undefined): number[] | undefined {
  return listOption(value, "consumers")?.map((v) => integerOption(v, "consumers", 1, 64) as number);
}

/** "412 (380-450)": a median with its range. */
function spread(s: Spread, digits: number): string {
  return `${s.median.toFixed(digits)} (${s.min.toFixed(digits)}-${s.max.toFixed(digits)})`;
}

/** The summary as a table, one row per scenario/serving/cache/C, with the conditions. */
export function brokerTable(result: BrokerExperimentResult): string[] {
  const c = result.conditions;
  const head = ["scenario", "serving", "cache", "C", "served MiB/s", "broker CPU s/GiB", "disk reads x cold log", "syscalls/GiB", "data syscalls/GiB", "model syscalls/GiB", "model CPU copies/GiB"];
  const rows = analyzeBroker(result).rows.map((s) => [
    s.scenario,
    s.serving,
    s.cache,
    String(s.consumers),
    spread(s.servedMiBps, 0),
    spread(s.brokerCpuSecondsPerGiB, 2),
    s.diskReadsPerColdByte ? spread(s.diskReadsPerColdByte, 2) : `(${s.diskReadsPerLogByte.median.toFixed(2)} x log)`,
    s.brokerSyscallsPerGiB.median.toFixed(0),
    s.dataSyscallsPerGiB ? s.dataSyscallsPerGiB.median.toFixed(0) : "-",
    String(s.modelSyscallsPerGiB),
    `${s.modelCpuCopiesPerGiB} (${(s.modelCpuBytesPerGiB / GiB).toFixed(0)} GiB)`,
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => cells.map((cell, i) => (i < 3 ? cell.padEnd(widths[i]) : cell.padStart(widths[i]))).join("  ");
  const m = c.machine;
  return [
    `log ${formatBytes(c.logBytes)} (catch-up), ${formatBytes(c.tailBytes)} per tailing run; ${c.producers} producers, batches of ${c.recordsPerBatch} x ${formatBytes(c.recordBytes)} (${formatBytes(c.batchBytes)}), fetch <= ${formatBytes(c.fetchMaxBytes)}, segments ${formatBytes(c.segmentBytes)}, acks ${c.acks}; medians (min-max) of ${c.repeats} repeat(s); every consumer got every acknowledged record exactly once (CRC32C-checked)`,
    line(head),
    ...rows.map(line),
    `${m.cpuCount} CPUs, ${m.kernel}, Node ${m.nodeVersion}, load ${m.loadAverage.join(" ")} at start, ${c.loadAverageAtEnd.join(" ")} at end${c.sendfileAvailable ? "" : `; sendfile unavailable: ${c.sendfileUnavailableReason}`}`,
    ...c.notes.map((n) => `note: ${n}`),
  ];
}

export const command: Command = {
  name: "broker-bench",
  summary: "run a Kafka-style broker: C consumers, catch-up vs tailing, sendfile vs read+write; CPU, disk reads, model (reality)",
  usage: `workbook broker-bench [--consumers n[,n...]] [--producers n] [--serving <${SERVING_MODES.join("|")}|all>] [--scenario <${SCENARIOS.join("|")}|all>] [--cache <cold|warm|all>] [--log-bytes <size>] [--tail-bytes <size>] [--record-bytes <size>] [--batch n] [--fetch-bytes <size>] [--acks append|fsync] [--repeats n] [--dir <d>] [--quick] [--json]`,
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
      "fetch-bytes": { type: "string" },
      acks: { type: "string" },
      repeats: { type: "string" },
      dir: { type: "string", path: "existing-dir" },
      quick: { type: "boolean" },
      json: { type: "boolean" },
    });
    const options: BrokerExperimentOptions = {
      ...(values.quick ? BROKER_EXPERIMENT_QUICK : {}),
      ...defined({
        consumers: consumersOption(values.consumers),
        producers: integerOption(values.producers, "producers", 1, 64),
        servings: choiceListOption<ServingMode>(values.serving, "serving", SERVING_MODES),
        scenarios: choiceListOption<Scenario>(values.scenario, "scenario", SCENARIOS),
        caches: choiceListOption<CacheState>(values.cache, "cache", CACHE_STATES),
        logBytes: sizeOption(values["log-bytes"], "log-bytes"),
        tailBytes: sizeOption(values["tail-bytes"], "tail-bytes"),
        recordBytes: sizeOption(values["record-bytes"], "record-bytes"),
        recordsPerBatch: integerOption(values.batch, "batch", 1, 100_000),
        fetchMaxBytes: sizeOption(values["fetch-bytes"], "fetch-bytes"),
        acks: choiceOption(values.acks, "acks", ["append", "fsync"] as const),
        repeats: integerOption(values.repeats, "repeats", 1, 100),
        scratchParent: values.dir,
      }),
      onProgress: (line) => io.err(line),
    };
    const result = await runBrokerExperiment(options);
    if (values.json) io.out(JSON.stringify(result, null, 2));
    else for (const line of brokerTable(result)) io.out(line);
    return 0;
  },
};

/** The entries whose value is not undefined, so they do not override the quick/default sizes. */
function defined<T extends object>(options: T): Partial<T> {
  return Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined)) as Partial<T>;
}
