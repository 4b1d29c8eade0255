// Kafka's RecordBatch, message format v2 ("magic 2"): the unit a producer sends, the log stores and a
// consumer receives, byte for byte the same. https://kafka.apache.org/documentation/#recordbatch
//
//   offset  bytes  field                 notes
//    0       8     baseOffset            the broker stamps it on append (producers send 0)
//    8       4     batchLength           bytes after this field: the whole batch is 12 + batchLength
//   12       4     partitionLeaderEpoch  the broker stamps it too
//   16       1     magic                 2
//   17       4     crc                   CRC32C (unsigned) of every byte from attributes to the end
//   21       2     attributes            bits 0-2 compression, 3 timestamp type, 4 transactional, 5 control
//   23       4     lastOffsetDelta       recordCount - 1 for a batch as a producer builds it
//   27       8     baseTimestamp
//   35       8     maxTimestamp
//   43       8     producerId            -1 unless idempotent
//   51       2     producerEpoch
//   53       4     baseSequence
//   57       4     recordCount
//   61       ...   records               each: varint length, attributes, varlong timestampDelta,
//                                        varint offsetDelta, key, value, headers (see records.ts)
//
// The CRC starts at attributes (byte 21), after baseOffset and partitionLeaderEpoch: so the broker can
// stamp both and store the batch exactly as the client sent it, and a consumer can check it end to end.
import { crc32c } from "./crc32c";
import { VarintCursor } from "./varint";
import { MalformedMessage } from "../protocol/wire-reader";

/** Where each header field starts. */
export const FIELD = {
  baseOffset: 0,
  batchLength: 8,
  partitionLeaderEpoch: 12,
  magic: 16,
  crc: 17,
  attributes: 21,
  lastOffsetDelta: 23,
  baseTimestamp: 27,
  maxTimestamp: 35,
  producerId: 43,
  producerEpoch: 51,
  baseSequence: 53,
  recordCount: 57,
  records: 61,
} as const;

/** Bytes before the first record. */
export const BATCH_HEADER_BYTES = 61;
/** baseOffset + batchLength: the prefix that says where the next batch starts (Kafka's LOG_OVERHEAD). */
export const LOG_OVERHEAD = 12;
/** The only format this broker stores. */
export const MAGIC = 2;

/** Compression codecs in attributes bits 0-2. */
export const COMPRESSION = ["none", "gzip", "snappy", "lz4", "zstd"] as const;
export type Compression = (typeof COMPRESSION)[number];

const ATTRIBUTE_COMPRESSION_MASK = 0x07;
const ATTRIBUTE_TIMESTAMP_TYPE = 0x08;
const ATTRIBUTE_TRANSACTIONAL = 0x10;
const ATTRIBUTE_CONTROL = 0x20;

/** The header of one batch, as numbers. */
export interface BatchHeader {
  baseOffset: number;
  /** The whole batch in bytes: LOG_OVERHEAD + batchLength. */
  sizeInBytes: number;
  partitionLeaderEpoch: number;
  magic: number;
  crc: number;
  attributes: number;
  compression: Compression | "unknown";
  timestampType: "create-time" | "log-append-time";
  isTransactional: boolean;
  isControl: boolean;
  lastOffsetDelta: number;
  baseTimestamp: number;
  maxTimestamp: number;
  producerId: number;
  producerEpoch: number;
  baseSequence: number;
  recordCount: number;
}

/** A batch that breaks the format; `code` names the Kafka error a produce of it gets. */
export class InvalidBatch extends Error {
  constructor(
    readonly reason: "corrupt" | "unsupported-format" | "unsupported-feature",
    message: string,
  ) {
    super(message);
    this.name = "InvalidBatch";
  }
}

/** Reads an INT64 that must fit a JS number. */
function int64(bytes: Buffer, at: number): number {
  const high = bytes.readInt32BE(at);
  return high * 0x1_0000_0000 + bytes.readUInt32BE(at + 4);
}

/** baseOffset and size of the batch at `at`, from its first 12 bytes; the log walks files with it. */
export function batchExtent(bytes: Buffer, at = 0): { baseOffset: number; sizeInBytes: number } {
  return { baseOffset: int64(bytes, at + FIELD.baseOffset), sizeInBytes: LOG_OVERHEAD + bytes.readInt32BE(at + FIELD.batchLength) };
}

/** The whole header of the batch at `at` (needs BATCH_HEADER_BYTES); no checks. */
export function readBatchHeader(bytes: Buffer, at = 0): BatchHeader {
  const attributes = bytes.readInt16BE(at + FIELD.attributes);
  return {
    baseOffset: int64(bytes, at + FIELD.baseOffset),
    sizeInBytes: LOG_OVERHEAD + bytes.readInt32BE(at + FIELD.batchLength),
    partitionLeaderEpoch: bytes.readInt32BE(at + FIELD.partitionLeaderEpoch),
    magic: bytes.readInt8(at + FIELD.magic),
    crc: bytes.readUInt32BE(at + FIELD.crc),
    attributes,
    compression: COMPRESSION[attributes & ATTRIBUTE_COMPRESSION_MASK] ?? "unknown",
    timestampType: attributes & ATTRIBUTE_TIMESTAMP_TYPE ? "log-append-time" : "create-time",
    isTransactional: (attributes & ATTRIBUTE_TRANSACTIONAL) !== 0,
    isControl: (attributes & ATTRIBUTE_CONTROL) !== 0,
    lastOffsetDelta: bytes.readInt32BE(at + FIELD.lastOffsetDelta),
    baseTimestamp: int64(bytes, at + FIELD.baseTimestamp),
    maxTimestamp: int64(bytes, at + FIELD.maxTimestamp),
    producerId: int64(bytes, at + FIELD.producerId),
    producerEpoch: bytes.readInt16BE(at + FIELD.producerEpoch),
    baseSequence: bytes.readInt32BE(at + FIELD.baseSequence),
    recordCount: bytes.readInt32BE(at + FIELD.recordCount),
  };
}

/** The CRC32C the batch at [at, at + size) should carry: over attributes .. end. */
export function computeBatchCrc(bytes: Buffer, at: number, sizeInBytes: number): number {
  return crc32c(bytes, at + FIELD.attributes, at + sizeInBytes);
}

/**
 * Checks one batch that fills bytes[at, at + length) exactly, as Kafka's LogValidator does for a client's
 * append of an uncompressed v2 batch: sizes, magic 2, CRC32C, offsets consistent with the record count, and
 * (uncompressed) the records' framing and offset deltas. Compressed batches are stored as sent: their CRC
 * covers them, but their records are not walked (Kafka decompresses to validate; this broker does not).
 * Throws InvalidBatch; returns the header.
 */
export function validateBatch(bytes: Buffer, at: number, length: number): BatchHeader {
  if (length < BATCH_HEADER_BYTES) throw new InvalidBatch("corrupt", `record set of ${length} bytes is shorter than a ${BATCH_HEADER_BYTES}-byte batch header`);
  const magic = bytes.readInt8(at + FIELD.magic);
  if (magic !== MAGIC) throw new InvalidBatch("unsupported-format", `magic ${magic}: this broker stores RecordBatch v2 (magic 2) only; use Produce v3 or later`);
  const header = readBatchHeader(bytes, at);
  if (header.sizeInBytes !== length) {
    throw new InvalidBatch("corrupt", `batchLength says ${header.sizeInBytes} bytes, the record set has ${length}: exactly one batch per partition is allowed`);
  }
  const crc = computeBatchCrc(bytes, at, length);
  if (crc !== header.crc) throw new InvalidBatch("corrupt", `CRC32C mismatch: batch says ${hex(header.crc)}, its bytes give ${hex(crc)}`);
  if (header.recordCount < 1) throw new InvalidBatch("corrupt", `recordCount ${header.recordCount}: a batch holds at least one record`);
  if (header.lastOffsetDelta !== header.recordCount - 1) {
    throw new InvalidBatch("corrupt", `lastOffsetDelta ${header.lastOffsetDelta} does not match recordCount ${header.recordCount}`);
  }
  if (header.isTransactional || header.isControl) {
    throw new InvalidBatch("unsupported-feature", "transactional and control batches need transactions, which this broker does not implement");
  }
  if (header.compression === "unknown") throw new InvalidBatch("corrupt", `unknown compression codec ${header.attributes & ATTRIBUTE_COMPRESSION_MASK}`);
  if (header.compression === "none") walkRecords(bytes, at + FIELD.records, at + length, header.recordCount);
  return header;
}

/** Checks that `count` records fill [start, end) exactly and carry offset deltas 0, 1, 2, ... */
function walkRecords(bytes: Buffer, start: number, end: number, count: number): void {
  const cursor = new VarintCursor(bytes, start, end);
  try {
    for (let i = 0; i < count; i++) {
      const length = cursor.varint();
      const recordEnd = cursor.at + length;
      if (length < 0 || recordEnd > end) throw new InvalidBatch("corrupt", `record ${i} of ${count} (${length} bytes) runs past the batch end`);
      cursor.at++; // attributes (unused in v2)
      cursor.varlong(); // timestampDelta
      const offsetDelta = cursor.varint();
      if (offsetDelta !== i) throw new InvalidBatch("corrupt", `record ${i} of ${count} has offsetDelta ${offsetDelta}`);
      cursor.at = recordEnd;
    }
  } catch (error) {
    if (error instanceof MalformedMessage) throw new InvalidBatch("corrupt", error.message);
    throw error;
  }
  if (cursor.at !== end) throw new InvalidBatch("corrupt", `${end - cursor.at} bytes after the last of ${count} records`);
}

/** Assigns the batch its place in the log: the two fields the CRC does not cover. */
export function stampBatch(bytes: Buffer, at: number, baseOffset: number, partitionLeaderEpoch: number): void {
  const high = Math.floor(baseOffset / 0x1_0000_0000);
  bytes.writeInt32BE(high, at + FIELD.baseOffset);
  bytes.writeUInt32BE(baseOffset - high * 0x1_0000_0000, at + FIELD.baseOffset + 4);
  bytes.writeInt32BE(partitionLeaderEpoch, at + FIELD.partitionLeaderEpoch);
}

/** The batch's last offset. */
export function lastOffset(header: Pick<BatchHeader, "baseOffset" | "lastOffsetDelta">): number {
  return header.baseOffset + header.lastOffsetDelta;
}

/** "0x1A2B3C4D", for messages. */
export function hex(n: number): string {
  return "0x" + (n >>> 0).toString(16).toUpperCase().padStart(8, "0");
}
