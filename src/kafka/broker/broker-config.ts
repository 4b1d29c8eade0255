// Everything a broker can be told, with Kafka's names beside ours and Kafka's defaults where they fit a
// single teaching broker. startBroker() validates a config with resolveBrokerConfig(); the CLI and tests
// pass only what they change.
import type { ServingMode } from "./response-sender";
import { KiB, MiB, GiB } from "../../units/sizes";

export interface BrokerConfig {
  /** Data folder (Kafka: log.dirs). */
  dataDir: string;
  /** Address to listen on; 127.0.0.1 unless the user asks otherwise (Kafka: listeners). */
  host: string;
  /** TCP port; 0 picks a free one (Kafka's default is 9092). */
  port: number;
  /** Host clients are told to connect to in Metadata/FindCoordinator (Kafka: advertised.listeners); defaults to host. */
  advertisedHost: string | null;
  /** How fetched records leave the page cache. */
  serving: ServingMode;
  /** Partitions of an auto-created topic (Kafka: num.partitions, default 1). */
  defaultPartitions: number;
  /** Create topics a client asks Metadata about (Kafka: auto.create.topics.enable, default true). */
  autoCreateTopics: boolean;
  /** Kafka: log.segment.bytes (1 GiB). */
  segmentBytes: number;
  /** Kafka: index.interval.bytes (4096). */
  indexIntervalBytes: number;
  /** Largest record batch accepted (Kafka: message.max.bytes, 1048588). */
  maxMessageBytes: number;
  /** Largest request frame (Kafka: socket.request.max.bytes, 100 MiB; smaller here: one broker, bounded memory). */
  maxRequestBytes: number;
  /** Bytes of request frames buffered across all connections (Kafka: queued.max.request.bytes). */
  requestMemoryBytes: number;
  /** Open connections at most; a new one beyond it closes the least recently active (Kafka: max.connections). */
  maxConnections: number;
  /** Close a connection with no request for this long (Kafka: connections.max.idle.ms, 10 min). */
  idleTimeoutMs: number;
  /** Close a connection whose request frame is still incomplete this long after the broker began reading it (waits for request memory included). */
  requestReadTimeoutMs: number;
  /** Close a connection whose reader took no response bytes for this long. */
  responseStallTimeoutMs: number;
  /** Bytes per pread+write step when serving read-write (the C control loop in src/native uses 64 KiB too). */
  readWriteChunkBytes: number;
  /** Kafka: log.flush.offset.checkpoint.interval.ms (60 s). */
  checkpointIntervalMs: number;
  /** Group coordinator: Kafka's group.min.session.timeout.ms (6 s) and group.max.session.timeout.ms (30 min). */
  groupMinSessionTimeoutMs: number;
  groupMaxSessionTimeoutMs: number;
  /** Wait for more members before the first rebalance of an empty group (Kafka: group.initial.rebalance.delay.ms; 0 as in its shipped server.properties). */
  groupInitialRebalanceDelayMs: number;
  /** Where the broker's log lines go (one line each, rate-limited). */
  log: (line: string) => void;
}

/** The defaults; every field but dataDir. */
export const BROKER_DEFAULTS: Omit<BrokerConfig, "dataDir"> = {
  host: "127.0.0.1",
  port: 9092,
  advertisedHost: null,
  serving: "sendfile",
  defaultPartitions: 1,
  autoCreateTopics: true,
  segmentBytes: 1 << 30,
  indexIntervalBytes: 4096,
  maxMessageBytes: 1048588,
  maxRequestBytes: 16 * MiB,
  requestMemoryBytes: 128 * MiB,
  maxConnections: 1024,
  idleTimeoutMs: 600_000,
  requestReadTimeoutMs: 10_000,
  responseStallTimeoutMs: 30_000,
  readWriteChunkBytes: 64 * KiB,
  checkpointIntervalMs: 60_000,
  groupMinSessionTimeoutMs: 6_000,
  groupMaxSessionTimeoutMs: 1_800_000,
  groupInitialRebalanceDelayMs: 0,
  log: (line) => process.stderr.write(line + "\n"),
};

/** Fills in defaults and checks every field, naming the bad one. */
export function resolveBrokerConfig(config: Partial<BrokerConfig> & { dataDir: string }): BrokerConfig {
  const c = { ...BROKER_DEFAULTS, ...Object.fromEntries(Object.entries(config).filter(([, v]) => v !== undefined)) } as BrokerConfig;
  if (typeof c.dataDir !== "string" || c.dataDir.length === 0) throw new TypeError("dataDir must be a folder path");
  const whole = (name: keyof BrokerConfig, min: number, max: number) => {
    const v = c[name] as number;
    if (!Number.isSafeInteger(v) || v < min || v > max) throw new RangeError(`${name} must be a whole number from ${min} to ${max}, got ${v}`);
  };
  whole("port", 0, 65535);
  whole("defaultPartitions", 1, 10_000);
  whole("segmentBytes", 64 * KiB, 0x7fffffff);
  whole("indexIntervalBytes", 1, 1 << 30);
  whole("maxMessageBytes", 1024, 1 << 30);
  whole("maxRequestBytes", 1024, 1 << 30);
  whole("requestMemoryBytes", c.maxRequestBytes, 16 * GiB);
  whole("maxConnections", 1, 1_000_000);
  for (const name of ["idleTimeoutMs", "requestReadTimeoutMs", "responseStallTimeoutMs", "checkpointIntervalMs"] as const) whole(name, 10, 86_400_000);
  whole("readWriteChunkBytes", 4096, 64 * MiB);
  whole("groupMinSessionTimeoutMs", 1, 86_400_000);
  whole("groupMaxSessionTimeoutMs", c.groupMinSessionTimeoutMs, 86_400_000);
  whole("groupInitialRebalanceDelayMs", 0, 600_000);
  if (c.serving !== "sendfile" && c.serving !== "read-write") throw new TypeError(`serving must be "sendfile" or "read-write", got ${JSON.stringify(c.serving)}`);
  if (c.maxMessageBytes > c.maxRequestBytes) throw new RangeError(`maxMessageBytes (${c.maxMessageBytes}) must not exceed maxRequestBytes (${c.maxRequestBytes})`);
  return c;
}
