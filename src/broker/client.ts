// The client side of the protocol: one TCP connection, requests pipelined, responses matched in order.
// Producers and consumers (src/broker/producer.ts, consumer.ts) and the protocol tests build on it.
import * as net from "net";
import {
  API, ACKS, Acks, ERROR, FrameReader, RESPONSE_HEADER_BYTES, FETCH_RESPONSE_PREFIX_BYTES,
  encodeRequest, encodeFetchRequest, errorName,
} from "./protocol";
import { MiB } from "../units/sizes";

/** An error response from the broker: its code, name and message. */
export class BrokerError extends Error {
  constructor(
    readonly code: number,
    readonly detail: string,
  ) {
    super(`${errorName(code)}: ${detail}`);
    this.name = "BrokerError";
  }
}

/** A decoded response frame. */
export interface Response {
  correlationId: number;
  errorCode: number;
  body: Buffer;
}

/** What a FETCH returned: the log end offset and whole batches, untouched. */
export interface FetchResult {
  logEndOffset: number;
  records: Buffer;
}

/** Largest response frame a client accepts (a fetch is at most ~maxBytes or one oversized batch). */
const MAX_RESPONSE_BYTES = 256 * MiB;

/** One connection to a broker. */
export class BrokerClient {
  private nextCorrelationId = 1;
  private pending: { correlationId: number; resolve: (r: Response) => void; reject: (e: Error) => void }[] = [];
  private readonly reader = new FrameReader(RESPONSE_HEADER_BYTES - 4, MAX_RESPONSE_BYTES);
  private failure: Error | null = null;

  private constructor(readonly socket: net.Socket) {
    socket.on("data", (chunk) => this.onData(chunk));
    socket.on("error", (error) => this.fail(error));
    socket.on("close", () => this.fail(new Error("connection to broker closed")));
  }

  /** Connects to a broker on 127.0.0.1:port. */
  static connect(port: number, host = "127.0.0.1"): Promise<BrokerClient> {
    return new Promise((resolve, reject) => {
      const socket = net.connect({ port, host });
      socket.setNoDelay(true);
      socket.once("error", reject);
      socket.once("connect", () => {
        socket.off("error", reject);
        resolve(new BrokerClient(socket));
      });
    });
  }

  /** Number of requests sent and not yet answered. */
  get inFlight(): number {
    return this.pending.length;
  }

  /** Sends raw request bytes (tests use it for malformed frames) and waits for the next response. */
  sendRaw(bytes: Buffer): Promise<Response> {
    return this.enqueue(0, [bytes]);
  }

  /** Sends one request and resolves with its response (errors included: callers decide). */
  request(apiKey: number, body?: Buffer): Promise<Response> {
    const correlationId = this.nextCorrelationId++ >>> 0;
    return this.enqueue(correlationId, encodeRequest(apiKey, correlationId, body));
  }

  /** Appends a batch; resolves with its assigned base offset, or rejects with a BrokerError. */
  async produce(batch: Buffer, acks: Acks = ACKS.APPEND): Promise<number> {
    const body = Buffer.concat([Buffer.from([acks]), batch]);
    const response = ok(await this.request(API.PRODUCE, body));
    return Number(response.body.readBigUInt64BE(0));
  }

  /** Fetches whole batches starting with the one holding `offset`; waits up to maxWaitMs at the log end. */
  async fetch(offset: number, maxBytes: number, maxWaitMs = 0): Promise<FetchResult> {
    const response = ok(await this.request(API.FETCH, encodeFetchRequest(offset, maxBytes, maxWaitMs)));
    const logEndOffset = Number(response.body.readBigUInt64BE(0));
    const length = response.body.readUInt32BE(8);
    const records = response.body.subarray(FETCH_RESPONSE_PREFIX_BYTES);
    if (records.length !== length) throw new Error(`FETCH response says ${length} record bytes but carries ${records.length}`);
    return { logEndOffset, records };
  }

  /** The log's first and next offsets. */
  async offsets(): Promise<{ logStartOffset: number; logEndOffset: number }> {
    const { body } = ok(await this.request(API.OFFSETS));
    return { logStartOffset: Number(body.readBigUInt64BE(0)), logEndOffset: Number(body.readBigUInt64BE(8)) };
  }

  /** The broker's counters (see BrokerStats in server.ts). */
  async stats<T = Record<string, unknown>>(): Promise<T> {
    return JSON.parse(ok(await this.request(API.STATS)).body.toString("utf8")) as T;
  }

  /** Closes the connection. */
  close(): void {
    this.socket.destroy();
  }

  /** Queues a waiter and writes the request bytes. */
  private enqueue(correlationId: number, buffers: Buffer[]): Promise<Response> {
    if (this.failure) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => {
      this.pending.push({ correlationId, resolve, reject });
      for (const b of buffers) this.socket.write(b);
    });
  }

  /** Cuts responses out of the stream and hands each to the oldest waiter. */
  private onData(chunk: Buffer): void {
    for (const event of this.reader.push(chunk)) {
      if (event.kind === "bad-size") return this.fail(new Error(`broker sent a frame of impossible size ${event.size}`));
      const frame = event.frame;
      const response = { correlationId: frame.readUInt32BE(4), errorCode: frame.readUInt16BE(8), body: frame.subarray(RESPONSE_HEADER_BYTES) };
      const waiter = this.pending.shift();
      if (!waiter) return this.fail(new Error(`unexpected response (correlationId ${response.correlationId})`));
      // Raw requests (correlationId 0) accept whatever comes back; others must match.
      if (waiter.correlationId !== 0 && waiter.correlationId !== response.correlationId) {
        waiter.reject(new Error(`response correlationId ${response.correlationId}, expected ${waiter.correlationId}`));
        return this.fail(new Error("responses out of order"));
      }
      waiter.resolve(response);
    }
  }

  /** Rejects every waiting request and refuses new ones. */
  private fail(error: Error): void {
    this.failure ??= error;
    for (const waiter of this.pending.splice(0)) waiter.reject(error);
    this.socket.destroy();
  }
}

/** Returns a success response, or throws its error as a BrokerError. */
export function ok(response: Response): Response {
  if (response.errorCode !== ERROR.NONE) throw new BrokerError(response.errorCode, response.body.toString("utf8"));
  return response;
}
