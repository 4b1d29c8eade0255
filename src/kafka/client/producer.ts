// The workbook's producer: records go into one RecordBatch per partition (batch.size bytes at most), a
// batch is sent when it is full, when `lingerMs` has passed since its first record, or at flush(); up to
// `maxInFlight` Produce requests per broker are on the wire at once, in order (Kafka's accumulator and
// sender, without retries: any error fails the producer, so no record is silently lost or duplicated).
// `onAck` reports every acknowledged batch: which records of which partition got which offsets.
import { API } from "../protocol/api-keys";
import { ERROR, KafkaError } from "../protocol/error-codes";
import { produceRequestFrame, readProduceResponse, ProduceRequest } from "../protocol/messages/produce";
import { RecordBatchBuilder, RecordInput } from "../records/batch-builder";
import { KafkaCluster } from "./cluster";
import type { ConnectionOptions, KafkaConnection } from "./kafka-connection";
import { MiB } from "../../units/sizes";

export interface ProducerOptions extends Partial<ConnectionOptions> {
  /** 0: no response; 1: the leader appended; -1: every in-sync replica (here: after fsync). Kafka's default is -1. */
  acks: 0 | 1 | -1;
  /** Kafka: batch.size (16384). */
  batchBytes: number;
  /** Kafka: linger.ms. 0 sends as soon as a request slot is free. */
  lingerMs: number;
  /** Kafka: max.in.flight.requests.per.connection (5). */
  maxInFlight: number;
  /** Unacknowledged bytes above which whenBelowLimit() waits (Kafka: buffer.memory, 32 MiB). */
  bufferBytes: number;
}

export const PRODUCER_DEFAULTS: ProducerOptions = { acks: -1, batchBytes: 16384, lingerMs: 0, maxInFlight: 5, bufferBytes: 32 * MiB };

/** One acknowledged batch. */
export interface BatchAck {
  topic: string;
  partition: number;
  /** -1 with acks=0 (no response carries it). */
  baseOffset: number;
  recordCount: number;
  /** Index of the batch's first record among everything this producer appended to that partition. */
  firstRecord: number;
  bytes: number;
}

interface Sealed {
  topic: string;
  partition: number;
  bytes: Buffer;
  recordCount: number;
  firstRecord: number;
}

interface Accumulator {
  topic: string;
  partition: number;
  builder: RecordBatchBuilder;
  appended: number;
  openedAt: number;
  ready: Sealed[];
  node: number;
}

export class KafkaProducer {
  onAck: ((ack: BatchAck) => void) | null = null;
  private readonly accumulators = new Map<string, Accumulator>();
  private readonly inFlight = new Map<number, number>();
  /** Open connections by broker; requests are written synchronously on them, so wire order = seal order. */
  private readonly open = new Map<number, KafkaConnection>();
  private readonly opening = new Set<number>();
  private pending = 0;
  private error: Error | null = null;
  private scheduled = false;
  private lingerTimer: NodeJS.Timeout | null = null;
  private waiters: Array<() => void> = [];
  private closed = false;

  private constructor(
    readonly cluster: KafkaCluster,
    readonly options: ProducerOptions,
  ) {}

  static async connect(bootstrap: string, options: Partial<ProducerOptions> = {}): Promise<KafkaProducer> {
    const o = { ...PRODUCER_DEFAULTS, ...options };
    return new KafkaProducer(await KafkaCluster.connect(bootstrap, o), o);
  }

  /** Creates the topic if needed (through Metadata) and returns its partition count. */
  partitionsOf(topic: string): Promise<number> {
    return this.cluster.partitions(topic);
  }

  /** Unacknowledged bytes (open and in-flight batches). */
  get pendingBytes(): number {
    return this.pending;
  }

  /** Appends a record to `topic`-`partition` (partitionsOf must have been called for the topic). */
  append(topic: string, partition: number, record: RecordInput): void {
    const acc = this.accumulator(topic, partition);
    const before = acc.builder.sizeInBytes;
    if (!acc.builder.tryAppend(record)) {
      this.seal(acc);
      acc.builder.tryAppend(record);
    }
    this.appended(acc, before);
  }

  /** Appends a record with a null key and no headers whose value `fill` writes in place (the benchmarks' path). */
  appendValue(topic: string, partition: number, valueLength: number, fill: (buffer: Buffer, at: number) => void): void {
    const acc = this.accumulator(topic, partition);
    const before = acc.builder.sizeInBytes;
    if (!acc.builder.tryAppendValue(valueLength, fill)) {
      this.seal(acc);
      acc.builder.tryAppendValue(valueLength, fill);
    }
    this.appended(acc, before);
  }

  private appended(acc: Accumulator, before: number): void {
    if (this.error) throw this.error;
    if (acc.builder.recordCount === 1) acc.openedAt = Date.now();
    this.pending += acc.builder.sizeInBytes - (acc.builder.recordCount === 1 ? 0 : before);
    acc.appended++;
    this.schedule();
  }

  private accumulator(topic: string, partition: number): Accumulator {
    const key = `${topic}\u0000${partition}`;
    let acc = this.accumulators.get(key);
    if (!acc) {
      if (this.closed) throw new Error("producer is closed");
      acc = { topic, partition, builder: new RecordBatchBuilder(this.options.batchBytes), appended: 0, openedAt: 0, ready: [], node: this.cluster.leaderOf(topic, partition) };
      this.accumulators.set(key, acc);
    }
    return acc;
  }

  /** Closes the open batch of a partition and queues it for sending. */
  private seal(acc: Accumulator): void {
    const count = acc.builder.recordCount;
    if (count === 0) return;
    acc.ready.push({ topic: acc.topic, partition: acc.partition, bytes: acc.builder.build(), recordCount: count, firstRecord: acc.appended - count });
    acc.builder.reset();
  }

  /** Sends on the next turn of the event loop, so a burst of appends fills batches first. */
  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      this.drain(false);
    });
  }

  /** Sends ready batches while brokers have request slots; `all` seals open batches regardless of linger. */
  private drain(all: boolean): void {
    if (this.error) return;
    const now = Date.now();
    let lingering = Infinity;
    for (const acc of this.accumulators.values()) {
      if (acc.builder.recordCount === 0) continue;
      const due = acc.openedAt + this.options.lingerMs;
      if (all || due <= now) this.seal(acc);
      else lingering = Math.min(lingering, due);
    }
    const byNode = new Map<number, Accumulator[]>();
    for (const acc of this.accumulators.values()) if (acc.ready.length) byNode.set(acc.node, [...(byNode.get(acc.node) ?? []), acc]);
    for (const [node, accs] of byNode) {
      const connection = this.open.get(node);
      if (!connection || connection.closed) {
        this.connect(node);
        continue;
      }
      while ((this.inFlight.get(node) ?? 0) < this.options.maxInFlight) {
        // Kafka's rule: one batch per partition per request; every partition of this broker that has one rides along.
        const batches = accs.filter((a) => a.ready.length).map((a) => a.ready.shift()!);
        if (batches.length === 0) break;
        void this.sendRequest(node, connection, batches);
      }
    }
    if (this.lingerTimer) clearTimeout(this.lingerTimer);
    this.lingerTimer = Number.isFinite(lingering) ? setTimeout(() => this.drain(false), Math.max(0, lingering - now)) : null;
  }

  /** Opens the connection to a broker once, then drains again. */
  private connect(node: number): void {
    if (this.opening.has(node)) return;
    this.opening.add(node);
    this.cluster.connection(node).then(
      (c) => {
        this.opening.delete(node);
        this.open.set(node, c);
        this.drain(false);
      },
      (error: Error) => {
        this.opening.delete(node);
        this.error ??= error;
        this.wake();
      },
    );
  }

  /** Writes one Produce request now (synchronously) and handles its response when it comes. */
  private async sendRequest(node: number, connection: KafkaConnection, batches: Sealed[]): Promise<void> {
    this.inFlight.set(node, (this.inFlight.get(node) ?? 0) + 1);
    try {
      const version = connection.version(API.Produce, 3, 7);
      const byTopic = new Map<string, Sealed[]>();
      for (const b of batches) byTopic.set(b.topic, [...(byTopic.get(b.topic) ?? []), b]);
      const request: ProduceRequest = {
        transactionalId: null, acks: this.options.acks, timeoutMs: this.options.requestTimeoutMs ?? 30_000,
        topics: [...byTopic].map(([name, list]) => ({ name, partitions: list.map((b) => ({ partitionIndex: b.partition, records: b.bytes })) })),
      };
      const response = await connection.send(
        API.Produce, version,
        (correlationId) => produceRequestFrame((w) => connection.writeHeader(w, API.Produce, version, correlationId), request),
        (r) => readProduceResponse(r, version),
        this.options.acks !== 0,
      );
      for (const b of batches) {
        const result = response?.topics.find((t) => t.name === b.topic)?.partitions.find((p) => p.partitionIndex === b.partition);
        if (response && !result) throw new Error(`produce response has no result for ${b.topic}-${b.partition}`);
        if (result && result.errorCode !== ERROR.NONE) throw new KafkaError(result.errorCode, `producing to ${b.topic}-${b.partition}`);
        this.pending -= b.bytes.length;
        this.onAck?.({ topic: b.topic, partition: b.partition, baseOffset: result?.baseOffset ?? -1, recordCount: b.recordCount, firstRecord: b.firstRecord, bytes: b.bytes.length });
      }
    } catch (error) {
      this.error ??= error as Error;
    } finally {
      this.inFlight.set(node, this.inFlight.get(node)! - 1);
      this.wake();
      if (!this.error) this.drain(false);
    }
  }

  /** Wakes flush() and whenBelowLimit() callers so they can check again. */
  private wake(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w();
  }

  private waitForChange(): Promise<void> {
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  /** Resolves once unacknowledged bytes are below bufferBytes (back-pressure for a producing loop). */
  async whenBelowLimit(): Promise<void> {
    while (this.pending >= this.options.bufferBytes) {
      if (this.error) throw this.error;
      await this.waitForChange();
    }
    if (this.error) throw this.error;
  }

  /** Sends everything appended and resolves when all of it is acknowledged; rejects with the first error. */
  async flush(): Promise<void> {
    for (;;) {
      if (this.error) throw this.error;
      this.drain(true);
      const busy = this.opening.size > 0 || [...this.inFlight.values()].some((n) => n > 0) || [...this.accumulators.values()].some((a) => a.ready.length || a.builder.recordCount);
      if (!busy) return;
      await this.waitForChange();
    }
  }

  /** Flushes, then closes the connections. */
  async close(): Promise<void> {
    try {
      if (!this.error) await this.flush();
    } finally {
      this.closed = true;
      if (this.lingerTimer) clearTimeout(this.lingerTimer);
      this.cluster.close();
    }
  }
}
