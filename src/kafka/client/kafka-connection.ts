// One client connection to a Kafka broker: sends requests (pipelined, responses come back in order, as
// Kafka guarantees per connection), matches responses by correlation id, and negotiates versions with
// ApiVersions when it opens. Large responses (fetches) are read straight from the socket into one buffer
// of the frame's size (net.Socket's `onread` option); small ones go through a staging buffer. So a
// consumer's only copy of the records is the kernel's copy into that buffer. Not thread-safe.
import * as net from "net";
import { API, apiName } from "../protocol/api-keys";
import { ERROR, KafkaError } from "../protocol/error-codes";
import { WireReader } from "../protocol/wire-reader";
import { WireWriter, startFrame, finishFrame } from "../protocol/wire-writer";
import { writeRequestHeader } from "../protocol/request-header";
import { readApiVersionsResponse } from "../protocol/messages/api-versions";

export interface ConnectionOptions {
  clientId: string;
  /** A request without a response in this long fails, and the connection closes (Kafka: request.timeout.ms). */
  requestTimeoutMs: number;
  /** Connecting (TCP + ApiVersions) must finish in this long. */
  connectTimeoutMs: number;
  /**
   * Read every large response into the same buffer (grown as needed) instead of a new one: no page faults
   * on fresh memory per fetch. A response's views are then valid only until the next response arrives.
   */
  reuseLargeFrames: boolean;
}

export const CONNECTION_DEFAULTS: ConnectionOptions = { clientId: "workbook", requestTimeoutMs: 30_000, connectTimeoutMs: 10_000, reuseLargeFrames: false };

/** Bytes of the staging buffer for small responses; larger frames get their own buffer. */
const STAGING_BYTES = 64 * 1024;

interface Pending {
  correlationId: number;
  name: string;
  decode: (frame: Buffer) => unknown;
  resolve: (value: unknown) => void;
  reject: (error: Error) => void;
  timer: NodeJS.Timeout;
}

export class KafkaConnection {
  /** API key -> the highest version both sides speak. */
  private readonly versions = new Map<number, { min: number; max: number }>();
  private readonly pending: Pending[] = [];
  private nextCorrelationId = 1;
  private failed: Error | null = null;
  private readonly staging = Buffer.allocUnsafe(STAGING_BYTES);
  private stagingStart = 0;
  private stagingEnd = 0;
  private frame: Buffer | null = null;
  private frameFilled = 0;
  private reusable: Buffer | null = null;
  /** Bytes of response frames received (size prefixes included). */
  bytesReceived = 0;

  private socket!: net.Socket;

  private constructor(
    readonly host: string,
    readonly port: number,
    private readonly options: ConnectionOptions,
  ) {}

  /** Connects, asks ApiVersions (v2, falling back to v0) and remembers the broker's ranges. */
  static async connect(host: string, port: number, options: Partial<ConnectionOptions> = {}): Promise<KafkaConnection> {
    const o = { ...CONNECTION_DEFAULTS, ...options };
    const c = new KafkaConnection(host, port, o);
    // onread: Node asks `buffer()` where each read should land (once at creation, then after every read).
    const socket = await new Promise<net.Socket>((resolve, reject) => {
      const s = net.connect({
        host,
        port,
        noDelay: true,
        onread: { buffer: () => c.readTarget(), callback: (n: number) => (c.received(n), true) },
      } as net.NetConnectOpts);
      c.socket = s;
      const timer = setTimeout(() => {
        s.destroy();
        reject(new Error(`could not connect to ${host}:${port} within ${o.connectTimeoutMs} ms`));
      }, o.connectTimeoutMs);
      s.once("connect", () => {
        clearTimeout(timer);
        resolve(s);
      });
      s.once("error", (error) => {
        clearTimeout(timer);
        reject(new Error(`could not connect to ${host}:${port}: ${error.message}`));
      });
    });
    socket.on("error", (error) => c.fail(new Error(`connection to ${host}:${port} failed: ${error.message}`)));
    socket.on("close", () => c.fail(new Error(`connection to ${host}:${port} closed by the broker`)));
    try {
      await c.negotiate();
    } catch (error) {
      c.close();
      throw error;
    }
    return c;
  }

  /** ApiVersions v2; a broker that does not know it answers UNSUPPORTED_VERSION in the v0 layout. */
  private async negotiate(): Promise<void> {
    for (const version of [2, 0]) {
      const r = await this.request(API.ApiVersions, version, () => undefined, (r) => readApiVersionsResponse(r, version));
      if (r.errorCode === ERROR.UNSUPPORTED_VERSION && version > 0) continue;
      if (r.errorCode !== ERROR.NONE) throw new KafkaError(r.errorCode, `ApiVersions v${version} failed`);
      for (const k of r.apiKeys) this.versions.set(k.apiKey, { min: k.minVersion, max: k.maxVersion });
      return;
    }
  }

  /** The highest version of `apiKey` in [ourMin, ourMax] the broker speaks; throws if none. */
  version(apiKey: number, ourMin: number, ourMax: number): number {
    const theirs = this.versions.get(apiKey);
    const version = theirs ? Math.min(ourMax, theirs.max) : -1;
    if (!theirs || version < Math.max(ourMin, theirs.min)) {
      throw new Error(`broker ${this.host}:${this.port} does not speak ${apiName(apiKey)} v${ourMin}-v${ourMax}${theirs ? ` (it has v${theirs.min}-v${theirs.max})` : ""}`);
    }
    return version;
  }

  /** Sends one request and resolves with its decoded response. */
  request<T>(apiKey: number, version: number, body: (w: WireWriter) => void, decode: (r: WireReader) => T): Promise<T> {
    return this.send(apiKey, version, (correlationId) => {
      const w = startFrame(128);
      this.writeHeader(w, apiKey, version, correlationId);
      body(w);
      return [finishFrame(w)];
    }, decode, true) as Promise<T>;
  }

  /** Sends a request given as ready frame parts (the producer's batches); `expectResponse` false for acks=0. */
  send<T>(apiKey: number, version: number, frame: (correlationId: number) => Buffer[], decode: (r: WireReader) => T, expectResponse: boolean): Promise<T | undefined> {
    if (this.failed) return Promise.reject(this.failed);
    const correlationId = this.nextCorrelationId++;
    const parts = frame(correlationId);
    this.socket.cork();
    for (const part of parts) this.socket.write(part);
    this.socket.uncork();
    if (!expectResponse) return Promise.resolve(undefined);
    return new Promise<T>((resolve, reject) => {
      const name = `${apiName(apiKey)} v${version}`;
      const timer = setTimeout(() => this.fail(new Error(`${name} to ${this.host}:${this.port} got no response within ${this.options.requestTimeoutMs} ms`)), this.options.requestTimeoutMs);
      this.pending.push({
        correlationId, name, timer, resolve: resolve as (v: unknown) => void, reject,
        decode: (f) => {
          const r = new WireReader(f, 4);
          return decode(r);
        },
      });
    });
  }

  /** Writes a v1 request header. */
  writeHeader(w: WireWriter, apiKey: number, version: number, correlationId: number): void {
    writeRequestHeader(w, { apiKey, apiVersion: version, correlationId, clientId: this.options.clientId });
  }

  /** Where the next socket read goes: the rest of a large frame, or free staging space. */
  private readTarget(): Buffer {
    if (this.frame) return this.frame.subarray(this.frameFilled);
    if (this.stagingEnd === this.staging.length) this.compactStaging();
    return this.staging.subarray(this.stagingEnd);
  }

  /** `n` bytes landed where readTarget said. */
  private received(n: number): void {
    if (n <= 0) return;
    this.bytesReceived += n;
    if (this.frame) {
      this.frameFilled += n;
      if (this.frameFilled === this.frame.length) {
        const frame = this.frame;
        this.frame = null;
        this.deliver(frame);
      }
      return;
    }
    this.stagingEnd += n;
    this.parseStaging();
  }

  /** Delivers every whole frame in staging; a frame too big for it gets its own buffer. */
  private parseStaging(): void {
    while (this.stagingEnd - this.stagingStart >= 4) {
      const size = this.staging.readInt32BE(this.stagingStart);
      const available = this.stagingEnd - this.stagingStart - 4;
      if (size < 4) return this.fail(new Error(`broker ${this.host}:${this.port} sent a frame of ${size} bytes`));
      if (available >= size) {
        const start = this.stagingStart + 4;
        this.stagingStart = start + size;
        this.deliver(Buffer.from(this.staging.subarray(start, start + size)));
        continue;
      }
      if (size + 4 > this.staging.length) {
        this.frame = this.largeFrame(size);
        this.staging.copy(this.frame, 0, this.stagingStart + 4, this.stagingEnd);
        this.frameFilled = available;
        this.stagingStart = this.stagingEnd = 0;
      }
      break;
    }
    if (this.stagingStart === this.stagingEnd) this.stagingStart = this.stagingEnd = 0;
  }

  /** A buffer for a frame too large for staging: a fresh one, or the reused one. */
  private largeFrame(size: number): Buffer {
    if (!this.options.reuseLargeFrames) return Buffer.allocUnsafe(size);
    if (!this.reusable || this.reusable.length < size) this.reusable = Buffer.allocUnsafe(size);
    return this.reusable.subarray(0, size);
  }

  private compactStaging(): void {
    this.staging.copy(this.staging, 0, this.stagingStart, this.stagingEnd);
    this.stagingEnd -= this.stagingStart;
    this.stagingStart = 0;
  }

  /** Hands a response frame (without its size) to the oldest pending request. */
  private deliver(frame: Buffer): void {
    const p = this.pending.shift();
    if (!p) return this.fail(new Error(`broker ${this.host}:${this.port} sent a response nobody asked for`));
    clearTimeout(p.timer);
    const correlationId = frame.readInt32BE(0);
    if (correlationId !== p.correlationId) {
      p.reject(new Error(`${p.name}: response has correlation id ${correlationId}, expected ${p.correlationId}`));
      return this.fail(new Error("responses out of order"));
    }
    try {
      // A response that starts with UNSUPPORTED_VERSION and nothing else is the broker refusing the version.
      if (frame.length === 6 && frame.readInt16BE(4) === ERROR.UNSUPPORTED_VERSION) throw new KafkaError(ERROR.UNSUPPORTED_VERSION, `${p.name} refused by the broker`);
      p.resolve(p.decode(frame));
    } catch (error) {
      p.reject(error as Error);
    }
  }

  /** Rejects everything pending and closes; later requests reject with the same error. */
  private fail(error: Error): void {
    if (this.failed) return;
    this.failed = error;
    for (const p of this.pending.splice(0)) {
      clearTimeout(p.timer);
      p.reject(error);
    }
    this.socket.destroy();
  }

  get closed(): boolean {
    return this.failed !== null;
  }

  close(): void {
    this.fail(new Error(`connection to ${this.host}:${this.port} closed`));
  }
}

/** "host:port" -> parts; throws a one-line error otherwise. */
export function parseHostPort(text: string, what = "bootstrap"): { host: string; port: number } {
  const match = /^\[?([^\]]+?)\]?:(\d{1,5})$/.exec(text.trim());
  const port = match ? Number(match[2]) : NaN;
  if (!match || port < 1 || port > 65535) throw new RangeError(`${what} must be host:port (e.g. 127.0.0.1:9092), got "${text}"`);
  return { host: match[1], port };
}
