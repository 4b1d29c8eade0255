// Builds RecordBatch v2 the way a producer does: records appended into one buffer, the header written and
// the CRC32C computed once at the end. No compression, CreateTime timestamps, not idempotent
// (producerId -1), partitionLeaderEpoch -1 ("unknown", as the Java producer sends it).
import { FIELD, BATCH_HEADER_BYTES, LOG_OVERHEAD, MAGIC, computeBatchCrc } from "./record-batch";
import { varintSize, writeVarint } from "./varint";
import type { RecordHeader } from "./records";
import { MiB } from "../../units/sizes";

/** What one append carries. */
export interface RecordInput {
  key?: Uint8Array | null;
  value: Uint8Array | null;
  headers?: RecordHeader[];
  /** Milliseconds since the epoch; defaults to the batch's first timestamp. */
  timestamp?: number;
}

/** The builder starts with at most this much buffer and grows when a batch needs more. */
const INITIAL_BUFFER_LIMIT = MiB;

/** One batch being filled. Not thread-safe; reuse with reset() after build(). */
export class RecordBatchBuilder {
  private buffer: Buffer;
  private at = BATCH_HEADER_BYTES;
  private count = 0;
  private baseTimestamp = 0;
  private maxTimestamp = 0;

  /** `limitBytes`: the batch never grows past it, except that its first record always fits (like batch.size). */
  constructor(readonly limitBytes: number) {
    this.buffer = Buffer.allocUnsafe(Math.max(Math.min(limitBytes, INITIAL_BUFFER_LIMIT), BATCH_HEADER_BYTES + 64));
  }

  get recordCount(): number {
    return this.count;
  }

  /** Bytes the batch has now, header included. */
  get sizeInBytes(): number {
    return this.at;
  }

  /** Appends one record; false (nothing appended) if it would pass the limit of a non-empty batch. */
  tryAppend(record: RecordInput): boolean {
    const timestamp = record.timestamp ?? (this.count === 0 ? Date.now() : this.baseTimestamp);
    if (this.count === 0) this.baseTimestamp = this.maxTimestamp = timestamp;
    const key = record.key ?? null;
    const value = record.value;
    const headers = record.headers ?? [];
    const timestampDelta = timestamp - this.baseTimestamp;
    let bodySize = 1 + varintSize(timestampDelta) + varintSize(this.count);
    bodySize += key ? varintSize(key.length) + key.length : 1;
    bodySize += value ? varintSize(value.length) + value.length : 1;
    bodySize += varintSize(headers.length);
    const encodedKeys = headers.map((h) => Buffer.from(h.key, "utf8"));
    headers.forEach((h, i) => {
      bodySize += varintSize(encodedKeys[i].length) + encodedKeys[i].length + (h.value ? varintSize(h.value.length) + h.value.length : 1);
    });
    const size = varintSize(bodySize) + bodySize;
    if (this.count > 0 && this.at + size > this.limitBytes) return false;
    this.ensure(size);
    const b = this.buffer;
    let at = writeVarint(b, this.at, bodySize);
    b[at++] = 0; // attributes
    at = writeVarint(b, at, timestampDelta);
    at = writeVarint(b, at, this.count); // offsetDelta
    at = writeBytes(b, at, key);
    at = writeBytes(b, at, value);
    at = writeVarint(b, at, headers.length);
    headers.forEach((h, i) => {
      at = writeBytes(b, at, encodedKeys[i]);
      at = writeBytes(b, at, h.value);
    });
    this.at = at;
    this.count++;
    if (timestamp > this.maxTimestamp) this.maxTimestamp = timestamp;
    return true;
  }

  /**
   * Fast path for the benchmark's producers: a record with no key and no headers whose `valueLength`-byte
   * value `fill` writes in place. Same rule as tryAppend for the limit.
   */
  tryAppendValue(valueLength: number, fill: (buffer: Buffer, at: number) => void): boolean {
    const offsetDelta = this.count;
    if (offsetDelta === 0) this.baseTimestamp = this.maxTimestamp = Date.now();
    const bodySize = 1 + 1 + varintSize(offsetDelta) + 1 + varintSize(valueLength) + valueLength + 1;
    const size = varintSize(bodySize) + bodySize;
    if (this.count > 0 && this.at + size > this.limitBytes) return false;
    this.ensure(size);
    const b = this.buffer;
    let at = writeVarint(b, this.at, bodySize);
    b[at++] = 0; // attributes
    b[at++] = 0; // timestampDelta 0
    at = writeVarint(b, at, offsetDelta);
    b[at++] = 1; // key length -1 (zigzag 1): null
    at = writeVarint(b, at, valueLength);
    fill(b, at);
    at += valueLength;
    b[at++] = 0; // no headers
    this.at = at;
    this.count++;
    return true;
  }

  /** Writes the header and CRC and returns the batch as a new Buffer (the builder can be reset and reused). */
  build(): Buffer {
    if (this.count === 0) throw new RangeError("a record batch needs at least one record");
    const b = this.buffer;
    b.writeBigInt64BE(0n, FIELD.baseOffset);
    b.writeInt32BE(this.at - LOG_OVERHEAD, FIELD.batchLength);
    b.writeInt32BE(-1, FIELD.partitionLeaderEpoch);
    b.writeInt8(MAGIC, FIELD.magic);
    b.writeInt16BE(0, FIELD.attributes);
    b.writeInt32BE(this.count - 1, FIELD.lastOffsetDelta);
    b.writeBigInt64BE(BigInt(this.baseTimestamp), FIELD.baseTimestamp);
    b.writeBigInt64BE(BigInt(this.maxTimestamp), FIELD.maxTimestamp);
    b.writeBigInt64BE(-1n, FIELD.producerId);
    b.writeInt16BE(-1, FIELD.producerEpoch);
    b.writeInt32BE(-1, FIELD.baseSequence);
    b.writeInt32BE(this.count, FIELD.recordCount);
    b.writeUInt32BE(computeBatchCrc(b, 0, this.at), FIELD.crc);
    return Buffer.from(b.subarray(0, this.at));
  }

  /** Empties the builder for the next batch. */
  reset(): void {
    this.at = BATCH_HEADER_BYTES;
    this.count = 0;
  }

  /** Grows the buffer when the next record does not fit in it (the limit was checked by the caller). */
  private ensure(size: number): void {
    if (this.at + size <= this.buffer.length) return;
    const grown = Buffer.allocUnsafe(Math.max(this.buffer.length * 2, this.at + size));
    this.buffer.copy(grown, 0, 0, this.at);
    this.buffer = grown;
  }
}

/** Writes varint length + bytes (or -1 for null). */
function writeBytes(b: Buffer, at: number, bytes: Uint8Array | null): number {
  if (bytes === null) return writeVarint(b, at, -1);
  at = writeVarint(b, at, bytes.length);
  b.set(bytes, at);
  return at + bytes.length;
}

/** One batch holding `records`: for tests and small producers. */
export function buildBatch(records: RecordInput[]): Buffer {
  const builder = new RecordBatchBuilder(Number.MAX_SAFE_INTEGER);
  for (const record of records) builder.tryAppend(record);
  return builder.build();
}
