// The broker: a TCP server on 127.0.0.1 that appends produced batches to the log and serves fetches from it.
// One request at a time per connection, in order; every bad request gets an error response, never a crash.
import * as net from "net";
import { Log, LogConfig, RecoveryReport } from "./log";
import { checkBatch, BatchFormatError, BATCH_HEADER_BYTES } from "./record-batch";
import {
  API, ERROR, ACKS, FrameReader, REQUEST_HEADER_BYTES, encodeErrorResponse, encodeResponseHeader, decodeFetchRequest, errorName,
} from "./protocol";
import { FetchServer, ServingMode, ServingCounters, fetchServer, fetchResponseHead, servingUnavailable, writeAndDrain } from "./fetch-server";
import { KiB } from "../units/sizes";

/** Everything a broker needs to start. */
export interface BrokerConfig {
  log: LogConfig;
  serving: ServingMode;
  /** Largest batch a producer may send (Kafka: message.max.bytes, default ~1 MiB). */
  maxBatchBytes: number;
  /** TCP port on 127.0.0.1; 0 picks a free one. */
  port?: number;
}

/** A running broker. */
export interface Broker {
  port: number;
  log: Log;
  recovery: RecoveryReport;
  stats(): BrokerStats;
  close(): Promise<void>;
}

/** Counters a broker reports in STATS. */
export interface BrokerStats extends ServingCounters {
  serving: ServingMode;
  connections: number;
  produceRequests: number;
  fetchRequests: number;
  errors: Record<string, number>;
  logStartOffset: number;
  logEndOffset: number;
  logBytes: number;
  segmentPaths: string[];
  log: Log["stats"];
  /** getrusage(RUSAGE_SELF) via process.resourceUsage(): CPU of all the broker's threads, in microseconds. */
  cpu: { userMicros: number; systemMicros: number };
}

/** A request turned into an error response: its code and a message saying what was wrong. */
class RequestError extends Error {
  constructor(
    readonly code: number,
    message: string,
  ) {
    super(message);
  }
}

/** Frames smaller than apiKey + correlationId cannot be requests. */
const MIN_FRAME_SIZE = REQUEST_HEADER_BYTES - 4;

/** Opens the log (recovering it if needed) and starts listening; the broker process and in-process tests call it. */
export async function startBroker(config: BrokerConfig): Promise<Broker> {
  const unavailable = servingUnavailable(config.serving);
  if (unavailable) throw new Error(unavailable);
  const log = Log.open(config.log);
  const serve = fetchServer(config.serving);
  const counters: BrokerStats = {
    serving: config.serving, connections: 0, produceRequests: 0, fetchRequests: 0, errors: {},
    fetchResponses: 0, bytesServed: 0, responsesInFlight: 0, fileReads: 0, socketWrites: 0, sendfileTransfers: 0, sendfileCalls: 0, sendfilePolls: 0,
    logStartOffset: 0, logEndOffset: 0, logBytes: 0, segmentPaths: [], log: log.stats, cpu: { userMicros: 0, systemMicros: 0 },
  };
  const stats = (): BrokerStats => ({
    ...counters, errors: { ...counters.errors }, logStartOffset: log.logStartOffset, logEndOffset: log.logEndOffset,
    logBytes: log.sizeBytes, segmentPaths: log.segmentPaths, log: { ...log.stats }, cpu: cpuMicros(),
  });
  const sockets = new Set<net.Socket>();
  const inFlight = new Set<Promise<void>>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    counters.connections++;
    // Kafka's acceptor sets TCP_NODELAY too. Without it, the small response header followed by sendfile's
    // bytes trips Nagle + delayed ACK: the last partial segment waits ~40 ms for the consumer's ACK.
    socket.setNoDelay(true);
    socket.on("close", () => sockets.delete(socket));
    const done = handleConnection(socket, { log, serve, config, counters, stats });
    inFlight.add(done);
    done.finally(() => inFlight.delete(done));
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(config.port ?? 0, "127.0.0.1", () => resolve());
  });
  const port = (server.address() as net.AddressInfo).port;
  let closing: Promise<void> | null = null;
  const close = () =>
    (closing ??= (async () => {
      server.close();
      for (const socket of sockets) socket.destroy();
      await Promise.allSettled([...inFlight]);
      await log.close();
    })());
  return { port, log, recovery: log.recovery, stats, close };
}

/** What a connection handler needs from its broker. */
interface BrokerContext {
  log: Log;
  serve: FetchServer;
  config: BrokerConfig;
  counters: BrokerStats;
  stats: () => BrokerStats;
}

/** Reads frames from one connection and answers them one at a time; resolves when the connection is gone. */
async function handleConnection(socket: net.Socket, context: BrokerContext): Promise<void> {
  // A produce frame may exceed maxBatchBytes by a little and still be answered in-band with BATCH_TOO_LARGE.
  const reader = new FrameReader(MIN_FRAME_SIZE, context.config.maxBatchBytes + 64 * KiB);
  const queue: Buffer[] = [];
  let wake: (() => void) | null = null;
  let badSize: { size: number; head: Buffer } | null = null;
  let closed = false;
  socket.on("data", (chunk) => {
    for (const event of reader.push(chunk)) {
      if (event.kind === "frame") queue.push(event.frame);
      else badSize = event;
    }
    // Back-pressure: stop reading while requests wait, like Kafka muting a busy channel.
    if (queue.length > 8) socket.pause();
    wake?.();
  });
  socket.on("close", () => {
    closed = true;
    wake?.();
  });
  socket.on("error", () => undefined); // a reset by the peer ends the connection; 'close' follows
  while (!closed) {
    const frame = queue.shift();
    if (frame) {
      if (queue.length <= 8) socket.resume();
      const ok = await answer(socket, frame, context);
      if (!ok) break;
      continue;
    }
    if (badSize) {
      await refuseFrame(socket, badSize, context);
      break;
    }
    await new Promise<void>((resolve) => (wake = resolve));
    wake = null;
  }
  socket.destroy();
}

/** Answers one request frame; returns false if the connection can no longer be used. */
async function answer(socket: net.Socket, frame: Buffer, context: BrokerContext): Promise<boolean> {
  const apiKey = frame.readUInt8(4);
  const correlationId = frame.readUInt32BE(5);
  const body = frame.subarray(REQUEST_HEADER_BYTES);
  try {
    if (apiKey === API.PRODUCE) await produce(socket, correlationId, body, context);
    else if (apiKey === API.FETCH) await fetch(socket, correlationId, body, context);
    else if (apiKey === API.OFFSETS) await offsets(socket, correlationId, body, context);
    else if (apiKey === API.STATS) await stats(socket, correlationId, body, context);
    else throw new RequestError(ERROR.UNKNOWN_API, `unknown apiKey ${apiKey}; known: 0 PRODUCE, 1 FETCH, 2 OFFSETS, 3 STATS`);
    return true;
  } catch (error) {
    if (socket.destroyed) return false;
    if (error instanceof RequestError) {
      count(context, error.code);
      await writeAndDrain(socket, [encodeErrorResponse(correlationId, error.code, error.message)]).catch(() => undefined);
      return true;
    }
    // A failure mid-response (e.g. sendfile broke off) leaves the stream unframed: drop the connection.
    count(context, ERROR.STORAGE_ERROR);
    process.emitWarning(`broker: ${(error as Error).message}`);
    return false;
  }
}

/** PRODUCE: validate the batch, append it, answer after the append or after fsync. */
async function produce(socket: net.Socket, correlationId: number, body: Buffer, context: BrokerContext): Promise<void> {
  context.counters.produceRequests++;
  if (body.length < 1 + BATCH_HEADER_BYTES) throw new RequestError(ERROR.INVALID_REQUEST, `PRODUCE body is ${body.length} bytes; it needs acks u8 + a record batch of at least ${BATCH_HEADER_BYTES} bytes`);
  const acks = body.readUInt8(0);
  if (acks !== ACKS.APPEND && acks !== ACKS.FSYNC) throw new RequestError(ERROR.INVALID_REQUEST, `acks must be 1 (after append) or 2 (after fsync), got ${acks}`);
  const batch = body.subarray(1);
  const max = context.config.maxBatchBytes;
  if (batch.length > max) throw new RequestError(ERROR.BATCH_TOO_LARGE, `batch is ${batch.length} bytes; this broker accepts at most ${max} (maxBatchBytes)`);
  let header;
  try {
    header = checkBatch(batch);
  } catch (error) {
    if (error instanceof BatchFormatError) throw new RequestError(ERROR.CORRUPT_BATCH, error.message);
    throw error;
  }
  if (header.size !== batch.length) throw new RequestError(ERROR.CORRUPT_BATCH, `batchLength says ${header.size} bytes but the request carries ${batch.length}`);
  let baseOffset: number;
  try {
    baseOffset = context.log.append(batch, header.recordCount);
    if (acks === ACKS.FSYNC) await context.log.flush();
  } catch (error) {
    throw new RequestError(ERROR.STORAGE_ERROR, `append failed: ${(error as Error).message}`);
  }
  const response = encodeResponseHeader(correlationId, ERROR.NONE, 8);
  const offset = Buffer.allocUnsafe(8);
  offset.writeBigUInt64BE(BigInt(baseOffset));
  await writeAndDrain(socket, [response, offset]);
}

/** FETCH: find whole batches from the requested offset (waiting at the log end) and serve them. */
async function fetch(socket: net.Socket, correlationId: number, body: Buffer, context: BrokerContext): Promise<void> {
  context.counters.fetchRequests++;
  const request = decodeFetchRequest(body);
  if (typeof request === "string") throw new RequestError(ERROR.INVALID_REQUEST, request);
  if (request.maxBytes < 1) throw new RequestError(ERROR.INVALID_REQUEST, "maxBytes must be at least 1");
  let slice = context.log.slice(request.offset, request.maxBytes);
  if (slice.kind === "empty" && request.maxWaitMs > 0) {
    await waitForAppend(socket, context.log, Math.min(request.maxWaitMs, 30_000));
    slice = context.log.slice(request.offset, request.maxBytes);
  }
  if (slice.kind === "out-of-range") {
    throw new RequestError(ERROR.OFFSET_OUT_OF_RANGE, `offset ${request.offset} is outside the log [${slice.logStartOffset}, ${slice.logEndOffset}]`);
  }
  if (slice.kind === "empty") {
    // Nothing new within maxWaitMs: an empty response with the log end, the same in both serving modes.
    await writeAndDrain(socket, [fetchResponseHead(correlationId, slice.logEndOffset, 0)]);
    context.counters.fetchResponses++;
    return;
  }
  await context.serve(socket, correlationId, slice.logEndOffset, slice, context.counters);
}

/** Resolves at the next append, after `ms`, or when the socket closes: the long poll of a tailing consumer. */
function waitForAppend(socket: net.Socket, log: Log, ms: number): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      stop();
      socket.off("close", done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    const stop = log.onAppend(done);
    socket.once("close", done);
  });
}

/** OFFSETS: the log's first and next offsets. */
async function offsets(socket: net.Socket, correlationId: number, body: Buffer, context: BrokerContext): Promise<void> {
  if (body.length !== 0) throw new RequestError(ERROR.INVALID_REQUEST, `OFFSETS has an empty body, got ${body.length} bytes`);
  const out = Buffer.allocUnsafe(16);
  out.writeBigUInt64BE(BigInt(context.log.logStartOffset), 0);
  out.writeBigUInt64BE(BigInt(context.log.logEndOffset), 8);
  await writeAndDrain(socket, [encodeResponseHeader(correlationId, ERROR.NONE, 16), out]);
}

/** STATS: the broker's counters as JSON. */
async function stats(socket: net.Socket, correlationId: number, body: Buffer, context: BrokerContext): Promise<void> {
  if (body.length !== 0) throw new RequestError(ERROR.INVALID_REQUEST, `STATS has an empty body, got ${body.length} bytes`);
  const json = Buffer.from(JSON.stringify(context.stats()), "utf8");
  await writeAndDrain(socket, [encodeResponseHeader(correlationId, ERROR.NONE, json.length), json]);
}

/** Answers a frame whose size cannot be right, then the caller closes the connection. */
async function refuseFrame(socket: net.Socket, bad: { size: number; head: Buffer }, context: BrokerContext): Promise<void> {
  const correlationId = bad.head.length >= REQUEST_HEADER_BYTES ? bad.head.readUInt32BE(5) : 0;
  const tooLarge = bad.size > MIN_FRAME_SIZE;
  const code = tooLarge ? ERROR.FRAME_TOO_LARGE : ERROR.INVALID_REQUEST;
  const message = tooLarge
    ? `frame size ${bad.size} exceeds this broker's limit of ${context.config.maxBatchBytes + 64 * KiB} bytes; closing the connection`
    : `frame size ${bad.size} is below the minimum ${MIN_FRAME_SIZE} (apiKey + correlationId); closing the connection`;
  count(context, code);
  await writeAndDrain(socket, [encodeErrorResponse(correlationId, code, message)]).catch(() => undefined);
}

/** The broker process's CPU so far; /proc/<pid>/stat has only 10 ms ticks, getrusage has microseconds. */
function cpuMicros(): { userMicros: number; systemMicros: number } {
  const usage = process.resourceUsage();
  return { userMicros: usage.userCPUTime, systemMicros: usage.systemCPUTime };
}

/** Counts an error response by name. */
function count(context: BrokerContext, code: number): void {
  const name = errorName(code);
  context.counters.errors[name] = (context.counters.errors[name] ?? 0) + 1;
}
