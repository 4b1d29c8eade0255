// The broker's wire protocol: length-prefixed binary frames over TCP, big-endian, one request at a time per
// connection (responses come back in request order, like Kafka, which mutes a connection while it works).
//
// Request frame                              Response frame
//   size           u32  bytes after this       size           u32  bytes after this
//   apiKey         u8   see API                correlationId  u32  copied from the request
//   correlationId  u32  chosen by the client   errorCode      u16  0 = NONE, else see ERROR
//   body           ...                         body           ...  (on error: a UTF-8 message)
//
// apiKey         request body                                        response body (errorCode 0)
//   0 PRODUCE      acks u8 (1 = after append, 2 = after fsync)         baseOffset u64 (assigned to the batch)
//                  recordBatch (rest of frame, see record-batch.ts)
//   1 FETCH        offset u64 | maxBytes u32 | maxWaitMs u32           logEndOffset u64 | recordsLength u32 |
//                  (waits up to maxWaitMs when offset = log end)       records: whole batches, first one holds offset
//   2 OFFSETS      (empty)                                             logStartOffset u64 | logEndOffset u64
//   3 STATS        (empty)                                             UTF-8 JSON of broker counters
//
// Errors: a request with a malformed body, a bad batch or an out-of-range offset gets an error response and
// the connection stays usable. A frame whose size is below the minimum or above maxFrameBytes cannot be
// trusted to delimit the next one: it gets an error response and the broker then closes the connection
// (Kafka closes on an invalid size too: "InvalidReceiveException: Invalid receive (size = ...)").

/** Request types. */
export const API = { PRODUCE: 0, FETCH: 1, OFFSETS: 2, STATS: 3 } as const;
export type ApiKey = (typeof API)[keyof typeof API];

/** Error codes in the response's errorCode field. */
export const ERROR = {
  NONE: 0,
  OFFSET_OUT_OF_RANGE: 1,
  CORRUPT_BATCH: 2,
  BATCH_TOO_LARGE: 3,
  INVALID_REQUEST: 4,
  UNKNOWN_API: 5,
  FRAME_TOO_LARGE: 6,
  SERVING_UNAVAILABLE: 7,
  STORAGE_ERROR: 8,
} as const;
export type ErrorCode = (typeof ERROR)[keyof typeof ERROR];

/** Produce acknowledgement: after the append (page cache), or after fsync (on disk). */
export const ACKS = { APPEND: 1, FSYNC: 2 } as const;
export type Acks = (typeof ACKS)[keyof typeof ACKS];

/** Bytes of a request frame before the body: size + apiKey + correlationId. */
export const REQUEST_HEADER_BYTES = 9;
/** Bytes of a response frame before the body: size + correlationId + errorCode. */
export const RESPONSE_HEADER_BYTES = 10;
/** Bytes of a FETCH response body before the records. */
export const FETCH_RESPONSE_PREFIX_BYTES = 12;
/** Bytes of a FETCH request body. */
export const FETCH_REQUEST_BYTES = 16;

/** The name of an error code, for messages. */
export function errorName(code: number): string {
  return Object.entries(ERROR).find(([, v]) => v === code)?.[0] ?? `UNKNOWN_ERROR_${code}`;
}

/** Builds a request frame; called by the client. */
export function encodeRequest(apiKey: number, correlationId: number, body: Buffer = Buffer.alloc(0)): Buffer[] {
  const header = Buffer.allocUnsafe(REQUEST_HEADER_BYTES);
  header.writeUInt32BE(REQUEST_HEADER_BYTES - 4 + body.length, 0);
  header.writeUInt8(apiKey, 4);
  header.writeUInt32BE(correlationId, 5);
  return [header, body];
}

/** Builds the header of a response frame whose body is `bodyBytes` long; the broker writes the body after it. */
export function encodeResponseHeader(correlationId: number, errorCode: number, bodyBytes: number): Buffer {
  const header = Buffer.allocUnsafe(RESPONSE_HEADER_BYTES);
  header.writeUInt32BE(RESPONSE_HEADER_BYTES - 4 + bodyBytes, 0);
  header.writeUInt32BE(correlationId, 4);
  header.writeUInt16BE(errorCode, 8);
  return header;
}

/** Builds a whole error response: header + UTF-8 message. */
export function encodeErrorResponse(correlationId: number, errorCode: number, message: string): Buffer {
  const text = Buffer.from(message, "utf8");
  return Buffer.concat([encodeResponseHeader(correlationId, errorCode, text.length), text]);
}

/** Builds a FETCH request body. */
export function encodeFetchRequest(offset: number, maxBytes: number, maxWaitMs: number): Buffer {
  const body = Buffer.allocUnsafe(FETCH_REQUEST_BYTES);
  body.writeBigUInt64BE(BigInt(offset), 0);
  body.writeUInt32BE(maxBytes, 8);
  body.writeUInt32BE(maxWaitMs, 12);
  return body;
}

/** A parsed FETCH request body, or a message saying what is wrong with it. */
export function decodeFetchRequest(body: Buffer): { offset: number; maxBytes: number; maxWaitMs: number } | string {
  if (body.length !== FETCH_REQUEST_BYTES) return `FETCH body must be ${FETCH_REQUEST_BYTES} bytes (offset u64, maxBytes u32, maxWaitMs u32), got ${body.length}`;
  const offset = body.readBigUInt64BE(0);
  return {
    offset: offset > BigInt(Number.MAX_SAFE_INTEGER) ? Number.POSITIVE_INFINITY : Number(offset),
    maxBytes: body.readUInt32BE(8),
    maxWaitMs: body.readUInt32BE(12),
  };
}

/** Events of the frame reader: a whole frame, or a size that cannot be a frame. */
export type FrameEvent = { kind: "frame"; frame: Buffer } | { kind: "bad-size"; size: number; head: Buffer };

/**
 * Cuts a TCP byte stream into frames (size-prefixed). Keeps received chunks in a list and joins them only
 * once a whole frame is there, so a 1 MiB response is copied once, not once per chunk.
 */
export class FrameReader {
  private chunks: Buffer[] = [];
  private buffered = 0;
  private failed = false;

  constructor(
    private readonly minSize: number,
    private readonly maxSize: number,
  ) {}

  /** Feeds received bytes; returns every frame they complete, or a bad-size event after which the stream is dead. */
  push(chunk: Buffer): FrameEvent[] {
    if (this.failed) return [];
    this.chunks.push(chunk);
    this.buffered += chunk.length;
    const events: FrameEvent[] = [];
    while (this.buffered >= 4) {
      const size = this.peekSize();
      if (size < this.minSize || size > this.maxSize) {
        this.failed = true;
        events.push({ kind: "bad-size", size, head: this.take(Math.min(this.buffered, REQUEST_HEADER_BYTES)) });
        return events;
      }
      if (this.buffered < 4 + size) break;
      events.push({ kind: "frame", frame: this.take(4 + size) });
    }
    return events;
  }

  /** Reads the u32 size prefix across chunk boundaries. */
  private peekSize(): number {
    if (this.chunks[0].length >= 4) return this.chunks[0].readUInt32BE(0);
    const joined = Buffer.concat(this.chunks);
    this.chunks = [joined];
    return joined.readUInt32BE(0);
  }

  /** Removes and returns the first `n` buffered bytes. */
  private take(n: number): Buffer {
    const first = this.chunks[0];
    if (first.length >= n) {
      this.chunks[0] = first.subarray(n);
      if (this.chunks[0].length === 0) this.chunks.shift();
      this.buffered -= n;
      return first.subarray(0, n);
    }
    const joined = Buffer.concat(this.chunks, this.buffered);
    this.chunks = joined.length > n ? [joined.subarray(n)] : [];
    this.buffered -= n;
    return joined.subarray(0, n);
  }
}
