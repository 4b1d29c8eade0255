// The steps every fan-out run is made of, shared by the fan-out experiment (broker-fanout.ts) and its run
// through shaped links (broker-link-fanout.ts): long-lived producer and consumer children, producing a log,
// preparing consumers and starting them at once, proving that each got every acknowledged record, putting
// the log's pages in a cache state, and turning what the broker and the consumers reported into a run record.
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { startChild, nextReport, ChildHandle, ChildOptions, MessageOf } from "../cleanup/child-process";
import type { KafkaBrokerProcess } from "./kafka-broker-process";
import { prepareCache, residency } from "./cache-state";
import { readMachineCpu, machineCpuDelta, MachineCpu } from "./machine-cpu";
import { missingRecords } from "./fanout-record";
import type { FanoutRun, BrokerSide } from "./broker-fanout-records";
import type {
  ConsumerJob, FromConsumerChild, FromProducerChild, FromRawSender, ProducerJob, ToConsumerChild, ToProducerChild, ToRawSender,
} from "./kafka-child-messages";
import type { BrokerStats } from "../kafka/broker/broker";
import { KafkaCluster } from "../kafka/client/cluster";
import { MiB, GiB, formatBytes } from "../units/sizes";
import type { CacheState } from "../vocabulary/transfer";

/** How long a child may take for one phase of a run. */
export const PHASE_TIMEOUT_MS = 600_000;

/** Long-lived producer, consumer and raw-sender children, reused run after run. With `launcher` every child
 *  starts through it (`ip netns exec <name>`: inside a shaped link's namespace). */
export class FanoutChildren {
  private readonly producers: ChildHandle<ToProducerChild, FromProducerChild>[] = [];
  private readonly consumers: ChildHandle<ToConsumerChild, FromConsumerChild>[] = [];
  private rawSender: ChildHandle<ToRawSender, FromRawSender> | null = null;

  constructor(private readonly options: ChildOptions = {}) {}

  async producer(i: number): Promise<ChildHandle<ToProducerChild, FromProducerChild>> {
    while (this.producers.length <= i) {
      const h = startChild<ToProducerChild, FromProducerChild>(path.join(__dirname, "fanout-producer-child.ts"), `producer ${this.producers.length}`, this.options);
      this.producers.push(h);
      await h.next(["ready"], 60_000, "ready");
    }
    return this.producers[i];
  }

  consumer(i: number): ChildHandle<ToConsumerChild, FromConsumerChild> {
    while (this.consumers.length <= i) {
      this.consumers.push(startChild<ToConsumerChild, FromConsumerChild>(path.join(__dirname, "fanout-consumer-child.ts"), `consumer ${this.consumers.length}`, this.options));
    }
    return this.consumers[i];
  }

  async raw(): Promise<ChildHandle<ToRawSender, FromRawSender>> {
    if (!this.rawSender) {
      this.rawSender = startChild<ToRawSender, FromRawSender>(path.join(__dirname, "raw-sendfile-child.ts"), "raw sendfile sender", this.options);
      await this.rawSender.next(["ready"], 60_000, "ready");
    }
    return this.rawSender;
  }

  async stop(): Promise<void> {
    await Promise.all([...this.producers, ...this.consumers, ...(this.rawSender ? [this.rawSender] : [])].map((h) => h.stop()));
  }
}

/** Acknowledged records: "producer/partition" -> count (fanout-record.ts ledgerKey). */
export type AckedRecords = Map<string, number>;

/** What the producers write: P producer processes, records of `recordBytes` in batches of `batchBytes`. */
export interface ProduceSpec {
  producers: number;
  recordBytes: number;
  batchBytes: number;
  acks: 0 | 1 | -1;
}

/** What a produce step acknowledged. */
export interface Produced {
  acked: AckedRecords;
  records: number;
  bytes: number;
  seconds: number;
}

/** Runs P producers on `topic` partition 0, each `records` records; resolves with what was acknowledged. */
export async function produce(spec: ProduceSpec, children: FanoutChildren, bootstrap: string, topic: string, records: number, firstProducerId: number): Promise<Produced> {
  const t0 = process.hrtime.bigint();
  const results = await Promise.all(
    Array.from({ length: spec.producers }, async (_, i) => {
      const h = await children.producer(i);
      const job: ProducerJob = { bootstrap, topic, partitions: [0], producerId: firstProducerId + i, records, recordBytes: spec.recordBytes, batchBytes: spec.batchBytes, lingerMs: 0, acks: spec.acks };
      h.send({ type: "produce", job });
      return nextReport<FromProducerChild, "produced">(h, "produced", PHASE_TIMEOUT_MS, "its produce result", `producer ${i}`);
    }),
  );
  return {
    acked: new Map(results.flatMap((r) => Object.entries(r.acked))),
    records: results.reduce((s, r) => s + r.records, 0),
    bytes: results.reduce((s, r) => s + r.bytes, 0),
    seconds: Number(process.hrtime.bigint() - t0) / 1e9,
  };
}

/** Prepares C consumers (connected, positioned); resolves when all are ready, with their ready messages. */
export async function prepareConsumers(
  children: FanoutChildren,
  c: number,
  job: ConsumerJob,
): Promise<{ handles: ChildHandle<ToConsumerChild, FromConsumerChild>[]; ready: Array<MessageOf<FromConsumerChild, "ready">> }> {
  const handles = Array.from({ length: c }, (_, i) => children.consumer(i));
  for (const h of handles) h.send({ type: "prepare", job });
  const ready = await Promise.all(handles.map((h, i) => nextReport<FromConsumerChild, "ready">(h, "ready", PHASE_TIMEOUT_MS, "ready", `consumer ${i}`)));
  return { handles, ready };
}

/** Creates a topic (Metadata auto-creation) and waits until its partitions have a leader. */
export async function ensureTopic(bootstrap: string, topic: string): Promise<void> {
  const cluster = await KafkaCluster.connect(bootstrap, { clientId: "fanout-setup" });
  try {
    await cluster.partitions(topic, true);
  } finally {
    cluster.close();
  }
}

/** What the consumers of one run reported. */
export type ConsumerReports = Array<MessageOf<FromConsumerChild, "consumed">>;

/** What the consumers of a run reported, the wall time to the last one, and every CPU's busy time meanwhile. */
export interface ConsumersDone {
  reports: ConsumerReports;
  seconds: number;
  machine: MachineCpu;
}

/** Starts every prepared consumer at once; resolves with their reports, the wall time to the last one, and the
 *  machine's busy time (/proc/stat) over the same span. */
export async function goConsumers(handles: ChildHandle<ToConsumerChild, FromConsumerChild>[], whileRunning?: () => Promise<void>): Promise<ConsumersDone> {
  const cpu0 = readMachineCpu();
  const t0 = process.hrtime.bigint();
  for (const h of handles) h.send({ type: "go" });
  const done = Promise.all(handles.map((h, i) => nextReport<FromConsumerChild, "consumed">(h, "consumed", PHASE_TIMEOUT_MS, "its result", `consumer ${i}`)));
  if (whileRunning) await whileRunning();
  const reports = await done;
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  return { reports, seconds, machine: machineCpuDelta(cpu0, readMachineCpu()) };
}

/** Throws unless every consumer got exactly the acknowledged records. */
export function verify(reports: Array<{ perProducer: Record<string, number> }>, acked: AckedRecords, what: string): void {
  reports.forEach((r, i) => {
    const missing = missingRecords(r.perProducer, acked);
    if (missing.length) throw new Error(`${what}: consumer ${i + 1} of ${reports.length} did not get every acknowledged record exactly once: ${missing.join("; ")}`);
  });
}

/** The broker-side figures of a run from stats and /proc before and after. */
export function brokerSide(before: BrokerStats, after: BrokerStats, io0: ReturnType<KafkaBrokerProcess["io"]>, io1: ReturnType<KafkaBrokerProcess["io"]>, logBytes: number, served: number): BrokerSide {
  const user = (after.process.userMicros - before.process.userMicros) / 1e6;
  const system = (after.process.systemMicros - before.process.systemMicros) / 1e6;
  const syscalls = io1.syscr - io0.syscr + io1.syscw - io0.syscw;
  const gib = served / GiB;
  return {
    cpuSeconds: user + system, userSeconds: user, systemSeconds: system, cpuSecondsPerGiB: (user + system) / gib,
    syscalls, syscallsPerGiB: syscalls / gib,
    sendfileCalls: after.send.sendfileCalls - before.send.sendfileCalls,
    writeCalls: after.send.writeCalls - before.send.writeCalls,
    fileReads: after.send.fileReads - before.send.fileReads,
    writableWaits: after.send.writableWaits - before.send.writableWaits,
    diskReadBytes: io1.readBytes - io0.readBytes,
    diskReadsPerLogByte: (io1.readBytes - io0.readBytes) / logBytes,
    recordBytesSent: after.send.recordBytesSent - before.send.recordBytesSent,
  };
}

/** The fields of a run record the caller knows; the rest comes from the consumers' reports. */
export type RunFields = Pick<FanoutRun, "scenario" | "serving" | "cache" | "consumers" | "repeat" | "residentBefore" | "broker" | "rawSender" | "produce">;

/** A run record from what the consumers reported. */
export function runRecord(fields: RunFields, { reports, seconds, machine }: ConsumersDone): FanoutRun {
  const bytes = reports[0].bytes;
  const rates = reports.map((r) => r.bytes / MiB / r.seconds).sort((a, b) => a - b);
  const consumerCpu = reports.reduce((s, r) => s + r.cpuSeconds, 0);
  const total = reports.reduce((s, r) => s + r.bytes, 0);
  return {
    ...fields,
    bytesPerConsumer: bytes,
    recordsPerConsumer: reports[0].records,
    fetches: reports.reduce((s, r) => s + r.fetches, 0),
    seconds,
    machineBusyMs: machine.busyMs,
    machineStealMs: machine.stealMs,
    servedMiBps: total / MiB / seconds,
    perConsumerMiBps: rates[Math.floor(rates.length / 2)],
    consumerCpuSeconds: consumerCpu,
    consumerCpuSecondsPerGiB: consumerCpu / (total / GiB),
    verified: true,
    loadAverage1m: Math.round(os.loadavg()[0] * 100) / 100,
  };
}

/** One line per run for progress output. */
export function describeRun(r: FanoutRun, repeats: number): string {
  const b = r.broker ? `, broker ${r.broker.cpuSecondsPerGiB.toFixed(2)} CPU-s/GiB, disk ${r.broker.diskReadsPerLogByte.toFixed(2)} x log` : r.rawSender ? `, sender ${r.rawSender.cpuSecondsPerGiB.toFixed(2)} CPU-s/GiB` : "";
  return `${r.scenario} ${r.serving} ${r.cache} C=${r.consumers} [${r.repeat}/${repeats}]: ${formatBytes(r.bytesPerConsumer)} each in ${r.seconds.toFixed(2)} s, ${r.servedMiBps.toFixed(0)} MiB/s${b}`;
}

/** Puts every segment in the cache state asked for and returns the resident fraction (mincore). */
export async function setCache(files: string[], state: CacheState): Promise<number> {
  let resident = 0;
  let total = 0;
  for (const file of files) {
    const fd = fs.openSync(file, "r");
    try {
      let now = null;
      for (let attempt = 0; attempt < 20 && !now; attempt++) {
        try {
          now = prepareCache(fd, state);
        } catch {
          // Pages still referenced by socket buffers of a finished run cannot be dropped for a few ms.
          await new Promise((r) => setTimeout(r, 50));
        }
      }
      now ??= residency(fd);
      resident += now.resident;
      total += now.total;
    } finally {
      fs.closeSync(fd);
    }
  }
  return total ? resident / total : 0;
}
