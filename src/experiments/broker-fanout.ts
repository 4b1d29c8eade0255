// The fan-out experiment on the Kafka-compatible broker: P producer processes fill a topic partition,
// then C = 1, 2, 4, 8 consumer processes each read all of it (catch-up, from a cold or warm page cache)
// or follow it while the producers write (tailing), with the broker serving fetches by sendfile or by
// read+write. Measured from outside the broker: its CPU (its own getrusage, over IPC), its syscalls and
// disk reads (/proc/<pid>/io), and the consumers' throughput. Every consumer proves it received every
// acknowledged record exactly once and in order, every batch CRC32C-checked (fanout-record.ts).
//
// With `bootstrap` the same runs go to any Kafka-compatible cluster (a real Kafka, Redpanda): then only
// what a client can measure is reported (throughput, client CPU); the cache is as found.
// A raw baseline (`includeRaw`): one plain sendfile of the same segment files to the same receiver code.
// Entry point: runBrokerFanout(); `workbook broker-bench` and `npm run bench:broker` call it.
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { nextReport } from "../cleanup/child-process";
import { spawnKafkaBroker, KafkaBrokerProcess } from "./kafka-broker-process";
import { makeScratchDir } from "../cleanup/scratch-dir";
import { machineConditions } from "./conditions";
import { RECORD_ID_BYTES } from "./fanout-record";
import { FanoutResult, FanoutRun, FanoutScenario, FanoutServing, FANOUT_SCENARIOS, summarizeFanout, BrokerSide } from "./broker-fanout-records";
import type { FromRawSender } from "./kafka-child-messages";
import {
  FanoutChildren, AckedRecords, PHASE_TIMEOUT_MS, produce, prepareConsumers, ensureTopic, goConsumers, verify, brokerSide, runRecord, describeRun, setCache,
} from "./fanout-steps";
import { SERVING_MODES, ServingMode, servingUnavailable } from "../kafka/broker/response-sender";
import { BATCH_HEADER_BYTES } from "../kafka/records/record-batch";
import { nativeStatus } from "../native/addon";
import { MiB, GiB, formatBytes } from "../units/sizes";
import type { CacheState } from "../vocabulary/transfer";


export interface FanoutOptions {
  /** host:port of a Kafka-compatible cluster to run against instead of the workbook's broker. */
  bootstrap?: string;
  consumers?: number[];
  servings?: ServingMode[];
  scenarios?: FanoutScenario[];
  caches?: CacheState[];
  producers?: number;
  /** Size of the log the catch-up consumers read. */
  logBytes?: number;
  /** Bytes the producers append during each tailing run. */
  tailBytes?: number;
  recordBytes?: number;
  /** Producer batch size (Kafka batch.size). */
  batchBytes?: number;
  /** A consumer's per-partition fetch limit (Kafka max.partition.fetch.bytes). */
  fetchBytes?: number;
  segmentBytes?: number;
  acks?: 0 | 1 | -1;
  repeats?: number;
  /** Consumers check every record, not only each batch's first. */
  walkRecords?: boolean;
  /** Add raw sendfile runs (C = 1, catch-up) beside the broker's, in the same rounds. */
  includeRaw?: boolean;
  scratchParent?: string;
  onProgress?: (line: string) => void;
}

export const FANOUT_DEFAULTS = {
  consumers: [1, 2, 4, 8],
  servings: [...SERVING_MODES] as ServingMode[],
  scenarios: [...FANOUT_SCENARIOS] as FanoutScenario[],
  caches: ["cold", "warm"] as CacheState[],
  producers: 2,
  logBytes: 128 * MiB,
  tailBytes: 16 * MiB,
  recordBytes: 1024,
  batchBytes: 64 * 1024,
  fetchBytes: 8 * MiB,
  segmentBytes: 64 * MiB,
  acks: 1 as 0 | 1 | -1,
  repeats: 3,
  walkRecords: false,
  includeRaw: false,
};

/** CI-sized: seconds, the same kinds of runs. */
export const FANOUT_QUICK: FanoutOptions = { consumers: [1, 4], logBytes: 8 * MiB, tailBytes: 2 * MiB, segmentBytes: 4 * MiB, repeats: 1 };

type Resolved = typeof FANOUT_DEFAULTS & Pick<FanoutOptions, "bootstrap" | "scratchParent" | "onProgress">;

export async function runBrokerFanout(options: FanoutOptions = {}): Promise<FanoutResult> {
  const o = resolve(options);
  const machine = machineConditions();
  const pools = new FanoutChildren();
  const runs: FanoutRun[] = [];
  const scratch = o.bootstrap ? null : makeScratchDir("broker-fanout", o.logBytes * 1.2 + o.tailBytes * o.consumers.length * o.servings.length * o.repeats * 1.2 + 64 * MiB, o.scratchParent);
  try {
    if (o.bootstrap) await externalRuns(o, pools, runs);
    else await ownBrokerRuns(o, pools, path.join(scratch!.dir, "data"), runs);
  } finally {
    await pools.stop();
    scratch?.remove();
  }
  return {
    kind: "broker-fanout",
    conditions: {
      machine,
      loadAverageAtEnd: os.loadavg().map((x) => Math.round(x * 100) / 100),
      target: o.bootstrap ? "external" : "workbook-broker",
      bootstrap: o.bootstrap ?? null,
      logBytes: o.logBytes,
      tailBytes: o.tailBytes,
      recordBytes: o.recordBytes,
      batchBytes: o.batchBytes,
      fetchBytes: o.fetchBytes,
      segmentBytes: o.segmentBytes,
      producers: o.producers,
      acks: o.acks,
      repeats: o.repeats,
      walkRecords: o.walkRecords,
      notes: notes(o),
    },
    runs,
    summary: summarizeFanout(runs),
  };
}

/** What a reader needs to read the figures right. */
function notes(o: Resolved): string[] {
  const common = [
    "Producers, consumers and the broker are separate processes on this machine, over loopback TCP: every consumer copies each byte out of its socket, so served MiB/s is bounded by the consumers' receive work, not only by the broker.",
    "Consumers check every batch's CRC32C (native SSE4.2 when the addon is built) and that every acknowledged record arrived exactly once, in order.",
  ];
  if (o.bootstrap) return [...common, `Against ${o.bootstrap}: broker CPU, syscalls and disk reads cannot be measured from a client, and its page cache is as found.`];
  return [
    ...common,
    "Broker CPU is the broker process's getrusage (all threads) before and after each run, read by the broker itself over IPC; syscalls are syscr + syscw and disk reads read_bytes from /proc/<pid>/io.",
    "Cold = every segment evicted with posix_fadvise(DONTNEED) and checked with mincore; warm = read once and checked resident. diskReadsPerLogByte 1.0 means the log came from disk once, however many consumers read it.",
    "Kernel copies cannot be counted on this VM (no perf counters): broker CPU time and syscalls are the proxies for the copies sendfile saves.",
    "Each broker process (one per serving mode and repeat) and the raw sender first make one unmeasured warm catch-up pass, so no measured run pays for JIT compilation.",
  ];
}

function resolve(options: FanoutOptions): Resolved {
  const o = { ...FANOUT_DEFAULTS, ...Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined)) } as Resolved;
  const whole = (name: string, v: number, min: number, max: number) => {
    if (!Number.isSafeInteger(v) || v < min || v > max) throw new RangeError(`${name} must be a whole number from ${min} to ${max}, got ${v}`);
  };
  if (!Array.isArray(o.consumers) || o.consumers.length === 0) throw new RangeError("consumers must be a non-empty list, e.g. [1, 2, 4, 8]");
  o.consumers.forEach((c) => whole("consumers", c, 1, 64));
  whole("producers", o.producers, 1, 64);
  whole("logBytes", o.logBytes, 64 * 1024, 64 * GiB);
  whole("tailBytes", o.tailBytes, 64 * 1024, 64 * GiB);
  whole("recordBytes", o.recordBytes, RECORD_ID_BYTES, MiB);
  whole("batchBytes", o.batchBytes, BATCH_HEADER_BYTES + 16, 16 * MiB);
  whole("fetchBytes", o.fetchBytes, 64 * 1024, 256 * MiB);
  whole("segmentBytes", o.segmentBytes, 1 * MiB, 0x7fffffff);
  whole("repeats", o.repeats, 1, 100);
  if (![0, 1, -1].includes(o.acks)) throw new RangeError(`acks must be 0, 1 or -1, got ${o.acks}`);
  if (o.batchBytes > o.fetchBytes) throw new RangeError(`a batch (${formatBytes(o.batchBytes)}) must fit in a fetch (${formatBytes(o.fetchBytes)})`);
  for (const [name, list, allowed] of [["servings", o.servings, SERVING_MODES], ["scenarios", o.scenarios, FANOUT_SCENARIOS], ["caches", o.caches, ["cold", "warm"]]] as const) {
    if (!Array.isArray(list) || list.length === 0 || list.some((v) => !(allowed as readonly string[]).includes(v))) throw new TypeError(`${name} must be a non-empty list of ${allowed.join(", ")}; got ${JSON.stringify(list)}`);
  }
  if (!o.bootstrap) {
    const unavailable = servingUnavailable("sendfile");
    if (unavailable && o.servings.includes("sendfile")) throw new Error(`${unavailable}; or run read-write only (--serving read-write --cache warm)`);
    if (!nativeStatus().ok && o.caches.includes("cold")) throw new Error("a cold page cache needs the native addon's posix_fadvise and mincore; use --cache warm");
  }
  return o;
}

async function ownBrokerRuns(o: Resolved, pools: FanoutChildren, dataDir: string, runs: FanoutRun[]): Promise<void> {
  const topic = "fanout";
  const config = (serving: ServingMode) => ({ dataDir, serving, segmentBytes: o.segmentBytes, maxMessageBytes: Math.max(1048588, o.batchBytes), maxRequestBytes: Math.max(16 * MiB, o.batchBytes * 8) });
  let log: { acked: AckedRecords; files: string[]; bytes: number } | null = null;
  if (o.scenarios.includes("catch-up")) {
    const broker = await spawnKafkaBroker(config("read-write"));
    try {
      const produced = await produce(o, pools, broker.bootstrap, topic, Math.ceil(o.logBytes / o.producers / o.recordBytes), 0);
      const p = (await broker.stats()).partitions.find((x) => x.topic === topic)!;
      log = { acked: produced.acked, files: p.segments, bytes: p.sizeInBytes };
      o.onProgress?.(`built a ${formatBytes(p.sizeInBytes)} log (${p.logEndOffset} records, ${p.segments.length} segments) with ${o.producers} producers in ${produced.seconds.toFixed(1)} s`);
    } finally {
      await broker.stop();
    }
  }
  let tailTopic = 0;
  for (let repeat = 1; repeat <= o.repeats; repeat++) {
    // Alternate which serving mode goes first, so slow drift of the machine favours neither.
    const servings = repeat % 2 ? o.servings : [...o.servings].reverse();
    for (const serving of servings) {
      const broker = await spawnKafkaBroker(config(serving));
      try {
        // A new broker process: one unmeasured pass first, so no run pays for JIT compiling the fetch path.
        if (log) await catchUpRun(o, pools, broker, topic, log, serving, "warm", 1, 0);
        if (log && o.includeRaw && repeat === 1 && serving === servings[0]) await rawRun(o, pools, log, "warm", 0);
        if (log) {
          for (const consumers of o.consumers) {
            for (const cache of o.caches) {
              if (o.includeRaw && consumers === 1 && serving === (o.servings.includes("sendfile") ? "sendfile" : o.servings[0])) {
                runs.push(await rawRun(o, pools, log, cache, repeat));
                o.onProgress?.(describeRun(runs[runs.length - 1], o.repeats));
              }
              runs.push(await catchUpRun(o, pools, broker, topic, log, serving, cache, consumers, repeat));
              o.onProgress?.(describeRun(runs[runs.length - 1], o.repeats));
            }
          }
        }
        if (o.scenarios.includes("tailing")) {
          for (const consumers of o.consumers) {
            runs.push(await tailingRun(o, pools, broker.bootstrap, `tail-${++tailTopic}`, serving, consumers, repeat, broker));
            o.onProgress?.(describeRun(runs[runs.length - 1], o.repeats));
          }
        }
      } finally {
        await broker.stop();
      }
    }
  }
}

async function catchUpRun(o: Resolved, pools: FanoutChildren, broker: KafkaBrokerProcess, topic: string, log: { acked: AckedRecords; files: string[]; bytes: number }, serving: ServingMode, cache: CacheState, consumers: number, repeat: number): Promise<FanoutRun> {
  const { handles } = await prepareConsumers(pools, consumers, { mode: "kafka", bootstrap: broker.bootstrap, topic, partitions: [0], fromOffset: "earliest", partitionMaxBytes: o.fetchBytes, maxWaitMs: 500, walkRecords: o.walkRecords });
  // The cache is set after the consumers connected (ListOffsets reads no record bytes) and right before they start.
  const residentBefore = await setCache(log.files, cache);
  const before = await broker.stats();
  const io0 = broker.io();
  const done = await goConsumers(handles);
  const io1 = broker.io();
  const after = await broker.stats();
  verify(done.reports, log.acked, `catch-up ${serving} ${cache} C=${consumers}`);
  const served = done.reports.reduce((s, r) => s + r.bytes, 0);
  return runRecord({ scenario: "catch-up", serving, cache, consumers, repeat, residentBefore, broker: brokerSide(before, after, io0, io1, log.bytes, served), rawSender: null, produce: null }, done);
}

/** The baseline: the same segment files by one plain sendfile each, to the same receiver checks. */
async function rawRun(o: Resolved, pools: FanoutChildren, log: { acked: AckedRecords; files: string[]; bytes: number }, cache: CacheState, repeat: number): Promise<FanoutRun> {
  const { handles: [receiver], ready: [ready] } = await prepareConsumers(pools, 1, { mode: "raw", bootstrap: "", topic: "", partitions: [0], fromOffset: 0, partitionMaxBytes: o.fetchBytes, maxWaitMs: 0, walkRecords: o.walkRecords });
  const port = ready.port!;
  const sender = await pools.raw();
  const residentBefore = await setCache(log.files, cache);
  const files = log.files.map((f) => ({ path: f, bytes: fs.statSync(f).size }));
  const done = await goConsumers([receiver], async () => {
    sender.send({ type: "send", port, files });
  });
  const sent = await nextReport<FromRawSender, "sent">(sender, "sent", PHASE_TIMEOUT_MS, "its result", "raw sender");
  verify(done.reports, log.acked, `raw sendfile ${cache}`);
  return runRecord({ scenario: "catch-up", serving: "raw-sendfile", cache, consumers: 1, repeat, residentBefore, broker: null, rawSender: { cpuSeconds: sent.cpuSeconds, cpuSecondsPerGiB: sent.cpuSeconds / (sent.bytes / GiB), calls: sent.calls }, produce: null }, done);
}

async function tailingRun(o: Resolved, pools: FanoutChildren, bootstrap: string, topic: string, serving: FanoutServing, consumers: number, repeat: number, broker: KafkaBrokerProcess | null): Promise<FanoutRun> {
  const perProducer = Math.ceil(o.tailBytes / o.producers / o.recordBytes);
  // Create the topic first, so the consumers can position themselves at its (empty) end.
  await ensureTopic(bootstrap, topic);
  const { handles } = await prepareConsumers(pools, consumers, { mode: "kafka", bootstrap, topic, partitions: [0], fromOffset: "latest", partitionMaxBytes: o.fetchBytes, maxWaitMs: 100, walkRecords: o.walkRecords });
  const before = broker ? await broker.stats() : null;
  const io0 = broker?.io();
  let produced: Awaited<ReturnType<typeof produce>> | null = null;
  const done = await goConsumers(handles, async () => {
    produced = await produce(o, pools, bootstrap, topic, perProducer, repeat * 1000);
    for (const h of handles) h.send({ type: "until", offsets: { "0": produced.records } });
  });
  const p = produced!;
  verify(done.reports, p.acked, `tailing ${serving} C=${consumers}`);
  const served = done.reports.reduce((s, r) => s + r.bytes, 0);
  let side: BrokerSide | null = null;
  if (broker && before && io0) side = brokerSide(before, await broker.stats(), io0, broker.io(), done.reports[0].bytes, served);
  return runRecord({ scenario: "tailing", serving, cache: broker ? "just-written" : "as-found", consumers, repeat, residentBefore: null, broker: side, rawSender: null, produce: { producers: o.producers, bytes: p.bytes, seconds: p.seconds, MiBps: p.bytes / MiB / p.seconds } }, done);
}

async function externalRuns(o: Resolved, pools: FanoutChildren, runs: FanoutRun[]): Promise<void> {
  const bootstrap = o.bootstrap!;
  const topic = `workbook-fanout-${Date.now()}`;
  let acked: AckedRecords | null = null;
  if (o.scenarios.includes("catch-up")) {
    const produced = await produce(o, pools, bootstrap, topic, Math.ceil(o.logBytes / o.producers / o.recordBytes), 0);
    acked = produced.acked;
    o.onProgress?.(`wrote ${formatBytes(produced.bytes)} to ${topic} on ${bootstrap} in ${produced.seconds.toFixed(1)} s`);
  }
  let tailTopic = 0;
  for (let repeat = 1; repeat <= o.repeats; repeat++) {
    for (const consumers of o.consumers) {
      if (acked) {
        const { handles } = await prepareConsumers(pools, consumers, { mode: "kafka", bootstrap, topic, partitions: [0], fromOffset: "earliest", partitionMaxBytes: o.fetchBytes, maxWaitMs: 500, walkRecords: o.walkRecords });
        const done = await goConsumers(handles);
        verify(done.reports, acked, `catch-up C=${consumers} on ${bootstrap}`);
        runs.push(runRecord({ scenario: "catch-up", serving: "external", cache: "as-found", consumers, repeat, residentBefore: null, broker: null, rawSender: null, produce: null }, done));
        o.onProgress?.(describeRun(runs[runs.length - 1], o.repeats));
      }
      if (o.scenarios.includes("tailing")) {
        runs.push(await tailingRun(o, pools, bootstrap, `${topic}-tail-${++tailTopic}`, "external", consumers, repeat, null));
        o.onProgress?.(describeRun(runs[runs.length - 1], o.repeats));
      }
    }
  }
}
