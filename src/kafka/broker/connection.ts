// One client connection: reads size-prefixed request frames, answers them one at a time in order (as
// Kafka does: it mutes a channel until its response is sent), and closes the connection when the client
// misbehaves. Bounds, each enforced here or by the broker's sweep:
//   - a frame larger than maxRequestBytes closes the connection before its body is read;
//   - a large frame's body is read only into memory reserved from the shared RequestMemoryPool; while none
//     is free the socket is paused and TCP pushes back. Small frames (fetch, metadata, group requests:
//     at most SMALL_FRAME_BYTES) skip the pool, so an attack that exhausts it cannot stall consumers;
//     they cost at most (MAX_QUEUED_FRAMES + 2) x SMALL_FRAME_BYTES per connection;
//   - at most MAX_QUEUED_FRAMES complete frames wait behind the one being answered, then reading pauses;
//   - a frame still incomplete requestReadTimeoutMs after the broker started reading it (a wait for pool
//     memory counts: stuck frames give their memory back within one timeout), a connection idle for
//     idleTimeoutMs, and a reader that takes no response bytes for responseStallTimeoutMs are closed.
// Not thread-safe: event loop only.
import type { Socket } from "net";
import { RequestMemoryPool } from "./request-memory";
import { createSender, ResponseSender, SendAborted, SendStalled, SendCounters } from "./response-sender";
import type { BrokerConfig } from "./broker-config";
import type { ConnectionView, Outcome } from "./request";

/** Complete frames buffered behind the one being answered before the socket is paused. */
const MAX_QUEUED_FRAMES = 1;

/** Frames up to this size are not charged to the memory pool. */
export const SMALL_FRAME_BYTES = 16 * 1024;

/** A request frame and whether its memory came from the pool. */
interface Frame {
  bytes: Buffer;
  pooled: boolean;
}

/** What a connection needs from its broker. */
export interface ConnectionHost {
  config: BrokerConfig;
  memory: RequestMemoryPool;
  sendCounters: SendCounters;
  handle(frame: Buffer, connection: Connection): Promise<Outcome>;
  onClosed(connection: Connection, reason: string | null, kind: "client" | "broker" | "timeout"): void;
}

export class Connection implements ConnectionView {
  /** Last time a byte arrived or a response went out completely (for idle timeouts and eviction). */
  lastActivity = Date.now();
  /** When the broker started reading the current frame (null between frames); waits for memory count. */
  frameStartedAt: number | null = null;
  closed = false;

  private readonly sender: ResponseSender;
  private readonly inbox: Buffer[] = [];
  private inboxBytes = 0;
  private frame: Frame | null = null;
  private frameFilled = 0;
  private readonly queue: Frame[] = [];
  private busy = false;
  private cancelMemoryWait: (() => void) | null = null;
  private readonly closeListeners = new Set<() => void>();

  constructor(
    readonly id: number,
    readonly socket: Socket,
    private readonly host: ConnectionHost,
  ) {
    this.remote = `${socket.remoteAddress}:${socket.remotePort}`;
    this.sender = createSender(socket, { serving: host.config.serving, stallTimeoutMs: host.config.responseStallTimeoutMs, chunkBytes: host.config.readWriteChunkBytes, counters: host.sendCounters });
    // Kafka's acceptor sets TCP_NODELAY: a response header and the records after it must not wait for an ACK.
    socket.setNoDelay(true);
    socket.on("data", (chunk: Buffer) => this.onData(chunk));
    socket.on("end", () => this.close(null, "client"));
    socket.on("close", () => this.close(null, "client"));
    socket.on("error", (error) => this.close(`socket error: ${error.message}`, "client"));
  }

  readonly remote: string;

  onClose(listener: () => void): () => void {
    if (this.closed) {
      listener();
      return () => undefined;
    }
    this.closeListeners.add(listener);
    return () => this.closeListeners.delete(listener);
  }

  /** Bytes this connection holds outside the memory pool: read but not yet in a frame, and small frames. */
  get unpooledBytes(): number {
    let bytes = this.inboxBytes;
    if (this.frame && !this.frame.pooled) bytes += this.frame.bytes.length;
    for (const f of this.queue) if (!f.pooled) bytes += f.bytes.length;
    return bytes;
  }

  /** Whether nothing is in progress: no frame being read, none queued, none being answered. */
  get idle(): boolean {
    return !this.busy && this.queue.length === 0 && this.frame === null && this.inboxBytes === 0;
  }

  private onData(chunk: Buffer): void {
    this.lastActivity = Date.now();
    this.inbox.push(chunk);
    this.inboxBytes += chunk.length;
    this.readFrames();
    this.pump();
  }

  /** Moves inbox bytes into frames; pauses the socket when memory or queue space runs out. */
  private readFrames(): void {
    while (!this.closed && this.inboxBytes > 0 && this.cancelMemoryWait === null && this.queue.length <= MAX_QUEUED_FRAMES) {
      if (this.frame === null) {
        this.frameStartedAt ??= Date.now();
        if (this.inboxBytes < 4) break;
        const size = this.takeInt32();
        if (size < 0 || size > this.host.config.maxRequestBytes) {
          return this.close(`request frame of ${size} bytes exceeds maxRequestBytes ${this.host.config.maxRequestBytes}`, "broker");
        }
        if (size <= SMALL_FRAME_BYTES) {
          this.startFrame(size, false);
        } else if (this.host.memory.tryReserve(size)) {
          this.startFrame(size, true);
        } else {
          // No memory for this frame yet: stop reading until the pool has it (the frame's clock keeps running).
          this.socket.pause();
          this.cancelMemoryWait = this.host.memory.whenAvailable(size, () => {
            this.cancelMemoryWait = null;
            this.startFrame(size, true);
            this.readFrames();
            this.pump();
          });
          return;
        }
      }
      this.fillFrame();
    }
    const shouldPause = this.cancelMemoryWait !== null || this.queue.length > MAX_QUEUED_FRAMES;
    if (shouldPause) this.socket.pause();
    else if (!this.closed) this.socket.resume();
  }

  private startFrame(size: number, pooled: boolean): void {
    this.frame = { bytes: Buffer.allocUnsafe(size), pooled };
    this.frameFilled = 0;
    if (size === 0) this.completeFrame();
  }

  /** Copies inbox bytes into the current frame; queues it when complete. */
  private fillFrame(): void {
    const frame = this.frame!.bytes;
    while (this.frameFilled < frame.length && this.inbox.length > 0) {
      const chunk = this.inbox[0];
      const n = Math.min(chunk.length, frame.length - this.frameFilled);
      chunk.copy(frame, this.frameFilled, 0, n);
      this.frameFilled += n;
      this.inboxBytes -= n;
      if (n === chunk.length) this.inbox.shift();
      else this.inbox[0] = chunk.subarray(n);
    }
    if (this.frameFilled === frame.length) this.completeFrame();
  }

  private completeFrame(): void {
    this.queue.push(this.frame!);
    this.frame = null;
    this.frameStartedAt = null;
  }

  /** Reads a big-endian INT32 from the front of the inbox (it may span chunks). */
  private takeInt32(): number {
    let value = 0;
    for (let i = 0; i < 4; i++) {
      const chunk = this.inbox[0];
      value = (value << 8) | chunk[0];
      this.inboxBytes--;
      if (chunk.length === 1) this.inbox.shift();
      else this.inbox[0] = chunk.subarray(1);
    }
    return value;
  }

  /** Answers the next queued frame if none is being answered. */
  private pump(): void {
    if (this.busy || this.closed || this.queue.length === 0) return;
    const frame = this.queue.shift()!;
    this.busy = true;
    void this.answer(frame.bytes).finally(() => {
      if (frame.pooled) this.host.memory.release(frame.bytes.length);
      this.busy = false;
      this.readFrames();
      this.pump();
    });
  }

  private async answer(frame: Buffer): Promise<void> {
    let outcome: Outcome;
    try {
      outcome = await this.host.handle(frame, this);
    } catch (error) {
      return this.close(`internal error answering a request: ${(error as Error).stack ?? error}`, "broker");
    }
    if (this.closed) return;
    if (outcome.kind === "close") return this.close(outcome.reason, "broker");
    if (outcome.kind === "respond") {
      try {
        await this.sender.send(outcome.parts);
      } catch (error) {
        if (error instanceof SendAborted) return this.close(null, "client");
        if (error instanceof SendStalled) return this.close(error.message, "timeout");
        return this.close(`sending a response failed: ${(error as Error).message}`, "client");
      }
      this.lastActivity = Date.now();
    }
    if (outcome.thenClose) this.close(outcome.thenClose, "broker");
  }

  /** Closes the connection once; `reason` (null for an ordinary disconnect) is logged by the broker. */
  close(reason: string | null, kind: "client" | "broker" | "timeout"): void {
    if (this.closed) return;
    this.closed = true;
    this.sender.abort();
    this.cancelMemoryWait?.();
    this.cancelMemoryWait = null;
    if (this.frame?.pooled) this.host.memory.release(this.frame.bytes.length);
    for (const queued of this.queue) if (queued.pooled) this.host.memory.release(queued.bytes.length);
    this.frame = null;
    this.queue.length = 0;
    this.inbox.length = 0;
    this.inboxBytes = 0;
    this.socket.destroy();
    for (const listener of [...this.closeListeners]) listener();
    this.closeListeners.clear();
    this.host.onClosed(this, reason, kind);
  }
}
