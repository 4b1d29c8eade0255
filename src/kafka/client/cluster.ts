// What a client knows about a cluster: the brokers and which one leads each partition (from Metadata),
// and one connection per broker (plus extra ones on request, e.g. a consumer's own fetch connection).
// Works against this workbook's broker and against any Kafka-compatible cluster. Not thread-safe.
import { API } from "../protocol/api-keys";
import { ERROR, KafkaError } from "../protocol/error-codes";
import { readMetadataResponse, writeMetadataRequest, MetadataResponse } from "../protocol/messages/metadata";
import { KafkaConnection, ConnectionOptions, parseHostPort } from "./kafka-connection";

export class KafkaCluster {
  /** One connection per broker; the promise is stored at once so concurrent callers share one connection (and its ordering). */
  private readonly connections = new Map<number, Promise<KafkaConnection>>();
  private readonly extra = new Set<KafkaConnection>();
  private metadataCache: MetadataResponse | null = null;

  private constructor(
    private readonly bootstrap: KafkaConnection,
    readonly options: Partial<ConnectionOptions>,
  ) {}

  /** Connects to the bootstrap broker ("host:port"). */
  static async connect(bootstrap: string, options: Partial<ConnectionOptions> = {}): Promise<KafkaCluster> {
    const { host, port } = parseHostPort(bootstrap);
    return new KafkaCluster(await KafkaConnection.connect(host, port, options), options);
  }

  /** Metadata for `topics` (null = all), creating missing topics if the broker allows it. */
  async metadata(topics: string[] | null, allowAutoTopicCreation = true): Promise<MetadataResponse> {
    const version = this.bootstrap.version(API.Metadata, 1, 8);
    const m = await this.bootstrap.request(API.Metadata, version, (w) => writeMetadataRequest(w, version, { topics, allowAutoTopicCreation }), (r) => readMetadataResponse(r, version));
    this.metadataCache = m;
    return m;
  }

  /** The partition count of a topic, waiting while a just-created topic has no leaders yet. */
  async partitions(topic: string, create = true): Promise<number> {
    for (let attempt = 0; ; attempt++) {
      const m = await this.metadata([topic], create);
      const t = m.topics.find((x) => x.name === topic);
      const ready = t && t.errorCode === ERROR.NONE && t.partitions.length > 0 && t.partitions.every((p) => p.leaderId >= 0);
      if (ready) return t.partitions.length;
      const retriable = !t || t.errorCode === ERROR.NONE || t.errorCode === 5 /* LEADER_NOT_AVAILABLE */ || t.errorCode === ERROR.UNKNOWN_TOPIC_OR_PARTITION;
      if (!retriable || attempt >= 50) throw new KafkaError(t?.errorCode ?? ERROR.UNKNOWN_TOPIC_OR_PARTITION, `topic ${topic} is not available`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  /** The node id leading a partition (from the last metadata). */
  leaderOf(topic: string, partition: number): number {
    const p = this.metadataCache?.topics.find((t) => t.name === topic)?.partitions.find((x) => x.partitionIndex === partition);
    if (!p || p.leaderId < 0) throw new Error(`no leader known for ${topic}-${partition}; ask for metadata first`);
    return p.leaderId;
  }

  /** The shared connection to a broker, opened on first use. */
  async connection(nodeId: number): Promise<KafkaConnection> {
    const existing = this.connections.get(nodeId);
    if (existing) {
      const c = await existing;
      if (!c.closed) return c;
    }
    const opening = this.open(nodeId);
    this.connections.set(nodeId, opening);
    opening.catch(() => this.connections.get(nodeId) === opening && this.connections.delete(nodeId));
    return opening;
  }

  /** A new connection of its own to a broker (the caller closes it, or close() does). */
  async open(nodeId: number): Promise<KafkaConnection> {
    const broker = (this.metadataCache ?? (await this.metadata(null))).brokers.find((b) => b.nodeId === nodeId);
    if (!broker) throw new Error(`broker ${nodeId} is not in the cluster's metadata`);
    const connection = await KafkaConnection.connect(broker.host, broker.port, this.options);
    this.extra.add(connection);
    return connection;
  }

  /** The bootstrap connection (any broker answers Metadata and FindCoordinator). */
  get any(): KafkaConnection {
    return this.bootstrap;
  }

  close(): void {
    this.bootstrap.close();
    for (const c of this.connections.values()) void c.then((x) => x.close(), () => undefined);
    for (const c of this.extra) c.close();
  }
}
