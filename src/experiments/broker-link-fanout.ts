// Chapter 6's fan-out through links of chosen rates: for each rate a network namespace whose loopback tbf shapes
// (link/), holding a broker per serving mode (sendfile, read+write) and C consumer processes, so the consumers'
// fetches share the link as consumers behind one NIC do. An unshaped namespace is the control. One log is
// produced first (outside the links) and copied into every broker's data folder; every broker then makes one
// unmeasured catch-up pass. The measured runs are warm catch-ups, interleaved round by round across links and
// serving modes; around each, the machine's busy time (/proc/stat) over the run and over a quiet window before
// and after it, so chapter 6 can say what all CPUs spent per GiB served, net of everyone else. Every consumer
// verifies every record (fanout-record.ts). Every namespace, process and file is removed at the end, on errors
// and on signals too. Entry point: runBrokerFanoutOverLinks().
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { spawnKafkaBroker, KafkaBrokerProcess } from "./kafka-broker-process";
import { makeScratchDir } from "../cleanup/scratch-dir";
import { track, release } from "../cleanup/registry";
import { machineConditions } from "./conditions";
import { readMachineCpu, machineCpuDelta } from "./machine-cpu";
import { RECORD_ID_BYTES } from "./fanout-record";
import { FanoutChildren, AckedRecords, produce, prepareConsumers, goConsumers, verify, brokerSide, runRecord, describeRun, setCache } from "./fanout-steps";
import type { BrokerLinkResult, BrokerLinkRun } from "./broker-link-fanout-records";
import { createLinkNamespace, LinkNamespace } from "../link/namespace";
import { forkInNamespace } from "../link/namespace-exec";
import { requireLinkTools } from "../link/preconditions";
import { requireNative } from "../native/addon";
import { SERVING_MODES, ServingMode } from "../kafka/broker/response-sender";
import { BATCH_HEADER_BYTES } from "../kafka/records/record-batch";
import { formatRate, LinkRate, MIN_RATE_BPS, MAX_RATE_BPS } from "../units/rates";
import { MiB, GiB, formatBytes } from "../units/sizes";

export interface BrokerLinkOptions {
  /** Shaped link rates, bit/s; the unshaped control is always added last. */
  rates: number[];
  /** Consumers reading the whole log together through each link. */
  consumers: number;
  logBytes: number;
  repeats: number;
  servings?: ServingMode[];
  producers?: number;
  recordBytes?: number;
  batchBytes?: number;
  /** A consumer's per-partition fetch limit (Kafka: max.partition.fetch.bytes). */
  fetchBytes?: number;
  segmentBytes?: number;
  /** Quiet milliseconds before and after each run over which the machine's background is measured. */
  backgroundWindowMs?: number;
  scratchParent?: string;
  onProgress?: (line: string) => void;
  /** Lines worth telling the user (stale namespaces removed). */
  onNotice?: (line: string) => void;
}

export const LINK_FANOUT_DEFAULTS = { servings: [...SERVING_MODES] as ServingMode[], producers: 2, recordBytes: 1024, batchBytes: 64 * 1024, fetchBytes: 8 * MiB, segmentBytes: 64 * MiB, backgroundWindowMs: 150 };

type Resolved = Required<Omit<BrokerLinkOptions, "scratchParent" | "onProgress" | "onNotice">>;

function resolve(options: BrokerLinkOptions): Resolved {
  const o = { ...LINK_FANOUT_DEFAULTS, ...Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined)) } as Resolved;
  const whole = (name: string, v: number, min: number, max: number) => {
    if (!Number.isSafeInteger(v) || v < min || v > max) throw new RangeError(`${name} must be a whole number from ${min} to ${max}, got ${v}`);
  };
  if (!Array.isArray(o.rates) || o.rates.length === 0) throw new RangeError("rates must be a non-empty list of link rates in bit/s");
  for (const r of o.rates) if (!(Number.isFinite(r) && r >= MIN_RATE_BPS && r <= MAX_RATE_BPS)) throw new RangeError(`a link rate must be bit/s from ${MIN_RATE_BPS} to ${MAX_RATE_BPS}, got ${r}`);
  whole("consumers", o.consumers, 1, 64);
  whole("producers", o.producers, 1, 64);
  whole("logBytes", o.logBytes, 64 * 1024, 64 * GiB);
  whole("repeats", o.repeats, 1, 100);
  whole("recordBytes", o.recordBytes, RECORD_ID_BYTES, MiB);
  whole("batchBytes", o.batchBytes, BATCH_HEADER_BYTES + 16, 16 * MiB);
  whole("fetchBytes", o.fetchBytes, 64 * 1024, 256 * MiB);
  whole("segmentBytes", o.segmentBytes, MiB, 0x7fffffff);
  whole("backgroundWindowMs", o.backgroundWindowMs, 0, 10_000);
  if (o.batchBytes > o.fetchBytes) throw new RangeError(`a batch (${formatBytes(o.batchBytes)}) must fit in a fetch (${formatBytes(o.fetchBytes)})`);
  if (!Array.isArray(o.servings) || o.servings.length === 0 || o.servings.some((s) => !SERVING_MODES.includes(s))) throw new TypeError(`servings must be a non-empty list of ${SERVING_MODES.join(", ")}`);
  return o;
}

/** One broker inside one link's namespace, with its copy of the log. */
interface LinkBroker {
  serving: ServingMode;
  broker: KafkaBrokerProcess;
  files: string[];
}

/** One link: its namespace, its consumers, its brokers. */
interface Link {
  rate: LinkRate;
  namespace: LinkNamespace;
  children: FanoutChildren;
  brokers: LinkBroker[];
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Busy ms of every CPU over `ms` of our own quiet (nothing of the experiment runs meanwhile). */
async function quietWindow(ms: number): Promise<number> {
  if (ms === 0) return 0;
  const before = readMachineCpu();
  await sleep(ms);
  return machineCpuDelta(before, readMachineCpu()).busyMs;
}

export async function runBrokerFanoutOverLinks(options: BrokerLinkOptions): Promise<BrokerLinkResult> {
  const o = resolve(options);
  requireNative();
  requireLinkTools();
  const say = options.onProgress ?? (() => undefined);
  const machine = machineConditions();
  const rates: LinkRate[] = [...o.rates, null];
  const copies = rates.length * o.servings.length;
  const scratch = makeScratchDir("broker-link", (o.logBytes * 1.2 + 4 * MiB) * (copies + 1) + 64 * MiB, options.scratchParent);
  const links: Link[] = [];
  const root = new FanoutChildren();
  let failed = true;
  try {
    // The log, produced once through the machine's own loopback (the links are for serving, not producing).
    const source = path.join(scratch.dir, "source");
    const config = (serving: ServingMode, dataDir: string) => ({ dataDir, serving, segmentBytes: o.segmentBytes, maxMessageBytes: Math.max(1048588, o.batchBytes), maxRequestBytes: Math.max(16 * MiB, o.batchBytes * 8) });
    const topic = "fanout";
    let acked: AckedRecords;
    let logBytes: number;
    {
      const broker = await spawnKafkaBroker(config("sendfile", source));
      try {
        const produced = await produce({ producers: o.producers, recordBytes: o.recordBytes, batchBytes: o.batchBytes, acks: 1 }, root, broker.bootstrap, topic, Math.ceil(o.logBytes / o.producers / o.recordBytes), 0);
        acked = produced.acked;
        logBytes = (await broker.stats()).partitions.find((p) => p.topic === topic)!.sizeInBytes;
      } finally {
        await broker.stop();
        await root.stop();
      }
    }
    say(`built a ${formatBytes(logBytes)} log; copying it for ${copies} brokers in ${rates.length} links`);
    for (const [i, rate] of rates.entries()) {
      const namespace = track(createLinkNamespace(rate, { onNotice: options.onNotice }));
      const launcher = forkInNamespace(namespace.name);
      const link: Link = { rate, namespace, children: new FanoutChildren({ launcher }), brokers: [] };
      links.push(link);
      for (const serving of o.servings) {
        const dataDir = path.join(scratch.dir, `link-${i}-${serving}`);
        fs.cpSync(source, dataDir, { recursive: true });
        const broker = await spawnKafkaBroker(config(serving, dataDir), 60_000, { launcher });
        const files = (await broker.stats()).partitions.find((p) => p.topic === topic)!.segments;
        link.brokers.push({ serving, broker, files });
      }
    }
    const job = (b: LinkBroker) => ({ mode: "kafka" as const, bootstrap: b.broker.bootstrap, topic, partitions: [0], fromOffset: "earliest" as const, partitionMaxBytes: o.fetchBytes, maxWaitMs: 500, walkRecords: false });
    // One unmeasured pass per broker: no measured run pays for JIT compiling the fetch path or the consumers'.
    for (const link of links) {
      for (const b of link.brokers) {
        const { handles } = await prepareConsumers(link.children, o.consumers, job(b));
        await setCache(b.files, "warm");
        const { reports } = await goConsumers(handles);
        verify(reports, acked, `warm-up ${formatRate(link.rate)} ${b.serving}`);
      }
    }
    const runs: BrokerLinkRun[] = [];
    for (let repeat = 1; repeat <= o.repeats; repeat++) {
      // Rotate the links and alternate the serving modes round by round, so a slow spell hits every variant alike.
      const order = links.map((_, i) => links[(i + repeat - 1) % links.length]);
      for (const link of order) {
        const brokers = repeat % 2 ? link.brokers : [...link.brokers].reverse();
        for (const b of brokers) {
          const run = await linkRun(o, link, b, job(b), acked, logBytes, repeat);
          runs.push(run);
          say(`${formatRate(link.rate)}: ${describeRun(run, o.repeats)}`);
        }
      }
    }
    const result: BrokerLinkResult = {
      kind: "broker-link-fanout",
      conditions: {
        machine,
        loadAverageAtEnd: os.loadavg().map((x) => Math.round(x * 100) / 100),
        links: links.map((l) => l.namespace.describe()),
        servings: o.servings,
        consumers: o.consumers,
        logBytes,
        recordBytes: o.recordBytes,
        batchBytes: o.batchBytes,
        fetchBytes: o.fetchBytes,
        segmentBytes: o.segmentBytes,
        producers: o.producers,
        repeats: o.repeats,
        backgroundWindowMs: o.backgroundWindowMs,
        notes: [
          `Each link is a network namespace whose loopback a token bucket (tc tbf) shapes; the broker and its ${o.consumers} consumers run inside it, so all of their traffic shares the rate. The unshaped control is a namespace too.`,
          "Warm catch-up runs: every consumer reads the whole log from the page cache, each batch CRC32C-checked and every acknowledged record verified once and in order.",
          "Machine-wide CPU is /proc/stat's busy time of every CPU over each run; the same over a quiet window before and after it measures everyone else, which is subtracted. Under shaping the kernel's receive work runs in softirqs that land on whichever process is running, or on none: only the machine-wide figure sees all of it.",
          "The broker's own CPU is its getrusage (user + system, all threads), read by the broker over IPC before and after each run.",
        ],
      },
      runs,
    };
    failed = false;
    return result;
  } finally {
    for (const link of links) {
      for (const b of link.brokers) await b.broker.stop().catch(() => undefined);
      await link.children.stop();
    }
    await root.stop();
    removeNamespaces(links.map((l) => l.namespace), failed);
    scratch.remove();
  }
}

/** One measured warm catch-up of `b` by the link's consumers, with the machine's busy time around it. */
async function linkRun(o: Resolved, link: Link, b: LinkBroker, job: Parameters<typeof prepareConsumers>[2], acked: AckedRecords, logBytes: number, repeat: number): Promise<BrokerLinkRun> {
  const { handles } = await prepareConsumers(link.children, o.consumers, job);
  const residentBefore = await setCache(b.files, "warm");
  const beforeBusy = await quietWindow(o.backgroundWindowMs);
  const stats0 = await b.broker.stats();
  const io0 = b.broker.io();
  const done = await goConsumers(handles);
  const io1 = b.broker.io();
  const stats1 = await b.broker.stats();
  const afterBusy = await quietWindow(o.backgroundWindowMs);
  verify(done.reports, acked, `${formatRate(link.rate)} ${b.serving} C=${o.consumers}`);
  const served = done.reports.reduce((s, r) => s + r.bytes, 0);
  const side = brokerSide(stats0, stats1, io0, io1, logBytes, served);
  return {
    ...runRecord({ scenario: "catch-up", serving: b.serving, cache: "warm", consumers: o.consumers, repeat, residentBefore, broker: side, rawSender: null, produce: null }, done),
    rate: link.rate,
    backgroundWindowMs: o.backgroundWindowMs,
    backgroundBeforeBusyMs: beforeBusy,
    backgroundAfterBusyMs: afterBusy,
  };
}

/** Removes every namespace; a failed removal is an error unless the run itself failed (then that error is the
 *  one to see, and release() makes a last attempt that swallows its own). */
function removeNamespaces(namespaces: LinkNamespace[], failed: boolean): void {
  const errors: string[] = [];
  for (const ns of namespaces) {
    try {
      if (!failed) ns.dispose();
    } catch (error) {
      errors.push((error as Error).message);
    } finally {
      release(ns);
    }
  }
  if (errors.length > 0) throw new Error(errors.join("; "));
}
