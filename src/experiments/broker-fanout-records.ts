// The fan-out experiment's result records (plain JSON): one FanoutRun per measured run, summaries with
// medians and min-max per condition. Measurement only: no model numbers in here.
import { summarize, Spread } from "../statistics/spread";
import type { MachineConditions } from "./conditions";

export const FANOUT_SCENARIOS = ["catch-up", "tailing"] as const;
export type FanoutScenario = (typeof FANOUT_SCENARIOS)[number];

/** How the records left the broker: its serving mode, a raw sendfile with no broker, or someone else's broker. */
export type FanoutServing = "sendfile" | "read-write" | "raw-sendfile" | "external";

/** The page cache before a run: evicted, all resident, just written by the producers, or unknown (external). */
export type FanoutCache = "cold" | "warm" | "just-written" | "as-found";

/** What the broker process did during a run (only when the broker is the workbook's). */
export interface BrokerSide {
  cpuSeconds: number;
  userSeconds: number;
  systemSeconds: number;
  cpuSecondsPerGiB: number;
  /** syscr + syscw from /proc/<pid>/io (read, write, sendfile, pread ... but not epoll). */
  syscalls: number;
  syscallsPerGiB: number;
  sendfileCalls: number;
  writeCalls: number;
  fileReads: number;
  writableWaits: number;
  /** read_bytes from /proc/<pid>/io: bytes the broker caused to be read from the disk. */
  diskReadBytes: number;
  /** diskReadBytes / log bytes: 1.0 = the log was read from disk once, whatever the number of consumers. */
  diskReadsPerLogByte: number;
  recordBytesSent: number;
}

export interface FanoutRun {
  scenario: FanoutScenario;
  serving: FanoutServing;
  cache: FanoutCache;
  consumers: number;
  repeat: number;
  /** Bytes of record batches each consumer received (the log, or the tail produced during the run). */
  bytesPerConsumer: number;
  recordsPerConsumer: number;
  /** Fetch requests all consumers made (0 for the raw baseline): bytes served / fetches is the mean response. */
  fetches: number;
  seconds: number;
  /** Every CPU's busy time (user, nice, system, irq, softirq of /proc/stat) from "go" to the last consumer done, ms:
   *  whoever did the work, this run's processes, the kernel's softirqs, or anyone else on the machine. */
  machineBusyMs: number;
  /** Time the hypervisor ran something else while this VM wanted to run, over the same span, ms. */
  machineStealMs: number;
  /** All consumers together: C x bytesPerConsumer / seconds (from "go" to the last consumer done). */
  servedMiBps: number;
  /** Median of the consumers' own rates. */
  perConsumerMiBps: number;
  /** All consumers' user + system CPU over the run (their own process.cpuUsage). */
  consumerCpuSeconds: number;
  consumerCpuSecondsPerGiB: number;
  /** Fraction of the log's pages resident right before the run (mincore), null where not measured. */
  residentBefore: number | null;
  broker: BrokerSide | null;
  rawSender: { cpuSeconds: number; cpuSecondsPerGiB: number; calls: number } | null;
  produce: { producers: number; bytes: number; seconds: number; MiBps: number } | null;
  /** Every consumer got every acknowledged record exactly once, in order, CRC32C-checked (else the run throws). */
  verified: true;
  loadAverage1m: number;
}

export interface FanoutSummary {
  scenario: FanoutScenario;
  serving: FanoutServing;
  cache: FanoutCache;
  consumers: number;
  n: number;
  servedMiBps: Spread;
  perConsumerMiBps: Spread;
  brokerCpuSecondsPerGiB: Spread | null;
  brokerSyscallsPerGiB: Spread | null;
  diskReadsPerLogByte: Spread | null;
  rawSenderCpuSecondsPerGiB: Spread | null;
}

export interface FanoutConditions {
  machine: MachineConditions;
  loadAverageAtEnd: number[];
  target: "workbook-broker" | "external";
  bootstrap: string | null;
  logBytes: number;
  tailBytes: number;
  recordBytes: number;
  batchBytes: number;
  fetchBytes: number;
  segmentBytes: number;
  producers: number;
  acks: number;
  repeats: number;
  walkRecords: boolean;
  notes: string[];
}

export interface FanoutResult {
  kind: "broker-fanout";
  conditions: FanoutConditions;
  runs: FanoutRun[];
  summary: FanoutSummary[];
}

/** Medians and ranges per (scenario, serving, cache, consumers), in the order the conditions first ran. */
export function summarizeFanout(runs: FanoutRun[]): FanoutSummary[] {
  const groups = new Map<string, FanoutRun[]>();
  for (const r of runs) {
    const key = `${r.scenario}|${r.serving}|${r.cache}|${r.consumers}`;
    groups.set(key, [...(groups.get(key) ?? []), r]);
  }
  const spreadOf = (list: FanoutRun[], f: (r: FanoutRun) => number | null | undefined): Spread | null => {
    const values = list.map(f).filter((v): v is number => typeof v === "number" && Number.isFinite(v));
    return values.length ? summarize(values) : null;
  };
  return [...groups.values()].map((list) => ({
    scenario: list[0].scenario,
    serving: list[0].serving,
    cache: list[0].cache,
    consumers: list[0].consumers,
    n: list.length,
    servedMiBps: summarize(list.map((r) => r.servedMiBps)),
    perConsumerMiBps: summarize(list.map((r) => r.perConsumerMiBps)),
    brokerCpuSecondsPerGiB: spreadOf(list, (r) => r.broker?.cpuSecondsPerGiB),
    brokerSyscallsPerGiB: spreadOf(list, (r) => r.broker?.syscallsPerGiB),
    diskReadsPerLogByte: spreadOf(list, (r) => r.broker?.diskReadsPerLogByte),
    rawSenderCpuSecondsPerGiB: spreadOf(list, (r) => r.rawSender?.cpuSecondsPerGiB),
  }));
}
