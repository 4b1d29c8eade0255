// Chapter 6's analysis: the fan-out measured beside the cost model's broker equations (model/cost/broker.ts,
// drawn from this machine's profile), the crash and what was read back, and the fan-out through shaped links:
// throughput against each link's rate and the model's "slower of the link and the CPU ceiling", the broker's own
// CPU and every CPU's per GiB served, and what sendfile saves at each rate. Plain rows; the figures draw them.
import type { FanoutRun, FanoutCache, FanoutScenario } from "../../experiments/broker-fanout-records";
import type { FanoutResult } from "../../experiments/broker-fanout-records";
import type { BrokerCrashResult } from "../../experiments/broker-crash-records";
import type { BrokerLinkResult, BrokerLinkRun } from "../../experiments/broker-link-fanout-records";
import { netMachineCpu, NetMachineCpu } from "../../experiments/machine-cpu-net";
import type { ServingMode } from "../../kafka/broker/response-sender";
import type { DumpRow } from "../../kafka/records/batch-dump";
import { brokerServingCost, BrokerSending } from "../../model/cost/broker";
import type { MachineParameters } from "../../model/cost/machine-profile";
import { summarize, median, Spread } from "../../statistics/spread";
import type { LinkRate } from "../../units/rates";
import { GiB } from "../../units/sizes";

/** A run no slower than this times bytes / rate filled its link (as in chapter 2b); a slower one was held back. */
export const LINK_BOUND_SLOWDOWN = 1.15;

/** What chapter 6 measured, and the model's inputs. */
export interface KafkaBrokerStudy {
  crash: BrokerCrashResult;
  fanout: FanoutResult;
  /** Null when the machine cannot make links; `linkSkipped` says why. */
  link: BrokerLinkResult | null;
  linkSkipped: string | null;
  /** The machine profile the model lines are drawn from, and how a figure names it (profileLabel). */
  model: { parameters: MachineParameters; label: string };
  /** How the broker sends records: its largest sendfile call and its read+write chunk (the broker's own values). */
  sending: BrokerSending;
}

/** The model's price of serving one GiB in responses of the mean size measured. */
export interface ServingModel {
  /** The broker's own work with loopback's per-byte TCP work on the consumers' cores: requests, calls, copies. */
  cpuSecondsPerGiB: number;
  /** The same with all of loopback's per-byte TCP work (sending and delivery into the consumers' sockets) on the
   *  broker's core, as while the consumers keep up: the top of the range, the model's price. */
  withDeliverySecondsPerGiB: number;
  dataSyscallsPerGiB: number;
  terms: Array<{ name: string; secondsPerGiB: number }>;
  /** The response size it was priced at: bytes served / fetches, over the runs. */
  fetchBytes: number;
}

/** One condition of the fan-out (scenario, serving mode, cache, C), measured, with the model beside it. */
export interface FanoutRow {
  scenario: FanoutScenario;
  serving: ServingMode;
  cache: FanoutCache;
  consumers: number;
  n: number;
  servedMiBps: Spread;
  brokerCpuSecondsPerGiB: Spread;
  /** The broker's CPU over the run's wall time: near 1, its one event loop is the bottleneck. */
  brokerBusyCores: Spread;
  consumerCpuSecondsPerGiB: Spread;
  /** Disk bytes the broker read over the log's bytes (catch-up) or over the tail's (tailing). */
  diskReadsPerLogByte: Spread;
  /** Calls that wrote responses or moved records (write, sendfile, pread), counted by the broker, per GiB. */
  dataSyscallsPerGiB: Spread;
  /** Fraction of the log resident before the run (mincore); null for tailing. */
  residentBefore: Spread | null;
  model: ServingModel;
}

/** Prices the model for runs: at their mean response size. */
function servingModel(study: KafkaBrokerStudy, serving: ServingMode, runs: readonly FanoutRun[]): ServingModel {
  const bytes = runs.reduce((s, r) => s + r.bytesPerConsumer * r.consumers, 0);
  const fetches = runs.reduce((s, r) => s + r.fetches, 0);
  const fetchBytes = Math.max(1, Math.round(bytes / Math.max(1, fetches)));
  const cost = brokerServingCost(study.model.parameters, { mode: serving, bytes: GiB, fetchBytes: Math.min(GiB, fetchBytes), sending: study.sending });
  // The range: loopback's per-byte work on the consumers' cores (bottom), or all of it on the broker's (top, the price).
  return {
    cpuSecondsPerGiB: cost.cpuSecondsPerGiB - cost.loopbackSecondsPerGiB,
    withDeliverySecondsPerGiB: cost.cpuSecondsPerGiB,
    dataSyscallsPerGiB: cost.dataSyscallsPerGiB,
    terms: cost.terms,
    fetchBytes,
  };
}

/** The data calls of a run per GiB served. */
function dataSyscallsPerGiB(r: FanoutRun): number {
  const b = r.broker!;
  return (b.sendfileCalls + b.writeCalls + b.fileReads) / ((r.bytesPerConsumer * r.consumers) / GiB);
}

/** Rows per condition of the broker's own runs (the raw baseline and external brokers have none), in run order. */
export function fanoutRows(study: KafkaBrokerStudy): FanoutRow[] {
  const groups = new Map<string, FanoutRun[]>();
  for (const r of study.fanout.runs) {
    if (!r.broker || (r.serving !== "sendfile" && r.serving !== "read-write")) continue;
    const key = `${r.scenario}|${r.serving}|${r.cache}|${r.consumers}`;
    groups.set(key, [...(groups.get(key) ?? []), r]);
  }
  return [...groups.values()].map((runs) => {
    const first = runs[0];
    const serving = first.serving as ServingMode;
    const resident = runs.map((r) => r.residentBefore).filter((x): x is number => x !== null);
    return {
      scenario: first.scenario,
      serving,
      cache: first.cache,
      consumers: first.consumers,
      n: runs.length,
      servedMiBps: summarize(runs.map((r) => r.servedMiBps)),
      brokerCpuSecondsPerGiB: summarize(runs.map((r) => r.broker!.cpuSecondsPerGiB)),
      brokerBusyCores: summarize(runs.map((r) => r.broker!.cpuSeconds / r.seconds)),
      consumerCpuSecondsPerGiB: summarize(runs.map((r) => r.consumerCpuSecondsPerGiB)),
      diskReadsPerLogByte: summarize(runs.map((r) => r.broker!.diskReadsPerLogByte)),
      dataSyscallsPerGiB: summarize(runs.map(dataSyscallsPerGiB)),
      residentBefore: resident.length ? summarize(resident) : null,
      model: servingModel(study, serving, runs),
    };
  });
}

/** One serving mode through one link: throughput against the rate, CPU per GiB served, the model beside them. */
export interface LinkRow {
  rate: LinkRate;
  serving: ServingMode;
  n: number;
  /** All consumers together, bit/s: C x bytes each x 8 / wall time. */
  throughput: Spread;
  /** rate / median throughput: 1 = the link set the pace; null unshaped. */
  slowdown: number | null;
  filledLink: boolean;
  brokerCpuSecondsPerGiB: Spread;
  consumerCpuSecondsPerGiB: number;
  /** Every CPU's busy time per GiB served, net of the background, with its uncertainty. */
  machine: NetMachineCpu;
  model: {
    /** The broker's CPU per GiB by the cost model, without loopback's per-byte TCP work (copies and calls): the same at every rate. */
    brokerCpuSecondsPerGiB: number;
    /** The same with all of loopback's per-byte TCP work on the broker's core. */
    brokerWithDeliverySecondsPerGiB: number;
    /** The slower of the link and the CPU ceiling (this serving mode's fastest run unshaped), bit/s. */
    throughput: number;
  };
}

/** Where a serving mode's throughput stops following the link, by the model and by the machine. */
export interface LinkCrossover {
  serving: ServingMode;
  /** The model's: the serving mode's CPU ceiling, its fastest run through the unshaped link (bit/s). */
  model: number;
  /** The fastest it served through a link it could not fill; undefined when it filled every shaped link, and
   *  then `atLeast` is the fastest it went. */
  measured?: number;
  atLeast?: number;
  lastFilled?: number;
  firstNotFilled?: number;
}

/** What sendfile serving saves at one rate: CPU per GiB, machine-wide and the broker's, and cores at the rate served. */
export interface LinkSaving {
  rate: LinkRate;
  /** read+write's every-CPU figure minus sendfile's, s per GiB, and its uncertainty (about one sd). */
  machineSecondsPerGiB: number;
  machineUncertainty: number;
  /** The difference is larger than twice its uncertainty: this run resolved it. */
  resolved: boolean;
  brokerSecondsPerGiB: number;
  /** The consumers' own CPU, read+write's minus sendfile's, s per GiB (negative: sendfile's consumers spent more). */
  consumersSecondsPerGiB: number;
  /** Cores the saving frees while serving at sendfile's throughput through this link: saved s/GiB x GiB/s. */
  coresAtRate: number;
}

export interface LinkAnalysis {
  /** Shaped rates, slowest first (bit/s). */
  rates: number[];
  cpus: number;
  consumers: number;
  logBytes: number;
  rows: LinkRow[];
  crossovers: LinkCrossover[];
  savings: LinkSaving[];
  /** Packets the shaped links' qdiscs dropped (TCP resends them; a good shape has none). */
  drops: number;
  /** Cores everyone else kept busy around the runs, at most. */
  backgroundCores: number;
}

/** bit/s a run served. */
function runThroughput(r: BrokerLinkRun): number {
  return (r.bytesPerConsumer * r.consumers * 8) / r.seconds;
}

/** The runs of one serving mode through one link. */
function linkRuns(result: BrokerLinkResult, rate: LinkRate, serving: ServingMode): BrokerLinkRun[] {
  return result.runs.filter((r) => r.rate === rate && r.serving === serving);
}

/** Rows, crossovers and savings of the link runs. */
export function analyzeLinks(study: KafkaBrokerStudy): LinkAnalysis | null {
  const result = study.link;
  if (!result) return null;
  const c = result.conditions;
  const cpus = c.machine.cpuCount;
  const rates = c.links.map((l) => l.rateBitsPerSecond).filter((r): r is number => r !== null).sort((a, b) => a - b);
  const links: LinkRate[] = [...rates, null];
  const ceiling = (serving: ServingMode) => {
    const unshaped = linkRuns(result, null, serving);
    if (unshaped.length === 0) throw new RangeError(`the link study has no unshaped ${serving} runs: its CPU ceiling comes from them`);
    // the fastest run: on a shared machine others' work only ever slows a run down, never speeds it up
    return Math.max(...unshaped.map(runThroughput));
  };
  const rows: LinkRow[] = [];
  for (const serving of c.servings) {
    const top = ceiling(serving);
    for (const rate of links) {
      const runs = linkRuns(result, rate, serving);
      if (runs.length === 0) continue;
      const throughput = summarize(runs.map(runThroughput));
      const slowdown = rate === null ? null : rate / throughput.median;
      const cost = servingModel(study, serving, runs);
      const machine = netMachineCpu(
        runs.map((r) => ({
          wallSeconds: r.seconds, bytes: r.bytesPerConsumer * r.consumers, busyMs: r.machineBusyMs, windowMs: r.backgroundWindowMs,
          beforeBusyMs: r.backgroundBeforeBusyMs, afterBusyMs: r.backgroundAfterBusyMs, ownCpuMs: (r.broker!.cpuSeconds + r.consumerCpuSeconds) * 1000,
        })),
        cpus,
      )!;
      rows.push({
        rate,
        serving,
        n: runs.length,
        throughput,
        slowdown,
        filledLink: slowdown !== null && slowdown <= LINK_BOUND_SLOWDOWN,
        brokerCpuSecondsPerGiB: summarize(runs.map((r) => r.broker!.cpuSecondsPerGiB)),
        consumerCpuSecondsPerGiB: median(runs.map((r) => r.consumerCpuSecondsPerGiB)),
        machine,
        model: {
          brokerCpuSecondsPerGiB: cost.cpuSecondsPerGiB,
          brokerWithDeliverySecondsPerGiB: cost.withDeliverySecondsPerGiB,
          // time = the slower of the link and the CPU-bound pipeline, so throughput = the lower of the two rates
          throughput: rate === null ? top : Math.min(rate, top),
        },
      });
    }
  }
  const crossovers: LinkCrossover[] = c.servings.map((serving) => {
    const shaped = rows.filter((r) => r.serving === serving && r.rate !== null);
    const held = shaped.filter((r) => !r.filledLink);
    const filled = shaped.filter((r) => r.filledLink);
    const x: LinkCrossover = { serving, model: ceiling(serving) };
    if (held.length > 0) x.measured = Math.max(...held.map((r) => r.throughput.median));
    else x.atLeast = Math.max(...shaped.map((r) => r.throughput.median));
    if (filled.length > 0) x.lastFilled = Math.max(...filled.map((r) => r.rate!));
    if (held.length > 0) x.firstNotFilled = Math.min(...held.map((r) => r.rate!));
    return x;
  });
  const savings: LinkSaving[] = [];
  for (const rate of links) {
    const sf = rows.find((r) => r.rate === rate && r.serving === "sendfile");
    const rw = rows.find((r) => r.rate === rate && r.serving === "read-write");
    if (!sf || !rw) continue;
    const saved = rw.machine.netSecondsPerGiB - sf.machine.netSecondsPerGiB;
    const uncertainty = Math.hypot(rw.machine.uncertaintySecondsPerGiB, sf.machine.uncertaintySecondsPerGiB);
    savings.push({
      rate,
      machineSecondsPerGiB: saved,
      machineUncertainty: uncertainty,
      resolved: Math.abs(saved) > 2 * uncertainty,
      brokerSecondsPerGiB: rw.brokerCpuSecondsPerGiB.median - sf.brokerCpuSecondsPerGiB.median,
      consumersSecondsPerGiB: rw.consumerCpuSecondsPerGiB - sf.consumerCpuSecondsPerGiB,
      coresAtRate: (saved * sf.throughput.median) / 8 / GiB,
    });
  }
  return {
    rates,
    cpus,
    consumers: c.consumers,
    logBytes: c.logBytes,
    rows,
    crossovers,
    savings,
    drops: c.links.reduce((s, l) => s + (l.qdiscStats?.drops ?? 0), 0),
    backgroundCores: Math.max(0, ...rows.map((r) => r.machine.backgroundCores)),
  };
}

/** The first batch's header rows and its first record's, and how many records the batch holds. */
export interface FirstBatch {
  file: string;
  header: DumpRow[];
  firstRecord: DumpRow[];
  records: number;
  /** The CRC row's note says the stored CRC32C matches the bytes. */
  crcValid: boolean;
  magic: number;
}

/** The dump cut to what a reader can take in: the 61-byte header and the first record. */
export function firstBatch(crash: BrokerCrashResult): FirstBatch {
  const rows = crash.firstBatch.rows;
  const field = (name: string) => rows.find((r) => r.field === name);
  return {
    file: crash.firstBatch.file,
    header: rows.filter((r) => !r.field.startsWith("record[")),
    firstRecord: rows.filter((r) => r.field.startsWith("record[0].")),
    records: Number(field("recordCount")?.value ?? 0),
    crcValid: /: valid$/.test(field("crc")?.note ?? ""),
    magic: Number(field("magic")?.value ?? -1),
  };
}

/** Everything chapter 6 draws and checks, computed once from a study. */
export interface KafkaBrokerAnalysis {
  study: KafkaBrokerStudy;
  fanout: FanoutRow[];
  link: LinkAnalysis | null;
  firstBatch: FirstBatch;
  /** How the figures name the model's profile. */
  modelLabel: string;
}

export function analyzeKafkaBroker(study: KafkaBrokerStudy): KafkaBrokerAnalysis {
  return { study, fanout: fanoutRows(study), link: analyzeLinks(study), firstBatch: firstBatch(study.crash), modelLabel: study.model.label };
}
