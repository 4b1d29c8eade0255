// Puts a response frame on a connection: header buffers written with write(2), and the records of a fetch
// moved from the segment file either by sendfile(2) (zero-copy: page cache -> socket inside the kernel)
// or, for comparison, by pread(2) into a user buffer and write(2) out of it (two CPU copies).
// This is Kafka's FileRecords.writeTo. Every call is non-blocking and runs on the event loop: when the
// socket buffer is full the sender waits for writability on the event loop (the addon's uv_poll watch),
// so a consumer that stops reading holds a registered fd and a timer, never one of libuv's pool threads.
// Without the native addon, a portable sender uses Node's socket.write() (read-write serving only).
import * as fs from "fs";
import type { Socket } from "net";
import { nativeStatus, requireNative, NativeAddon } from "../../native/addon";
import type { SizedRecords } from "../protocol/messages/fetch";
import { MiB } from "../../units/sizes";

export const SERVING_MODES = ["sendfile", "read-write"] as const;
export type ServingMode = (typeof SERVING_MODES)[number];

/** A byte range of a segment file that a fetch response carries (Kafka's FileRecords slice). */
export class FileRecords implements SizedRecords {
  constructor(
    readonly fd: number,
    readonly position: number,
    readonly sizeInBytes: number,
  ) {}
}

/** What the senders of one broker have done; the fan-out experiment reads these. */
export interface SendCounters {
  responses: number;
  bytesSent: number;
  recordBytesSent: number;
  writeCalls: number;
  sendfileCalls: number;
  fileReads: number;
  writableWaits: number;
}

export function emptySendCounters(): SendCounters {
  return { responses: 0, bytesSent: 0, recordBytesSent: 0, writeCalls: 0, sendfileCalls: 0, fileReads: 0, writableWaits: 0 };
}

/** The connection went away (or was closed by the broker) while a response was being sent. */
export class SendAborted extends Error {}

/** The reader took no bytes for the stall timeout. */
export class SendStalled extends Error {}

export interface ResponseSender {
  /** Sends the parts in order; rejects with SendAborted/SendStalled or a system error (EPIPE...). */
  send(parts: ReadonlyArray<Buffer | FileRecords>): Promise<void>;
  /** Stops a send in progress (the connection is closing). */
  abort(): void;
}

export interface SenderOptions {
  serving: ServingMode;
  stallTimeoutMs: number;
  chunkBytes: number;
  counters: SendCounters;
}

/**
 * Bytes moved (and the largest sendfile asked for) before yielding to the event loop, so one fast reader
 * cannot hold the loop for long: 4 MiB is about 2 ms at loopback speed. Smaller caps cost more calls.
 */
export const YIELD_EVERY_BYTES = 4 * MiB;

/** Why a serving mode cannot run here, or null. */
export function servingUnavailable(serving: ServingMode): string | null {
  const status = nativeStatus();
  // "reason" in status narrows in the notebooks' non-strict TypeScript too (tslab), where !status.ok does not.
  if (serving === "sendfile" && "reason" in status) return `--serving sendfile needs the native addon: ${status.reason}`;
  return null;
}

/** A sender for one connection: native when the addon loads, portable otherwise. */
export function createSender(socket: Socket, options: SenderOptions): ResponseSender {
  return nativeStatus().ok ? new NativeSender(socket, requireNative(), options) : new PortableSender(socket, options);
}

/** The socket's fd (undocumented `_handle.fd`), or SendAborted once Node has closed it. */
function socketFd(socket: Socket): number {
  const fd = (socket as unknown as { _handle?: { fd?: number } })._handle?.fd;
  if (socket.destroyed || typeof fd !== "number" || fd < 0) throw new SendAborted("connection closed");
  return fd;
}

class NativeSender implements ResponseSender {
  private chunk: Buffer | null = null;
  private watch = 0;
  private pending: { reject: (error: Error) => void; timer: NodeJS.Timeout } | null = null;
  private aborted = false;
  private sinceYield = 0;

  constructor(
    private readonly socket: Socket,
    private readonly addon: NativeAddon,
    private readonly options: SenderOptions,
  ) {}

  async send(parts: ReadonlyArray<Buffer | FileRecords>): Promise<void> {
    const c = this.options.counters;
    for (const part of parts) {
      if (part instanceof FileRecords) {
        if (this.options.serving === "sendfile") await this.sendfileAll(part);
        else await this.readWriteAll(part);
        c.recordBytesSent += part.sizeInBytes;
      } else {
        await this.writeAll(part, 0, part.length);
      }
    }
    c.responses++;
  }

  /** write(2) of bytes[start, end), waiting for writability whenever the socket buffer is full. */
  private async writeAll(bytes: Buffer, start: number, end: number): Promise<void> {
    for (let at = start; at < end; ) {
      const n = this.addon.writeSome(socketFd(this.socket), bytes, at, end);
      this.options.counters.writeCalls++;
      if (n > 0) {
        at += n;
        this.options.counters.bytesSent += n;
        await this.progressed(n, at < end);
      } else {
        await this.writable();
      }
    }
  }

  /** The records, page cache -> socket, no copy through user space. */
  private async sendfileAll(records: FileRecords): Promise<void> {
    for (let sent = 0; sent < records.sizeInBytes; ) {
      const want = Math.min(records.sizeInBytes - sent, YIELD_EVERY_BYTES);
      // Guard: the header bytes before these are all in the kernel (writeAll returned), the socket is open.
      const n = this.addon.sendfileSome(records.fd, socketFd(this.socket), records.position + sent, want);
      this.options.counters.sendfileCalls++;
      if (n > 0) {
        sent += n;
        this.options.counters.bytesSent += n;
        await this.progressed(n, n < want);
      } else {
        await this.writable();
      }
    }
  }

  /** The records through a user buffer: pread(2) a chunk, write(2) it, again (what serving without sendfile costs). */
  private async readWriteAll(records: FileRecords): Promise<void> {
    const chunk = (this.chunk ??= Buffer.allocUnsafe(this.options.chunkBytes));
    for (let done = 0; done < records.sizeInBytes; ) {
      const want = Math.min(chunk.length, records.sizeInBytes - done);
      const n = fs.readSync(records.fd, chunk, 0, want, records.position + done);
      this.options.counters.fileReads++;
      if (n < want) throw new Error(`segment file ended ${want - n} bytes early at position ${records.position + done + n}`);
      await this.writeAll(chunk, 0, n);
      done += n;
    }
  }

  /** After a successful send: wait if the socket is full, and now and then let other connections run. */
  private async progressed(bytes: number, full: boolean): Promise<void> {
    if (full) return this.writable();
    this.sinceYield += bytes;
    if (this.sinceYield >= YIELD_EVERY_BYTES) {
      this.sinceYield = 0;
      await new Promise((resolve) => setImmediate(resolve));
      if (this.aborted) throw new SendAborted("connection closed");
    }
  }

  /** Resolves when the socket can take bytes again: a uv_poll watch on the event loop, bounded by the stall timeout. */
  private writable(): Promise<void> {
    if (this.aborted) return Promise.reject(new SendAborted("connection closed"));
    this.options.counters.writableWaits++;
    this.sinceYield = 0;
    return new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.cancelWatch();
        reject(new SendStalled(`the client took no bytes for ${this.options.stallTimeoutMs} ms`));
      }, this.options.stallTimeoutMs);
      this.pending = { reject, timer };
      try {
        this.watch = this.addon.watchWritable(socketFd(this.socket), () => {
          this.watch = 0;
          clearTimeout(timer);
          this.pending = null;
          if (this.aborted) reject(new SendAborted("connection closed"));
          else resolve();
        });
      } catch (error) {
        clearTimeout(timer);
        this.pending = null;
        reject(error);
      }
    });
  }

  private cancelWatch(): void {
    if (this.watch) this.addon.unwatchWritable(this.watch);
    this.watch = 0;
    this.pending = null;
  }

  abort(): void {
    this.aborted = true;
    const pending = this.pending;
    if (pending) {
      clearTimeout(pending.timer);
      this.cancelWatch();
      pending.reject(new SendAborted("connection closed"));
    }
  }
}

/** Node's own socket.write(); the file read through fs.readSync. For machines without the addon. */
class PortableSender implements ResponseSender {
  private abortWait: ((error: Error) => void) | null = null;
  private aborted = false;

  constructor(
    private readonly socket: Socket,
    private readonly options: SenderOptions,
  ) {
    if (options.serving === "sendfile") throw new Error(servingUnavailable("sendfile") ?? "sendfile unavailable");
  }

  async send(parts: ReadonlyArray<Buffer | FileRecords>): Promise<void> {
    const c = this.options.counters;
    for (const part of parts) {
      if (part instanceof FileRecords) {
        for (let done = 0; done < part.sizeInBytes; ) {
          // socket.write() keeps the buffer until it is sent, so every chunk needs its own.
          const chunk = Buffer.allocUnsafe(Math.min(this.options.chunkBytes, part.sizeInBytes - done));
          const n = fs.readSync(part.fd, chunk, 0, chunk.length, part.position + done);
          c.fileReads++;
          if (n < chunk.length) throw new Error(`segment file ended early at position ${part.position + done + n}`);
          await this.write(chunk);
          done += n;
        }
        c.recordBytesSent += part.sizeInBytes;
      } else {
        await this.write(Buffer.from(part));
      }
    }
    c.responses++;
  }

  private write(bytes: Buffer): Promise<void> {
    if (this.aborted || this.socket.destroyed) return Promise.reject(new SendAborted("connection closed"));
    this.options.counters.writeCalls++;
    this.options.counters.bytesSent += bytes.length;
    if (this.socket.write(bytes)) return Promise.resolve();
    this.options.counters.writableWaits++;
    return new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => done(new SendStalled(`the client took no bytes for ${this.options.stallTimeoutMs} ms`)), this.options.stallTimeoutMs);
      const done = (error?: Error) => {
        clearTimeout(timer);
        this.socket.off("drain", onDrain);
        this.abortWait = null;
        if (error) reject(error);
        else resolve();
      };
      const onDrain = () => done();
      this.socket.on("drain", onDrain);
      this.abortWait = done;
    });
  }

  abort(): void {
    this.aborted = true;
    this.abortWait?.(new SendAborted("connection closed"));
  }
}
