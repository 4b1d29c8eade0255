// The single-node rows of Kreps' 2014 benchmark (src/reference/kreps-2014.ts), rerun on this machine
// against the workbook's broker: 100-byte records on a six-partition topic, one producer (acks=1,
// batch.size 8196), one consumer, and end-to-end latency one record at a time. Each row twice: with the
// workbook's own clients (child processes, src/kafka/client) and with kcat (librdkafka), interleaved
// round by round. Nothing is taken on trust: every produced record is counted back, and the workbook's
// consumer checks every record's producer and sequence (fanout-record.ts) and every batch's CRC32C.
// Measurement only; the bench prints the published figures beside these.
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { spawn } from "child_process";
import { startChild, nextReport, ChildHandle } from "../cleanup/child-process";
import { spawnKafkaBroker, KafkaBrokerProcess } from "./kafka-broker-process";
import { makeScratchDir } from "../cleanup/scratch-dir";
import { machineConditions, MachineConditions } from "./conditions";
import { summarize, median, Spread } from "../statistics/spread";
import { readMachineCpu, machineCpuDelta } from "./machine-cpu";
import { missingRecords } from "./fanout-record";
import { track, release } from "../cleanup/registry";
import { kcatVersion, runKcat, KCAT_MISSING } from "./kcat";
import { KafkaCluster } from "../kafka/client/cluster";
import { KafkaConsumer } from "../kafka/client/consumer";
import { KafkaProducer } from "../kafka/client/producer";
import { KREPS_2014 } from "../reference/kreps-2014";
import type { FromConsumerChild, FromProducerChild, FromLatencyChild, ToConsumerChild, ToProducerChild, ToLatencyChild } from "./kafka-child-messages";
import { MiB } from "../units/sizes";

export type KrepsClient = "workbook" | "kcat";
export type KrepsTest = "producer" | "consumer" | "latency";

export interface KrepsOptions {
  /** Records per producer and consumer run (Kreps: 50 million). */
  records?: number;
  /** Records timed one by one in a latency run. */
  latencyRecords?: number;
  repeats?: number;
  /** Also run kcat (needs it on PATH). */
  withKcat?: boolean;
  scratchParent?: string;
  onProgress?: (line: string) => void;
}

export const KREPS_DEFAULTS = { records: 2_000_000, latencyRecords: 5000, repeats: 3, withKcat: true };

export interface KrepsRun {
  client: KrepsClient;
  test: KrepsTest;
  repeat: number;
  records: number;
  seconds: number;
  recordsPerSecond: number;
  mibPerSecond: number;
  /** Latency runs: percentiles of the per-record times, milliseconds (nearest rank). */
  latencyMs: { median: number; p99: number; p999: number; max: number } | null;
  /** What kept each part busy over the run, in cores (CPU-seconds per second of the run): the broker's own
   *  getrusage, the workbook client's own (null for kcat, whose rusage Node cannot read), and every CPU of the
   *  machine (/proc/stat), so a reader sees what limited the rate. Null for latency runs. */
  busy: { broker: number; client: number | null; machine: number } | null;
}

export interface KrepsSummary {
  client: KrepsClient;
  test: KrepsTest;
  n: number;
  recordsPerSecond: Spread;
  /** Medians over runs of `busy`. */
  busy: { broker: number; client: number | null; machine: number } | null;
  latencyMedianMs: Spread | null;
  latencyP99Ms: Spread | null;
  latencyP999Ms: Spread | null;
}

export interface KrepsResult {
  kind: "kreps-rerun";
  conditions: MachineConditions & { records: number; latencyRecords: number; repeats: number; recordBytes: number; partitions: number; batchBytes: number; acks: number; kcatVersion: string | null; loadAverageAtEnd: number[]; notes: string[] };
  runs: KrepsRun[];
  summary: KrepsSummary[];
}

const RECORD_BYTES = KREPS_2014.recordBytes;
const PARTITIONS = KREPS_2014.partitions;
const TIMEOUT_MS = 600_000;

/** Nearest-rank percentile of sorted values. */
export function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))];
}

export async function runKrepsRerun(options: KrepsOptions = {}): Promise<KrepsResult> {
  const o = { ...KREPS_DEFAULTS, ...Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined)) } as typeof KREPS_DEFAULTS & KrepsOptions;
  for (const [name, v, min] of [["records", o.records, 1000], ["latencyRecords", o.latencyRecords, 10], ["repeats", o.repeats, 1]] as const) {
    if (!Number.isSafeInteger(v) || v < min) throw new RangeError(`${name} must be a whole number >= ${min}, got ${v}`);
  }
  const kcat = o.withKcat ? await kcatVersion() : null;
  if (o.withKcat && !kcat) throw new Error(`${KCAT_MISSING}; or run without the kcat rows`);
  const machine = machineConditions();
  const scratch = makeScratchDir("kreps", (o.records * (RECORD_BYTES + 30) * 2 + o.records * (RECORD_BYTES + 1)) * o.repeats + 64 * MiB, o.scratchParent);
  const runs: KrepsRun[] = [];
  const children: ChildHandle<never, { type: string }>[] = [];
  let broker: KafkaBrokerProcess | null = null;
  try {
    broker = await spawnKafkaBroker({ dataDir: path.join(scratch.dir, "data"), serving: "sendfile", defaultPartitions: PARTITIONS });
    const producer = startChild<ToProducerChild, FromProducerChild>(path.join(__dirname, "fanout-producer-child.ts"), "kreps producer");
    const consumer = startChild<ToConsumerChild, FromConsumerChild>(path.join(__dirname, "fanout-consumer-child.ts"), "kreps consumer");
    const latency = startChild<ToLatencyChild, FromLatencyChild>(path.join(__dirname, "e2e-latency-child.ts"), "kreps latency");
    children.push(producer, consumer, latency);
    await producer.next(["ready"], 60_000, "ready");
    await latency.next(["ready"], 60_000, "ready");
    const lines = path.join(scratch.dir, "records.txt");
    if (o.withKcat) writeRecordLines(lines, o.records);
    for (let repeat = 1; repeat <= o.repeats; repeat++) {
      const clients: KrepsClient[] = o.withKcat ? (repeat % 2 ? ["workbook", "kcat"] : ["kcat", "workbook"]) : ["workbook"];
      for (const client of clients) {
        const topic = `kreps-${client}-${repeat}`;
        const add = (run: KrepsRun) => {
          runs.push(run);
          o.onProgress?.(describe(run, o.repeats));
        };
        const b = broker;
        if (client === "workbook") {
          let acked = new Map<string, number>();
          add(throughputRun(client, "producer", repeat, o.records, await watched(b, async () => {
            const produced = await workbookProduce(producer, b.bootstrap, topic, o.records);
            acked = produced.acked;
            return produced;
          })));
          add(throughputRun(client, "consumer", repeat, o.records, await watched(b, () => workbookConsume(consumer, b.bootstrap, topic, acked))));
          add(latencyRun(client, repeat, await workbookLatency(latency, b.bootstrap, `${topic}-latency`, o.latencyRecords)));
        } else {
          add(throughputRun(client, "producer", repeat, o.records, await watched(b, async () => ({ seconds: await kcatProduce(b.bootstrap, topic, lines, o.records), cpuSeconds: null }))));
          add(throughputRun(client, "consumer", repeat, o.records, await watched(b, async () => ({ seconds: await kcatConsume(b.bootstrap, topic, o.records), cpuSeconds: null }))));
          add(latencyRun(client, repeat, await kcatLatency(b.bootstrap, `${topic}-latency`, o.latencyRecords)));
        }
      }
    }
  } finally {
    for (const c of children) await c.stop();
    if (broker) await broker.stop();
    scratch.remove();
  }
  return {
    kind: "kreps-rerun",
    conditions: {
      ...machine, records: o.records, latencyRecords: o.latencyRecords, repeats: o.repeats, recordBytes: RECORD_BYTES, partitions: PARTITIONS,
      batchBytes: KREPS_2014.producer.batchBytes, acks: KREPS_2014.producer.acks, kcatVersion: kcat, loadAverageAtEnd: os.loadavg().map((x) => Math.round(x * 100) / 100),
      notes: [
        `Broker, producer and consumer on one ${machine.cpuCount}-CPU machine over loopback (Kreps: three brokers, clients on other machines, 1 Gb Ethernet); one broker, no replication.`,
        "Producer rate: records / time from the first send to the last acknowledgement (the workbook's producer: in its process; kcat: the process's whole run, start-up included).",
        "Consumer rate: all records of the topic from the first fetch to the last record; the workbook's consumer checks every batch's CRC32C and every record's producer and sequence; kcat runs with check.crcs=true and prints one newline per record.",
        "Latency: one record at a time, from handing it to the producer to the consumer having it, the consumer long-polling (Kafka's TestEndToEndLatency). kcat row: the workbook's producer and kcat -C -u as the consumer, read through a pipe (kcat -P reads a pipe in blocks and sends nothing until its input ends).",
      ],
    },
    runs,
    summary: summarizeKreps(runs),
  };
}

/** A throughput run's time, and who was busy over it. */
interface Watched {
  seconds: number;
  busy: NonNullable<KrepsRun["busy"]>;
}

/** Runs `f` (which reports its own time and, for the workbook's clients, its CPU) with the broker's CPU and every
 *  CPU's busy time read before and after it. */
async function watched(broker: KafkaBrokerProcess, f: () => Promise<{ seconds: number; cpuSeconds: number | null }>): Promise<Watched> {
  const s0 = (await broker.stats()).process;
  const m0 = readMachineCpu();
  const t0 = process.hrtime.bigint();
  const r = await f();
  const wall = Number(process.hrtime.bigint() - t0) / 1e9;
  const machine = machineCpuDelta(m0, readMachineCpu());
  const s1 = (await broker.stats()).process;
  const brokerSeconds = (s1.userMicros - s0.userMicros + s1.systemMicros - s0.systemMicros) / 1e6;
  return { seconds: r.seconds, busy: { broker: brokerSeconds / wall, client: r.cpuSeconds === null ? null : r.cpuSeconds / r.seconds, machine: machine.busyMs / 1000 / wall } };
}

function throughputRun(client: KrepsClient, test: "producer" | "consumer", repeat: number, records: number, w: Watched): KrepsRun {
  return { client, test, repeat, records, seconds: w.seconds, recordsPerSecond: records / w.seconds, mibPerSecond: (records * RECORD_BYTES) / MiB / w.seconds, latencyMs: null, busy: w.busy };
}

function latencyRun(client: KrepsClient, repeat: number, latencies: number[]): KrepsRun {
  const sorted = [...latencies].sort((a, b) => a - b);
  const seconds = latencies.reduce((s, x) => s + x, 0) / 1000;
  return {
    client, test: "latency", repeat, records: latencies.length, seconds, recordsPerSecond: latencies.length / seconds, mibPerSecond: (latencies.length * RECORD_BYTES) / MiB / seconds,
    latencyMs: { median: percentile(sorted, 0.5), p99: percentile(sorted, 0.99), p999: percentile(sorted, 0.999), max: sorted[sorted.length - 1] },
    busy: null,
  };
}

function summarizeKreps(runs: KrepsRun[]): KrepsSummary[] {
  const keys = [...new Set(runs.map((r) => `${r.client}|${r.test}`))];
  return keys.map((key) => {
    const list = runs.filter((r) => `${r.client}|${r.test}` === key);
    const lat = (f: (l: NonNullable<KrepsRun["latencyMs"]>) => number) => (list[0].latencyMs ? summarize(list.map((r) => f(r.latencyMs!))) : null);
    const busy = list[0].busy
      ? { broker: median(list.map((r) => r.busy!.broker)), client: list[0].busy.client === null ? null : median(list.map((r) => r.busy!.client!)), machine: median(list.map((r) => r.busy!.machine)) }
      : null;
    return { client: list[0].client, test: list[0].test, n: list.length, recordsPerSecond: summarize(list.map((r) => r.recordsPerSecond)), busy, latencyMedianMs: lat((l) => l.median), latencyP99Ms: lat((l) => l.p99), latencyP999Ms: lat((l) => l.p999) };
  });
}

function describe(r: KrepsRun, repeats: number): string {
  const what = r.latencyMs ? `median ${r.latencyMs.median.toFixed(2)} ms, p99 ${r.latencyMs.p99.toFixed(2)} ms, p99.9 ${r.latencyMs.p999.toFixed(2)} ms` : `${Math.round(r.recordsPerSecond).toLocaleString("en-US")} records/s (${r.mibPerSecond.toFixed(1)} MiB/s)`;
  return `kreps ${r.test} ${r.client} [${r.repeat}/${repeats}]: ${r.records} records, ${what}`;
}

async function workbookProduce(h: ChildHandle<ToProducerChild, FromProducerChild>, bootstrap: string, topic: string, records: number): Promise<{ seconds: number; cpuSeconds: number; acked: Map<string, number> }> {
  h.send({ type: "produce", job: { bootstrap, topic, partitions: Array.from({ length: PARTITIONS }, (_, i) => i), producerId: 1, records, recordBytes: RECORD_BYTES, batchBytes: KREPS_2014.producer.batchBytes, lingerMs: 0, acks: KREPS_2014.producer.acks } });
  const r = await nextReport<FromProducerChild, "produced">(h, "produced", TIMEOUT_MS, "its result", "producer");
  if (r.records !== records) throw new Error(`the producer got ${r.records} of ${records} records acknowledged`);
  return { seconds: r.seconds, cpuSeconds: r.cpuSeconds, acked: new Map(Object.entries(r.acked)) };
}

async function workbookConsume(h: ChildHandle<ToConsumerChild, FromConsumerChild>, bootstrap: string, topic: string, acked: Map<string, number>): Promise<{ seconds: number; cpuSeconds: number }> {
  h.send({ type: "prepare", job: { mode: "kafka", bootstrap, topic, partitions: Array.from({ length: PARTITIONS }, (_, i) => i), fromOffset: "earliest", partitionMaxBytes: MiB, maxWaitMs: 500, walkRecords: true } });
  await nextReport<FromConsumerChild, "ready">(h, "ready", TIMEOUT_MS, "ready", "consumer");
  h.send({ type: "go" });
  const r = await nextReport<FromConsumerChild, "consumed">(h, "consumed", TIMEOUT_MS, "its result", "consumer");
  const missing = missingRecords(r.perProducer, acked);
  if (missing.length) throw new Error(`the consumer did not get every record exactly once: ${missing.join("; ")}`);
  return { seconds: r.seconds, cpuSeconds: r.cpuSeconds };
}

async function workbookLatency(h: ChildHandle<ToLatencyChild, FromLatencyChild>, bootstrap: string, topic: string, records: number): Promise<number[]> {
  h.send({ type: "measure", job: { bootstrap, topic, records, warmup: 100, recordBytes: RECORD_BYTES } });
  return (await nextReport<FromLatencyChild, "latencies">(h, "latencies", TIMEOUT_MS, "its latencies", "latency")).latenciesMs;
}

/** `records` lines of RECORD_BYTES characters: what kcat -P -l sends as `records` 100-byte records. */
function writeRecordLines(file: string, records: number): void {
  const line = Buffer.alloc(RECORD_BYTES + 1, "x".charCodeAt(0));
  line[RECORD_BYTES] = 10;
  const chunk = Buffer.concat(Array.from({ length: 10_000 }, () => line));
  const fd = fs.openSync(file, "w");
  try {
    for (let left = records; left > 0; left -= 10_000) fs.writeSync(fd, chunk, 0, Math.min(left, 10_000) * line.length);
  } finally {
    fs.closeSync(fd);
  }
}

/** Sum of the topic's partition end offsets (every record kcat produced must be there). */
async function topicRecords(bootstrap: string, topic: string): Promise<number> {
  const consumer = await KafkaConsumer.connect(bootstrap, { clientId: "kreps-count" });
  try {
    let total = 0;
    for (let p = 0; p < PARTITIONS; p++) total += await consumer.endOffset(topic, p);
    return total;
  } finally {
    consumer.close();
  }
}

async function kcatProduce(bootstrap: string, topic: string, lines: string, records: number): Promise<number> {
  await createTopic(bootstrap, topic);
  const seconds = await runKcat(["-P", "-b", bootstrap, "-t", topic, "-l", lines, "-q", "-X", `acks=${KREPS_2014.producer.acks}`, "-X", `batch.size=${KREPS_2014.producer.batchBytes}`]);
  const stored = await topicRecords(bootstrap, topic);
  if (stored !== records) throw new Error(`kcat produced ${stored} of ${records} records`);
  return seconds;
}

async function kcatConsume(bootstrap: string, topic: string, records: number): Promise<number> {
  let newlines = 0;
  const seconds = await runKcat(["-C", "-b", bootstrap, "-t", topic, "-o", "beginning", "-e", "-q", "-X", "check.crcs=true", "-f", "\\n"], (d) => {
    for (let i = 0; i < d.length; i++) if (d[i] === 10) newlines++;
  });
  if (newlines !== records) throw new Error(`kcat consumed ${newlines} of ${records} records`);
  return seconds;
}

/** Creates a topic with the default (six) partitions through Metadata. */
async function createTopic(bootstrap: string, topic: string): Promise<void> {
  const cluster = await KafkaCluster.connect(bootstrap, { clientId: "kreps-setup" });
  try {
    await cluster.partitions(topic, true);
  } finally {
    cluster.close();
  }
}

/**
 * One record at a time, read by kcat -C -u: written by the workbook's producer (kcat -P reads a pipe in
 * blocks and sends nothing until its input ends, so it cannot send one record at a time), timed until the
 * record comes out of kcat's stdout.
 */
async function kcatLatency(bootstrap: string, topic: string, records: number): Promise<number[]> {
  await createTopic(bootstrap, topic);
  const consumer = spawn("kcat", ["-C", "-b", bootstrap, "-t", topic, "-p", "0", "-o", "end", "-u", "-q", "-f", "%s\\n"], { stdio: ["ignore", "pipe", "pipe"] });
  const tracked = track({ label: "kcat latency consumer", dispose: () => consumer.kill("SIGKILL") });
  const producer = await KafkaProducer.connect(bootstrap, { clientId: "kreps-latency", acks: 1, lingerMs: 0 });
  try {
    await producer.partitionsOf(topic);
    let buffered = "";
    let waiting: { tag: string; wake: () => void } | null = null;
    const seen = new Set<string>();
    consumer.stdout.on("data", (d: Buffer) => {
      buffered += d.toString("latin1");
      let nl;
      while ((nl = buffered.indexOf("\n")) >= 0) {
        seen.add(buffered.slice(0, 16));
        buffered = buffered.slice(nl + 1);
      }
      if (waiting && seen.has(waiting.tag)) waiting.wake();
    });
    const pad = Buffer.alloc(RECORD_BYTES - 16, "y".charCodeAt(0));
    /** Sends record `tag`, resolves with its latency, or null if it did not come back within `timeoutMs`. */
    const once = async (tag: string, timeoutMs: number): Promise<number | null> => {
      const begin = process.hrtime.bigint();
      producer.append(topic, 0, { value: Buffer.concat([Buffer.from(tag, "latin1"), pad]) });
      let arrived = seen.has(tag);
      if (!arrived) {
        arrived = await new Promise<boolean>((resolve) => {
          const timer = setTimeout(() => resolve(false), timeoutMs);
          waiting = { tag, wake: () => (clearTimeout(timer), resolve(true)) };
        });
      }
      waiting = null;
      seen.delete(tag);
      return arrived ? Number(process.hrtime.bigint() - begin) / 1e6 : null;
    };
    // Warm-up: until kcat -C has found the end of the partition, records written before it are not printed.
    let warm = 0;
    for (let i = 0; warm < 100; i++) {
      if (i > 300) throw new Error("kcat latency: kcat -C never started printing records");
      if ((await once(`w${String(i).padStart(15, "0")}`, 1000)) !== null) warm++;
    }
    const latencies: number[] = [];
    for (let i = 0; i < records; i++) {
      const ms = await once(String(i).padStart(16, "0"), 10_000);
      if (ms === null) throw new Error(`kcat latency: record ${i} did not come back within 10 s`);
      latencies.push(ms);
    }
    return latencies;
  } finally {
    await producer.close().catch(() => undefined);
    release(tracked);
  }
}
