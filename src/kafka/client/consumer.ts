// The workbook's consumer: assigned partitions (no group: like kcat -C, or a group member's assignment),
// one Fetch per leader per round on a connection of its own, every batch checked (magic, CRC32C with the
// native implementation, offsets contiguous) before it is handed out. Large fetches are read from the
// socket straight into one buffer (kafka-connection.ts), and batches are handed out as views into it.
import { API } from "../protocol/api-keys";
import { ERROR, KafkaError } from "../protocol/error-codes";
import { readFetchResponse, writeFetchRequest, FetchRequest } from "../protocol/messages/fetch";
import { readListOffsetsResponse, writeListOffsetsRequest, LATEST_TIMESTAMP, EARLIEST_TIMESTAMP } from "../protocol/messages/list-offsets";
import { readRecordSet, BatchView } from "../records/record-set";
import { KafkaCluster } from "./cluster";
import type { KafkaConnection, ConnectionOptions } from "./kafka-connection";
import { MiB } from "../../units/sizes";

export interface ConsumerOptions extends Partial<ConnectionOptions> {
  /** Kafka: fetch.max.wait.ms (500). */
  maxWaitMs: number;
  /** Kafka: fetch.min.bytes (1). */
  minBytes: number;
  /** Kafka: fetch.max.bytes (50 MiB): one response's limit. */
  maxBytes: number;
  /** Kafka: max.partition.fetch.bytes (1 MiB). */
  partitionMaxBytes: number;
  /** 0 READ_UNCOMMITTED, 1 READ_COMMITTED. */
  isolationLevel: 0 | 1;
  /** Check every batch's CRC32C (Kafka: check.crcs, default true in the Java client). */
  checkCrcs: boolean;
}

export const CONSUMER_DEFAULTS: ConsumerOptions = { maxWaitMs: 500, minBytes: 1, maxBytes: 50 * MiB, partitionMaxBytes: MiB, isolationLevel: 0, checkCrcs: true };

/** Where a partition is read from: an offset, or the log's start or end. */
export type StartOffset = number | "earliest" | "latest";

/** The checked batches one fetch brought for one partition, as views into `bytes`. */
export interface FetchedPartition {
  topic: string;
  partition: number;
  highWatermark: number;
  bytes: Buffer;
  batches: BatchView[];
}

interface Position {
  topic: string;
  partition: number;
  offset: number;
  node: number;
}

export class KafkaConsumer {
  private readonly positions = new Map<string, Position>();
  private readonly fetchConnections = new Map<number, KafkaConnection>();
  /** Bytes of fetch responses read from sockets. */
  bytesFetched = 0;
  fetches = 0;

  private constructor(
    readonly cluster: KafkaCluster,
    readonly options: ConsumerOptions,
  ) {}

  static async connect(bootstrap: string, options: Partial<ConsumerOptions> = {}): Promise<KafkaConsumer> {
    const o = { ...CONSUMER_DEFAULTS, ...options };
    return new KafkaConsumer(await KafkaCluster.connect(bootstrap, o), o);
  }

  /** Reads these partitions from now on (replacing any earlier assignment); resolves "earliest"/"latest" with ListOffsets. */
  async assign(partitions: Array<{ topic: string; partition: number; offset: StartOffset }>): Promise<void> {
    this.positions.clear();
    const topics = [...new Set(partitions.map((p) => p.topic))];
    await this.cluster.metadata(topics, false);
    for (const p of partitions) {
      const node = this.cluster.leaderOf(p.topic, p.partition);
      const offset = typeof p.offset === "number" ? p.offset : await this.listOffset(node, p.topic, p.partition, p.offset === "earliest" ? EARLIEST_TIMESTAMP : LATEST_TIMESTAMP);
      this.positions.set(`${p.topic}\u0000${p.partition}`, { topic: p.topic, partition: p.partition, offset, node });
    }
    // Open the fetch connections now, so the first fetch does not pay for connecting.
    for (const node of new Set([...this.positions.values()].map((p) => p.node))) await this.fetchConnection(node);
  }

  /** The connection this consumer fetches from a broker on (its own, not the cluster's shared one). */
  private async fetchConnection(node: number): Promise<KafkaConnection> {
    let connection = this.fetchConnections.get(node);
    if (!connection || connection.closed) {
      connection = await this.cluster.open(node);
      this.fetchConnections.set(node, connection);
    }
    return connection;
  }

  /** The next offset this consumer will fetch from a partition. */
  position(topic: string, partition: number): number {
    const p = this.positions.get(`${topic}\u0000${partition}`);
    if (!p) throw new Error(`${topic}-${partition} is not assigned`);
    return p.offset;
  }

  /** The log end offset of a partition (ListOffsets -1). */
  async endOffset(topic: string, partition: number): Promise<number> {
    await this.cluster.metadata([topic], false);
    return this.listOffset(this.cluster.leaderOf(topic, partition), topic, partition, LATEST_TIMESTAMP);
  }

  private async listOffset(node: number, topic: string, partition: number, timestamp: number): Promise<number> {
    const connection = await this.cluster.connection(node);
    const version = connection.version(API.ListOffsets, 1, 5);
    const r = await connection.request(
      API.ListOffsets, version,
      (w) => writeListOffsetsRequest(w, version, { replicaId: -1, isolationLevel: this.options.isolationLevel, topics: [{ name: topic, partitions: [{ partitionIndex: partition, currentLeaderEpoch: -1, timestamp }] }] }),
      (r) => readListOffsetsResponse(r, version),
    );
    const p = r.topics[0]?.partitions[0];
    if (!p || p.errorCode !== ERROR.NONE) throw new KafkaError(p?.errorCode ?? ERROR.UNKNOWN_TOPIC_OR_PARTITION, `ListOffsets for ${topic}-${partition}`);
    return p.offset;
  }

  /** One fetch round: a Fetch to every leader of an assigned partition (in parallel); checked batches out. */
  async fetch(): Promise<FetchedPartition[]> {
    const byNode = new Map<number, Position[]>();
    for (const p of this.positions.values()) byNode.set(p.node, [...(byNode.get(p.node) ?? []), p]);
    const results = await Promise.all([...byNode].map(([node, positions]) => this.fetchFrom(node, positions)));
    return results.flat();
  }

  private async fetchFrom(node: number, positions: Position[]): Promise<FetchedPartition[]> {
    const connection = await this.fetchConnection(node);
    const version = connection.version(API.Fetch, 4, 11);
    const byTopic = new Map<string, Position[]>();
    for (const p of positions) byTopic.set(p.topic, [...(byTopic.get(p.topic) ?? []), p]);
    const request: FetchRequest = {
      replicaId: -1, maxWaitMs: this.options.maxWaitMs, minBytes: this.options.minBytes, maxBytes: this.options.maxBytes,
      isolationLevel: this.options.isolationLevel, sessionId: 0, sessionEpoch: -1, forgottenTopics: [], rackId: "",
      topics: [...byTopic].map(([name, list]) => ({
        name,
        partitions: list.map((p) => ({ partition: p.partition, currentLeaderEpoch: -1, fetchOffset: p.offset, logStartOffset: -1, partitionMaxBytes: this.options.partitionMaxBytes })),
      })),
    };
    const before = connection.bytesReceived;
    const response = await connection.request(API.Fetch, version, (w) => writeFetchRequest(w, version, request), (r) => readFetchResponse(r, version));
    this.bytesFetched += connection.bytesReceived - before;
    this.fetches++;
    if (response.errorCode !== ERROR.NONE) throw new KafkaError(response.errorCode, "Fetch");
    const out: FetchedPartition[] = [];
    for (const t of response.topics) {
      for (const p of t.partitions) {
        const position = this.positions.get(`${t.name}\u0000${p.partitionIndex}`);
        if (!position) continue;
        if (p.errorCode !== ERROR.NONE) throw new KafkaError(p.errorCode, `fetching ${t.name}-${p.partitionIndex} at offset ${position.offset}`);
        const records = p.records ?? Buffer.alloc(0);
        const set = readRecordSet(records, 0, records.length, position.offset, this.options.checkCrcs);
        position.offset = set.nextOffset;
        out.push({ topic: t.name, partition: p.partitionIndex, highWatermark: p.highWatermark, bytes: records, batches: set.batches });
      }
    }
    return out;
  }

  close(): void {
    for (const c of this.fetchConnections.values()) c.close();
    this.cluster.close();
  }
}

