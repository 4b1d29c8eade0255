// The broker experiment: P producers, C consumers, sendfile vs read+write serving, catch-up vs tailing.
// Each run measures the broker child process around the consumers' work (CPU from its getrusage via STATS,
// read_bytes and syscalls from /proc/<pid>/io) and checks every consumer received every acknowledged record
// exactly once (CRC32C-checked). Entry point: runBrokerExperiment(); chapter 6 and the CLI call it.
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { spawnBroker, BrokerProcess } from "./broker-process";
import { BrokerConfig, BrokerStats } from "./server";
import { BrokerClient } from "./client";
import { produceRecords, ProduceResult } from "./producer";
import { consumeRecords } from "./consumer";
import { DeliveryLedger } from "./test-records";
import { ACKS } from "./protocol";
import { BATCH_HEADER_BYTES, RECORD_OVERHEAD } from "./record-batch";
import { ServingMode, SERVING_MODES, servingUnavailable } from "./fetch-server";
import { nativeAvailable } from "../native/zero-copy";
import { usageDelta } from "./proc-usage";
import {
  BrokerExperimentResult, BrokerRunRecord, CacheCondition, Scenario, SCENARIOS, summarizeBrokerRuns,
} from "./experiment-records";
import { makeScratchDir } from "../cleanup/scratch-dir";
import { machineConditions } from "../experiments/conditions";
import { prepareCache, residency } from "../experiments/cache-state";
import type { Residency } from "../native/addon";
import { requireInteger, requireBytes } from "../units/arguments";
import { KiB, MiB, GiB, formatBytes } from "../units/sizes";
import { CacheState, CACHE_STATES } from "../vocabulary/transfer";

/** What to run; every field is optional (see BROKER_EXPERIMENT_DEFAULTS). */
export interface BrokerExperimentOptions {
  /** Consumer counts C to run, each from 1 to 64. */
  consumers?: number[];
  servings?: ServingMode[];
  scenarios?: Scenario[];
  /** Page-cache states for catch-up runs ("cold" needs the native addon's posix_fadvise). */
  caches?: CacheState[];
  producers?: number;
  /** Size of the log catch-up consumers read from the start. */
  logBytes?: number;
  /** Bytes the producers append during each tailing run. */
  tailBytes?: number;
  recordBytes?: number;
  recordsPerBatch?: number;
  /** A consumer's per-fetch limit (Kafka: max.partition.fetch.bytes, default 1 MiB). */
  fetchMaxBytes?: number;
  segmentBytes?: number;
  acks?: "append" | "fsync";
  repeats?: number;
  /** Where the temp directory goes (default os.tmpdir()). */
  scratchParent?: string;
  /** One line per run, for progress output. */
  onProgress?: (line: string) => void;
}

/** Default sizes: about a minute on 2 shared cores. */
export const BROKER_EXPERIMENT_DEFAULTS = {
  consumers: [1, 2, 4, 8],
  servings: [...SERVING_MODES] as ServingMode[],
  scenarios: [...SCENARIOS] as Scenario[],
  caches: ["cold", "warm"] as CacheState[],
  producers: 2,
  logBytes: 32 * MiB,
  tailBytes: 8 * MiB,
  recordBytes: 1024,
  recordsPerBatch: 16,
  fetchMaxBytes: MiB,
  segmentBytes: 8 * MiB,
  acks: "append" as "append" | "fsync",
  repeats: 3,
};

/** CI-sized: a few seconds, the same kinds of runs. */
export const BROKER_EXPERIMENT_QUICK: BrokerExperimentOptions = {
  consumers: [1, 4],
  logBytes: 4 * MiB,
  tailBytes: 2 * MiB,
  segmentBytes: MiB,
  repeats: 1,
};

type Resolved = typeof BROKER_EXPERIMENT_DEFAULTS & Pick<BrokerExperimentOptions, "scratchParent" | "onProgress">;

/** Runs the whole experiment and returns its records; throws if any consumer missed, repeated or reordered a record. */
export async function runBrokerExperiment(options: BrokerExperimentOptions = {}): Promise<BrokerExperimentResult> {
  const o = resolveOptions(options);
  const machine = machineConditions();
  const unavailable = servingUnavailable("sendfile");
  if (unavailable && o.servings.includes("sendfile")) {
    throw new Error(`${unavailable}; build the addon (npm run build) or run read+write only (servings ["read-write"], caches ["warm"]; CLI: --serving read-write --cache warm)`);
  }
  if (unavailable && o.caches.includes("cold") && o.scenarios.includes("catch-up")) {
    throw new Error(`a cold page cache needs the native addon's posix_fadvise and mincore: ${unavailable}; use caches ["warm"] (CLI: --cache warm)`);
  }
  const scratch = makeScratchDir("broker-bench", o.logBytes * 1.1 + o.tailBytes * o.consumers.length * 1.1 + MiB, o.scratchParent);
  const runs: BrokerRunRecord[] = [];
  try {
    const catchUpDir = path.join(scratch.dir, "catch-up");
    const catchUp = o.scenarios.includes("catch-up") ? await buildLog(o, catchUpDir) : null;
    for (let repeat = 1; repeat <= o.repeats; repeat++) {
      // Alternate which serving mode goes first, so slow drift of the machine does not favour one.
      const servings = repeat % 2 ? o.servings : [...o.servings].reverse();
      for (const serving of servings) {
        if (catchUp) runs.push(...(await catchUpRuns(o, serving, repeat, catchUpDir, catchUp)));
        if (o.scenarios.includes("tailing")) runs.push(...(await tailingRuns(o, serving, repeat, path.join(scratch.dir, `tail-${serving}-${repeat}`))));
      }
    }
  } finally {
    scratch.remove();
  }
  return {
    conditions: {
      machine,
      loadAverageAtEnd: os.loadavg().map((x) => Math.round(x * 100) / 100),
      sendfileAvailable: unavailable === null,
      sendfileUnavailableReason: unavailable,
      logBytes: o.logBytes,
      tailBytes: o.tailBytes,
      recordBytes: o.recordBytes,
      recordsPerBatch: o.recordsPerBatch,
      batchBytes: BATCH_HEADER_BYTES + o.recordsPerBatch * (RECORD_OVERHEAD + o.recordBytes),
      fetchMaxBytes: o.fetchMaxBytes,
      segmentBytes: o.segmentBytes,
      producers: o.producers,
      acks: o.acks,
      flush: "os (page cache; fsync only for acks=fsync and on clean shutdown)",
      repeats: o.repeats,
      notes: [
        "Broker and clients run on this machine over loopback TCP: the consumer's receive copy happens anyway, so end-to-end throughput is not the broker's cost; broker CPU per GiB is.",
        "Consumers and producers share one Node.js process (the experiment's); each consumer checks every batch's CRC32C in TypeScript, which bounds served MiB/s.",
        "Kernel copies cannot be counted on this VM (no perf counters): broker CPU time and syscalls are the measurable proxies for the model's copies.",
        "Broker CPU is getrusage(RUSAGE_SELF) read by the broker itself (STATS request) before and after each run; /proc/<pid>/stat gives the same in 10 ms ticks (brokerProcStatCpuSeconds).",
        "Broker syscalls (syscr + syscw from /proc/<pid>/io) include the protocol around the data: request reads (plus the EAGAIN read that ends each), response header writes and the 20-byte batch-header preads a fetch uses to find whole batches; sendfileCalls counts the data-moving calls alone.",
        "Tailing runs: broker CPU includes receiving, CRC-checking and appending the produced batches.",
        "Cold = every segment's pages evicted with posix_fadvise(DONTNEED) after fdatasync and checked with mincore (some folios may stay resident for seconds after sendfile runs: what stayed is reported as residentBefore, and diskReadsPerColdByte counts only the evicted bytes); warm = read once and checked resident.",
      ],
    },
    runs,
    summary: summarizeBrokerRuns(runs),
  };
}

/** Fills in defaults and checks every option, naming the bad one. */
function resolveOptions(options: BrokerExperimentOptions): Resolved {
  const o = { ...BROKER_EXPERIMENT_DEFAULTS, ...definedOnly(options) } as Resolved;
  if (!Array.isArray(o.consumers) || o.consumers.length === 0) throw new RangeError("consumers must be a non-empty list of counts, e.g. [1, 2, 4, 8]");
  o.consumers.forEach((c) => requireInteger("consumers (--consumers)", c, 1, 64));
  for (const [name, list, allowed] of [["servings", o.servings, SERVING_MODES], ["scenarios", o.scenarios, SCENARIOS], ["caches", o.caches, CACHE_STATES]] as const) {
    if (!Array.isArray(list) || list.length === 0 || list.some((v) => !(allowed as readonly string[]).includes(v))) {
      throw new TypeError(`${name} must be a non-empty list of ${allowed.join(", ")}; got ${JSON.stringify(list)}`);
    }
  }
  requireInteger("producers (--producers)", o.producers, 1, 64);
  requireBytes("logBytes (--log-bytes)", o.logBytes, 64 * KiB, 64 * GiB);
  requireBytes("tailBytes (--tail-bytes)", o.tailBytes, 64 * KiB, 64 * GiB);
  requireBytes("recordBytes (--record-bytes)", o.recordBytes, 8, MiB);
  requireInteger("recordsPerBatch (--batch)", o.recordsPerBatch, 1, 100_000);
  requireBytes("fetchMaxBytes (--fetch-bytes)", o.fetchMaxBytes, 1, 256 * MiB);
  requireBytes("segmentBytes", o.segmentBytes, 64 * KiB, 2 ** 31);
  requireInteger("repeats (--repeats)", o.repeats, 1, 100);
  if (o.acks !== "append" && o.acks !== "fsync") throw new TypeError(`acks must be "append" or "fsync", got ${JSON.stringify(o.acks)}`);
  const batch = BATCH_HEADER_BYTES + o.recordsPerBatch * (RECORD_OVERHEAD + o.recordBytes);
  if (batch > o.segmentBytes) throw new RangeError(`a batch (${formatBytes(batch)}) must fit in a segment (${formatBytes(o.segmentBytes)})`);
  return o;
}

/** The options without undefined values, so they do not hide the defaults. */
function definedOnly<T extends object>(options: T): Partial<T> {
  return Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/** The broker's configuration for a log directory and serving mode. */
function brokerConfig(o: Resolved, dir: string, serving: ServingMode): BrokerConfig {
  const batch = BATCH_HEADER_BYTES + o.recordsPerBatch * (RECORD_OVERHEAD + o.recordBytes);
  return {
    serving,
    maxBatchBytes: Math.max(MiB, batch),
    log: { dir, segmentBytes: o.segmentBytes, indexIntervalBytes: 4096, flush: { mode: "os" } },
  };
}

/** Records each of P producers sends so that together they append about `bytes`. */
function recordsPerProducer(o: Resolved, bytes: number): number {
  return Math.max(1, Math.ceil(bytes / o.producers / (RECORD_OVERHEAD + o.recordBytes)));
}

/** Runs the P producers against a broker; resolves with what each got acknowledged. */
function produce(o: Resolved, port: number, records: number): Promise<ProduceResult[]> {
  const acks = o.acks === "fsync" ? ACKS.FSYNC : ACKS.APPEND;
  return Promise.all(
    Array.from({ length: o.producers }, (_, producerId) =>
      produceRecords({ port, producerId, records, recordBytes: o.recordBytes, recordsPerBatch: o.recordsPerBatch, acks }),
    ),
  );
}

/** The acknowledged-record count of every producer: what each consumer must receive. */
function ackedMap(results: ProduceResult[]): Map<number, number> {
  return new Map(results.map((r) => [r.producerId, r.acked]));
}

/** Phase 1 of catch-up: P producers write the log the consumers will read, then the broker stops cleanly. */
async function buildLog(o: Resolved, dir: string): Promise<{ acked: Map<number, number>; records: number; bytes: number }> {
  const broker = await spawnBroker(brokerConfig(o, dir, "read-write"));
  try {
    const produced = await produce(o, broker.port, recordsPerProducer(o, o.logBytes));
    const stats = await brokerStats(broker);
    o.onProgress?.(`built a ${formatBytes(stats.logBytes)} log (${stats.logEndOffset} records, ${stats.segmentPaths.length} segments) with ${o.producers} producers`);
    await broker.stop();
    return { acked: ackedMap(produced), records: stats.logEndOffset, bytes: stats.logBytes };
  } catch (error) {
    await broker.kill9();
    throw error;
  }
}

/** The broker's STATS counters. */
async function brokerStats(broker: BrokerProcess): Promise<BrokerStats> {
  const client = await BrokerClient.connect(broker.port);
  try {
    return await client.stats<BrokerStats>();
  } finally {
    client.close();
  }
}

/** STATS once no response is still being sent (its counters are then final); waits at most ~2 s. */
async function settledStats(broker: BrokerProcess): Promise<BrokerStats> {
  for (let attempt = 0; ; attempt++) {
    const stats = await brokerStats(broker);
    if (stats.responsesInFlight === 0 || attempt >= 200) return stats;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/**
 * Puts every segment of the log in the page-cache state asked for (checked with mincore); returns the
 * resident fraction. Without the native addon only "warm" is possible: read through, unchecked (null).
 */
async function setCache(segmentPaths: string[], state: CacheState): Promise<number | null> {
  if (!nativeAvailable().ok) {
    for (const file of segmentPaths) fs.readFileSync(file);
    return null;
  }
  const deadline = Date.now() + 2000;
  let resident = 0;
  let total = 0;
  for (const file of segmentPaths) {
    const fd = fs.openSync(file, "r");
    try {
      const now = state === "cold" ? await makeCold(fd, deadline) : prepareCache(fd, "warm");
      resident += now.resident;
      total += now.total;
    } finally {
      fs.closeSync(fd);
    }
  }
  if (state === "cold" && resident > COLD_GIVE_UP * total) {
    throw new Error(`could not make the log cold: ${resident} of ${total} pages still resident after posix_fadvise(DONTNEED) for 2 s`);
  }
  return total ? resident / total : 0;
}

/** Above this resident fraction after retrying, DONTNEED is not working and a "cold" run would be a lie. */
const COLD_GIVE_UP = 0.5;

/**
 * Evicts a segment's pages. Measured here (kernel 6.18, ext4 with large folios): after sendfile runs, and on a
 * freshly written tail segment, DONTNEED sometimes left up to a few MiB of folios resident for seconds (still
 * referenced by someone, presumably socket buffers not yet freed). Retry until `deadline` (re-reading the
 * file sometimes helped), then go on with what is resident: the record reports it (residentBefore) and
 * diskReadsPerColdByte divides the disk reads by the bytes that really were cold.
 */
async function makeCold(fd: number, deadline: number): Promise<Residency> {
  for (let attempt = 1; ; attempt++) {
    try {
      return prepareCache(fd, "cold");
    } catch {
      if (Date.now() > deadline) return residency(fd);
      if (attempt % 2) prepareCache(fd, "warm");
      await new Promise((resolve) => setTimeout(resolve, 50 * Math.min(attempt, 5)));
    }
  }
}

/** What C concurrent consumers did in one run. */
interface ConsumerPhase {
  recordsDelivered: number;
  bytesFetched: number;
  fetches: number;
}

/** Runs C consumers over [from, until) and checks each got every acknowledged record exactly once, in order. */
async function consumeAll(o: Resolved, port: number, consumers: number, from: number, until: number, acked: Promise<Map<number, number>>, maxWaitMs: number): Promise<ConsumerPhase> {
  const ledgers = Array.from({ length: consumers }, () => new DeliveryLedger());
  const results = await Promise.all(
    ledgers.map((ledger) =>
      consumeRecords({ port, fromOffset: from, untilOffset: until, maxBytes: o.fetchMaxBytes, maxWaitMs, onRecord: (v, offset) => ledger.receive(v, offset) }),
    ),
  );
  // Tailing consumers can finish before the last acknowledgement reaches its producer: wait for all of them.
  const ackedCounts = await acked;
  for (const [i, ledger] of ledgers.entries()) {
    const missing = ledger.missing(ackedCounts);
    if (missing.length || ledger.records !== until - from) {
      throw new Error(`consumer ${i + 1} of ${consumers} did not get every acknowledged record exactly once: ${missing.join("; ") || `${ledger.records} of ${until - from} records`}`);
    }
  }
  return {
    recordsDelivered: results.reduce((s, r) => s + r.records, 0),
    bytesFetched: results.reduce((s, r) => s + r.bytesFetched, 0),
    fetches: results.reduce((s, r) => s + r.fetches, 0),
  };
}

/** Measures `work` from outside: broker /proc usage and STATS before/after, wall time, this process's CPU. */
async function measured<T>(broker: BrokerProcess, work: () => Promise<T>) {
  const statsBefore = await brokerStats(broker);
  const usageBefore = broker.usage();
  const cpuBefore = process.cpuUsage();
  const start = process.hrtime.bigint();
  const result = await work();
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  const cpu = process.cpuUsage(cpuBefore);
  const usage = usageDelta(usageBefore, broker.usage());
  const statsAfter = await settledStats(broker);
  return { result, seconds, usage, clientCpuSeconds: (cpu.user + cpu.system) / 1e6, statsBefore, statsAfter };
}

/** Builds the run record from what was measured. */
function runRecord(
  fields: { scenario: Scenario; serving: ServingMode; cache: CacheCondition; consumers: number; repeat: number; logBytes: number; residentBefore: number | null; producers: number },
  m: Awaited<ReturnType<typeof measured<ConsumerPhase>>>,
  produced: { bytes: number; seconds: number } | null,
): BrokerRunRecord {
  const served = m.statsAfter.bytesServed - m.statsBefore.bytesServed;
  if (served !== m.result.bytesFetched) throw new Error(`broker says it served ${served} bytes, consumers received ${m.result.bytesFetched}`);
  const fetches = m.statsAfter.fetchResponses - m.statsBefore.fetchResponses;
  const avgFetchBytes = served / Math.max(1, fetches);
  const user = (m.statsAfter.cpu.userMicros - m.statsBefore.cpu.userMicros) / 1e6;
  const system = (m.statsAfter.cpu.systemMicros - m.statsBefore.cpu.systemMicros) / 1e6;
  const cpu = user + system;
  const gib = served / GiB;
  return {
    ...fields,
    bytesServed: served,
    recordsDelivered: m.result.recordsDelivered,
    seconds: m.seconds,
    servedMiBps: served / MiB / m.seconds,
    producedBytes: produced ? produced.bytes : null,
    produceMiBps: produced ? produced.bytes / MiB / produced.seconds : null,
    fetches,
    avgFetchBytes,
    brokerUserSeconds: user,
    brokerSystemSeconds: system,
    brokerCpuSeconds: cpu,
    brokerProcStatCpuSeconds: m.usage.userSeconds + m.usage.systemSeconds,
    brokerCpuSecondsPerGiB: cpu / gib,
    brokerReadBytes: m.usage.readBytes,
    diskReadsPerLogByte: m.usage.readBytes / fields.logBytes,
    diskReadsPerColdByte: fields.cache === "cold" && fields.residentBefore !== null && fields.residentBefore < 1 ? m.usage.readBytes / (fields.logBytes * (1 - fields.residentBefore)) : null,
    diskReadsPerServedByte: m.usage.readBytes / served,
    brokerSyscr: m.usage.syscr,
    brokerSyscw: m.usage.syscw,
    brokerSyscallsPerGiB: (m.usage.syscr + m.usage.syscw) / gib,
    dataSyscallsPerGiB: fields.scenario === "catch-up" ? dataSyscalls(fields.serving, m) / gib : null,
    sendfileCalls: m.statsAfter.sendfileCalls - m.statsBefore.sendfileCalls,
    sendfilePolls: m.statsAfter.sendfilePolls - m.statsBefore.sendfilePolls,
    clientCpuSeconds: m.clientCpuSeconds,
    verified: true,
    loadAverage1m: Math.round(os.loadavg()[0] * 100) / 100,
  };
}

/** System calls that moved the served bytes in a catch-up run (see dataSyscallsPerGiB in experiment-records.ts). */
function dataSyscalls(serving: ServingMode, m: Awaited<ReturnType<typeof measured<ConsumerPhase>>>): number {
  const delta = (key: "sendfileCalls" | "sendfilePolls" | "fileReads") => m.statsAfter[key] - m.statsBefore[key];
  return serving === "sendfile" ? delta("sendfileCalls") + delta("sendfilePolls") : delta("fileReads") + m.usage.syscw;
}

/** One progress line for a finished run. */
function describeRun(r: BrokerRunRecord, repeats: number): string {
  const disk = `disk read ${formatBytes(r.brokerReadBytes)} (${r.diskReadsPerLogByte.toFixed(2)} x log)`;
  return `${r.scenario} ${r.serving} ${r.cache} C=${r.consumers} [${r.repeat}/${repeats}]: ${formatBytes(r.bytesServed)} in ${r.seconds.toFixed(2)} s, ${r.servedMiBps.toFixed(0)} MiB/s, broker ${r.brokerCpuSecondsPerGiB.toFixed(2)} CPU-s/GiB, ${disk}`;
}

/** Catch-up runs for one serving mode: for each C and cache state, C consumers read the whole log from offset 0. */
async function catchUpRuns(o: Resolved, serving: ServingMode, repeat: number, dir: string, log: { acked: Map<number, number>; records: number; bytes: number }): Promise<BrokerRunRecord[]> {
  const broker = await spawnBroker(brokerConfig(o, dir, serving));
  const runs: BrokerRunRecord[] = [];
  try {
    const { segmentPaths } = await brokerStats(broker);
    for (const consumers of o.consumers) {
      for (const cache of o.caches) {
        const residentBefore = await setCache(segmentPaths, cache);
        const m = await measured(broker, () => consumeAll(o, broker.port, consumers, 0, log.records, Promise.resolve(log.acked), 0));
        const fields = { scenario: "catch-up" as const, serving, cache, consumers, repeat, logBytes: log.bytes, residentBefore, producers: o.producers };
        runs.push(runRecord(fields, m, null));
        o.onProgress?.(describeRun(runs[runs.length - 1], o.repeats));
      }
    }
    await broker.stop();
    return runs;
  } catch (error) {
    await broker.kill9();
    throw error;
  }
}

/** Tailing runs for one serving mode: C consumers wait at the log end while P producers append tailBytes. */
async function tailingRuns(o: Resolved, serving: ServingMode, repeat: number, dir: string): Promise<BrokerRunRecord[]> {
  const broker = await spawnBroker(brokerConfig(o, dir, serving));
  const runs: BrokerRunRecord[] = [];
  try {
    for (const consumers of o.consumers) {
      const start = (await brokerStats(broker)).logEndOffset;
      const perProducer = recordsPerProducer(o, o.tailBytes);
      const until = start + perProducer * o.producers;
      let produced: ProduceResult[] = [];
      let produceSeconds = 0;
      const m = await measured(broker, async () => {
        const t0 = process.hrtime.bigint();
        const producing = produce(o, broker.port, perProducer).then((results) => {
          produced = results;
          produceSeconds = Number(process.hrtime.bigint() - t0) / 1e9;
          return ackedMap(results);
        });
        // Consumers long-poll at the log end (maxWaitMs 100) and get each batch as soon as it is appended.
        const [phase] = await Promise.all([consumeAll(o, broker.port, consumers, start, until, producing, 100), producing]);
        return phase;
      });
      const producedBytes = produced.reduce((s, p) => s + p.bytes, 0);
      const fields = { scenario: "tailing" as const, serving, cache: "just-written" as const, consumers, repeat, logBytes: producedBytes, residentBefore: null, producers: o.producers };
      runs.push(runRecord(fields, m, { bytes: producedBytes, seconds: produceSeconds }));
      o.onProgress?.(describeRun(runs[runs.length - 1], o.repeats));
    }
    await broker.stop();
    return runs;
  } catch (error) {
    await broker.kill9();
    throw error;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
