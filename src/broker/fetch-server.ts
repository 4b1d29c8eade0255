// How a fetch's bytes leave the broker: one function per serving mode, same response on the wire.
// sendfile goes through src/native/zero-copy.ts (transferToSocket = sendfileToSocket plus its call counts).
//   sendfile:   header with socket.write, then sendfile(2) moves the batches from the page cache to the socket;
//               the bytes never enter this process (Kafka: FileRecords.writeTo -> FileChannel.transferTo).
//   read-write: read(2) the batches into a Buffer, then write(2) it to the socket: two copies through user space.
import * as fs from "fs";
import type { Socket } from "net";
import { transferToSocket, nativeAvailable } from "../native/zero-copy";
import { encodeResponseHeader, ERROR, FETCH_RESPONSE_PREFIX_BYTES } from "./protocol";
import { SegmentSlice } from "./segment";

/** The ways a broker can serve fetches. */
export const SERVING_MODES = ["sendfile", "read-write"] as const;
export type ServingMode = (typeof SERVING_MODES)[number];

/** Counters a fetch server keeps; the broker reports them in STATS. */
export interface ServingCounters {
  /** Fetch responses whose sending finished, and their record bytes. */
  fetchResponses: number;
  bytesServed: number;
  /** Responses being sent right now: a client that got every byte may ask for STATS before the send "returns". */
  responsesInFlight: number;
  fileReads: number;
  socketWrites: number;
  /** Fetch responses whose bytes went out through the native sendfile loop. */
  sendfileTransfers: number;
  /** sendfile(2) system calls those loops made, and poll(2)s when the socket was full (EAGAIN). */
  sendfileCalls: number;
  sendfilePolls: number;
}

/** Sends one FETCH response (header + the slice's bytes) on a socket; resolves when the bytes are in the kernel. */
export type FetchServer = (socket: Socket, correlationId: number, logEndOffset: number, slice: SegmentSlice, counters: ServingCounters) => Promise<void>;

/** The FETCH response header: frame header, logEndOffset and recordsLength; the records follow it. */
export function fetchResponseHead(correlationId: number, logEndOffset: number, recordsLength: number): Buffer {
  const head = encodeResponseHeader(correlationId, ERROR.NONE, FETCH_RESPONSE_PREFIX_BYTES + recordsLength);
  const prefix = Buffer.allocUnsafe(FETCH_RESPONSE_PREFIX_BYTES);
  prefix.writeBigUInt64BE(BigInt(logEndOffset), 0);
  prefix.writeUInt32BE(recordsLength, 8);
  return Buffer.concat([head, prefix]);
}

/** Why sendfile serving cannot run here, or null if it can; the broker refuses to start in that mode otherwise. */
export function servingUnavailable(mode: ServingMode): string | null {
  if (mode !== "sendfile") return null;
  const status = nativeAvailable();
  // `in` narrows under tslab's non-strict compiler too, where `status.ok` alone does not.
  return "reason" in status ? `sendfile serving is unavailable: ${status.reason}` : null;
}

/** Returns the server for a mode, counting responses in flight and done; called once when the broker starts. */
export function fetchServer(mode: ServingMode): FetchServer {
  const serve = mode === "sendfile" ? serveBySendfile : serveByReadWrite;
  return async (socket, correlationId, logEndOffset, slice, counters) => {
    counters.responsesInFlight++;
    try {
      await serve(socket, correlationId, logEndOffset, slice, counters);
      counters.fetchResponses++;
      counters.bytesServed += slice.length;
    } finally {
      counters.responsesInFlight--;
    }
  };
}

/** sendfile mode: write and drain the small header from JS, then hand the batches to sendfile(2). */
async function serveBySendfile(socket: Socket, correlationId: number, logEndOffset: number, slice: SegmentSlice, counters: ServingCounters): Promise<void> {
  await writeAndDrain(socket, [fetchResponseHead(correlationId, logEndOffset, slice.length)]);
  counters.socketWrites++;
  // Guard: nothing of ours may still sit in Node's write queue, or the header would land after the batches.
  if (socket.writableLength !== 0) throw new Error("socket still has queued bytes before sendfile");
  const sent = await transferToSocket("sendfile", slice.fd, socket, slice.position, slice.length);
  counters.sendfileTransfers++;
  counters.sendfileCalls += sent.calls;
  counters.sendfilePolls += sent.polls;
  if (sent.bytes !== slice.length) throw new Error(`sendfile sent ${sent.bytes} of ${slice.length} bytes`);
}

/** read-write mode: read(2) the batches into a fresh Buffer, then write header + Buffer with one writev(2). */
async function serveByReadWrite(socket: Socket, correlationId: number, logEndOffset: number, slice: SegmentSlice, counters: ServingCounters): Promise<void> {
  // A fresh buffer per response: socket.write() keeps a reference, so reusing one would corrupt queued data.
  const body = Buffer.allocUnsafe(slice.length);
  counters.fileReads += await readFully(slice.fd, body, slice.position);
  await writeAndDrain(socket, [fetchResponseHead(correlationId, logEndOffset, slice.length), body]);
  counters.socketWrites++;
}

/** pread(2) on the thread pool until `into` is full; returns the number of read calls. */
async function readFully(fd: number, into: Buffer, position: number): Promise<number> {
  let done = 0;
  let calls = 0;
  while (done < into.length) {
    const n = await new Promise<number>((resolve, reject) =>
      fs.read(fd, into, done, into.length - done, position + done, (error, bytes) => (error ? reject(error) : resolve(bytes))),
    );
    calls++;
    if (n === 0) throw new Error(`segment ended after ${done} of ${into.length} bytes`);
    done += n;
  }
  return calls;
}

/** Writes buffers (corked, so Node issues one writev) and resolves once Node has handed them to the kernel. */
export function writeAndDrain(socket: Socket, buffers: Buffer[]): Promise<void> {
  return new Promise((resolve, reject) => {
    if (socket.destroyed) return reject(new Error("connection closed"));
    socket.cork();
    buffers.forEach((b, i) => socket.write(b, i === buffers.length - 1 ? (error) => (error ? reject(error) : resolve()) : undefined));
    socket.uncork();
  });
}
