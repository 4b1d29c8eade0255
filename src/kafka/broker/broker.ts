// The workbook's Kafka-compatible broker: one process, one node (id 0), every partition's leader, its own
// group coordinator. Any Kafka client (kcat, kafkajs, ...) can produce to it and consume from it.
//
//   client --TCP--> Connection (connection.ts): frames, limits, timeouts, one request at a time
//                     -> dispatch (handlers/): ApiVersions, Metadata, Produce, ListOffsets, Fetch, groups
//                          -> LogManager (log/): <topic>-<partition>/ segments of RecordBatch v2
//                     <- ResponseSender (response-sender.ts): write(2) the header, sendfile(2) the records
//
// Listens on 127.0.0.1 unless told otherwise. Bad clients cannot stall or bloat it: request memory is a
// shared, bounded pool; connections are bounded (the least recently active one makes room); idle
// connections, half-sent frames and readers that stopped reading are timed out; and waiting for a slow
// reader never occupies one of libuv's thread pool threads (fsync for acks=-1 runs there).
import * as net from "net";
import { BrokerConfig, resolveBrokerConfig } from "./broker-config";
import { RequestMemoryPool } from "./request-memory";
import { Connection, ConnectionHost } from "./connection";
import { SendCounters, emptySendCounters, servingUnavailable } from "./response-sender";
import { GroupCoordinator } from "./group-coordinator";
import { OffsetStore } from "./offset-store";
import { BrokerContext, BrokerCounters } from "./request";
import { dispatch } from "./handlers";
import { LogManager, RecoveryReport } from "../log/log-manager";

/** A running broker. */
export interface Broker {
  host: string;
  port: number;
  dataDir: string;
  recovery: RecoveryReport;
  logs: LogManager;
  coordinator: GroupCoordinator;
  stats(): BrokerStats;
  /** Stops accepting, closes every connection, flushes and closes the logs cleanly. */
  close(): Promise<void>;
}

/** Counters and state for tests, the CLI and the experiments. */
export interface BrokerStats extends BrokerCounters {
  serving: BrokerConfig["serving"];
  connections: number;
  requestMemoryReserved: number;
  /** Request bytes connections hold outside the pool (socket reads not yet framed, small frames). */
  requestBytesUnpooled: number;
  send: SendCounters;
  partitions: Array<{ topic: string; partition: number; logStartOffset: number; logEndOffset: number; sizeInBytes: number; segments: string[] }>;
  /** process.resourceUsage() of the broker's process, microseconds and KiB. */
  process: { pid: number; userMicros: number; systemMicros: number; maxRssKiB: number };
}

/** Log lines: at most this many per second, then one line saying how many were dropped. */
const LOG_LINES_PER_SECOND = 20;

/** Opens (and if needed recovers) the data folder and starts listening. Rejects with a one-line error. */
export async function startBroker(options: Partial<BrokerConfig> & { dataDir: string }): Promise<Broker> {
  const config = resolveBrokerConfig(options);
  const unavailable = servingUnavailable(config.serving);
  if (unavailable) throw new Error(unavailable);
  const log = rateLimited(config.log);
  const logs = LogManager.open({ dataDir: config.dataDir, segmentBytes: config.segmentBytes, indexIntervalBytes: config.indexIntervalBytes, checkpointIntervalMs: config.checkpointIntervalMs });
  let server: net.Server | null = null;
  try {
    const coordinator = new GroupCoordinator({
      minSessionTimeoutMs: config.groupMinSessionTimeoutMs, maxSessionTimeoutMs: config.groupMaxSessionTimeoutMs,
      initialRebalanceDelayMs: config.groupInitialRebalanceDelayMs, log,
    });
    const offsets = OffsetStore.load(logs);
    const counters: BrokerCounters = {
      requests: {}, errors: {}, connectionsAccepted: 0, connectionsClosed: 0, connectionsEvicted: 0, connectionsTimedOut: 0,
      bytesReceived: 0, batchesAppended: 0, recordsAppended: 0, bytesAppended: 0,
    };
    const context: BrokerContext = { config, logs, coordinator, offsets, counters, advertised: { host: config.advertisedHost ?? config.host, port: config.port }, log };
    const connections = new Set<Connection>();
    const sendCounters = emptySendCounters();
    const host: ConnectionHost = {
      config,
      memory: new RequestMemoryPool(config.requestMemoryBytes),
      sendCounters,
      handle: (frame, connection) => {
        counters.bytesReceived += frame.length + 4;
        return dispatch(frame, connection, context);
      },
      onClosed: (connection, reason, kind) => {
        connections.delete(connection);
        counters.connectionsClosed++;
        if (kind === "timeout") counters.connectionsTimedOut++;
        if (reason) log(`connection ${connection.id} from ${connection.remote} closed: ${reason}`);
      },
    };
    let nextId = 1;
    server = net.createServer((socket) => {
      counters.connectionsAccepted++;
      if (connections.size >= config.maxConnections) evictLeastRecentlyActive(connections, counters);
      connections.add(new Connection(nextId++, socket, host));
    });
    await listen(server, config.port, config.host);
    server.on("error", (error) => log(`listener error: ${error.message}`));
    const port = (server.address() as net.AddressInfo).port;
    context.advertised.port = port;
    const sweep = setInterval(() => sweepConnections(connections, config), sweepIntervalMs(config));
    sweep.unref();
    let closing: Promise<void> | null = null;
    const running = server;
    return {
      host: config.host,
      port,
      dataDir: config.dataDir,
      recovery: logs.recovery,
      logs,
      coordinator,
      stats: () => ({
        ...counters,
        requests: { ...counters.requests },
        errors: { ...counters.errors },
        serving: config.serving,
        connections: connections.size,
        requestMemoryReserved: host.memory.reserved,
        requestBytesUnpooled: [...connections].reduce((sum, c) => sum + c.unpooledBytes, 0),
        send: { ...sendCounters },
        partitions: logs.allLogs().map((l) => ({ topic: l.topic, partition: l.partition, logStartOffset: l.logStartOffset, logEndOffset: l.logEndOffset, sizeInBytes: l.sizeInBytes, segments: l.segments.map((s) => s.logFile) })),
        process: processUsage(),
      }),
      close: () =>
        (closing ??= (async () => {
          clearInterval(sweep);
          await new Promise<void>((resolve) => {
            running.close(() => resolve());
            for (const c of [...connections]) c.close(null, "broker");
          });
          coordinator.close();
          await logs.close();
        })()),
    };
  } catch (error) {
    server?.close();
    logs.abandon();
    throw error;
  }
}

/** Listens, turning EADDRINUSE and friends into one-line errors. */
function listen(server: net.Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const fail = (error: NodeJS.ErrnoException) => {
      const why =
        error.code === "EADDRINUSE" ? `port ${port} on ${host} is already in use; stop the other server or pick another --port`
        : error.code === "EACCES" ? `not allowed to listen on ${host}:${port} (ports below 1024 need privileges)`
        : error.code === "EADDRNOTAVAIL" ? `${host} is not an address of this machine`
        : `cannot listen on ${host}:${port}: ${error.message}`;
      reject(new Error(why));
    };
    server.once("error", fail);
    server.listen(port, host, () => {
      server.off("error", fail);
      resolve();
    });
  });
}

/** How often timeouts are checked: a quarter of the shortest, between 50 ms and 1 s. */
function sweepIntervalMs(config: BrokerConfig): number {
  return Math.max(50, Math.min(1000, Math.min(config.idleTimeoutMs, config.requestReadTimeoutMs) / 4));
}

/** Closes connections that are idle too long or stuck in the middle of a request frame. */
function sweepConnections(connections: Set<Connection>, config: BrokerConfig): void {
  const now = Date.now();
  for (const c of [...connections]) {
    if (c.frameStartedAt !== null && now - c.frameStartedAt > config.requestReadTimeoutMs) {
      c.close(`request frame still incomplete ${now - c.frameStartedAt} ms after the broker started reading it (requestReadTimeoutMs ${config.requestReadTimeoutMs})`, "timeout");
    } else if (c.idle && now - c.lastActivity > config.idleTimeoutMs) {
      c.close(`idle for ${now - c.lastActivity} ms (idleTimeoutMs ${config.idleTimeoutMs})`, "timeout");
    }
  }
}

/** At the connection limit: the connection that has been quiet longest makes room (Kafka does this on its inter-broker listener). */
function evictLeastRecentlyActive(connections: Set<Connection>, counters: BrokerCounters): void {
  let oldest: Connection | null = null;
  for (const c of connections) if (!oldest || c.lastActivity < oldest.lastActivity) oldest = c;
  if (!oldest) return;
  counters.connectionsEvicted++;
  oldest.close(`evicted to stay within maxConnections (least recently active for ${Date.now() - oldest.lastActivity} ms)`, "broker");
}

/** This process's CPU time and peak memory (all threads). */
function processUsage(): BrokerStats["process"] {
  const usage = process.resourceUsage();
  return { pid: process.pid, userMicros: usage.userCPUTime, systemMicros: usage.systemCPUTime, maxRssKiB: usage.maxRSS };
}

/** Wraps a log function so a flood of bad requests cannot flood the log. */
function rateLimited(log: (line: string) => void): (line: string) => void {
  let windowStart = 0;
  let lines = 0;
  let dropped = 0;
  return (line) => {
    const now = Date.now();
    if (now - windowStart >= 1000) {
      if (dropped > 0) log(`(${dropped} log lines dropped in the last second)`);
      windowStart = now;
      lines = 0;
      dropped = 0;
    }
    if (++lines <= LOG_LINES_PER_SECOND) log(line);
    else dropped++;
  };
}
