// The record batch: the unit a producer sends, the log stores and a consumer receives, byte for byte the same.
//
//   field         bytes  notes
//   baseOffset      8    u64 BE, offset of the first record; the broker assigns it on append
//   batchLength     4    u32 BE, bytes that follow this field (crc .. end of records)
//   crc             4    u32 BE, CRC32C of every byte after this field (recordCount .. end)
//   recordCount     4    u32 BE, >= 1; record i has offset baseOffset + i
//   records         *    recordCount x ( valueLength u32 BE | value bytes )
//
// Like Kafka's format v2 the CRC does not cover baseOffset, so the broker can stamp offsets without
// recomputing it. Kafka docs (Record Batch): "The CRC covers the data from the attributes to the end of
// the batch (i.e. all the bytes that follow the CRC)." Kafka's batch also carries magic, epoch, attributes,
// timestamps and producer ids; this teaching format keeps only what the log needs.
import { crc32c } from "./crc32c";

/** Bytes before the records: baseOffset + batchLength + crc + recordCount. */
export const BATCH_HEADER_BYTES = 20;
/** Bytes of the fixed prefix that locates a batch in a file: baseOffset + batchLength. */
export const LOG_OVERHEAD = 12;
/** Bytes each record adds in front of its value. */
export const RECORD_OVERHEAD = 4;

/** Where the fields sit inside a batch. */
export const FIELD = { baseOffset: 0, batchLength: 8, crc: 12, recordCount: 16, records: 20 } as const;

/** What the header of a batch says, read without checking the CRC. */
export interface BatchHeader {
  baseOffset: number;
  /** Whole size of the batch in bytes, LOG_OVERHEAD + batchLength. */
  size: number;
  crc: number;
  recordCount: number;
}

/** A batch that passed every check, with its records' values as views into the batch bytes. */
export interface DecodedBatch extends BatchHeader {
  values: Buffer[];
}

/** Why a batch was rejected; the broker turns this into a CORRUPT_BATCH error, recovery into a truncation. */
export class BatchFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "BatchFormatError";
  }
}

/** Builds a batch holding `values` at `baseOffset` (producers pass 0, the broker restamps); called by clients and tests. */
export function encodeBatch(values: Uint8Array[], baseOffset = 0): Buffer {
  if (values.length === 0) throw new RangeError("a record batch needs at least one record");
  const size = BATCH_HEADER_BYTES + values.reduce((sum, v) => sum + RECORD_OVERHEAD + v.length, 0);
  const batch = Buffer.allocUnsafe(size);
  writeBaseOffset(batch, baseOffset);
  batch.writeUInt32BE(size - LOG_OVERHEAD, FIELD.batchLength);
  batch.writeUInt32BE(values.length, FIELD.recordCount);
  let at = FIELD.records;
  for (const value of values) {
    batch.writeUInt32BE(value.length, at);
    batch.set(value, at + RECORD_OVERHEAD);
    at += RECORD_OVERHEAD + value.length;
  }
  batch.writeUInt32BE(crc32c(batch, FIELD.recordCount, size), FIELD.crc);
  return batch;
}

/** Writes a u64 offset into the first 8 bytes; the broker calls it to assign offsets on append. */
export function writeBaseOffset(batch: Buffer, baseOffset: number): void {
  batch.writeBigUInt64BE(BigInt(baseOffset), FIELD.baseOffset);
}

/** Reads the header at `at` without validating the body; returns null when fewer than 20 bytes remain. */
export function readBatchHeader(bytes: Buffer, at = 0): BatchHeader | null {
  if (bytes.length - at < BATCH_HEADER_BYTES) return null;
  const offset = bytes.readBigUInt64BE(at + FIELD.baseOffset);
  return {
    baseOffset: offset > BigInt(Number.MAX_SAFE_INTEGER) ? Number.NaN : Number(offset),
    size: LOG_OVERHEAD + bytes.readUInt32BE(at + FIELD.batchLength),
    crc: bytes.readUInt32BE(at + FIELD.crc),
    recordCount: bytes.readUInt32BE(at + FIELD.recordCount),
  };
}

/** Checks one whole batch at `at` (sizes, CRC, record framing) and returns its records; throws BatchFormatError. */
export function decodeBatch(bytes: Buffer, at = 0): DecodedBatch {
  const values: Buffer[] = [];
  const header = checkBatch(bytes, at, values);
  return { ...header, values };
}

/**
 * Checks one whole batch at `at` without copying it: sizes, CRC32C, record framing; returns its header.
 * The broker calls it on every produce (Kafka validates batches on the broker too); pass `values` to collect records.
 */
export function checkBatch(bytes: Buffer, at = 0, values?: Buffer[]): BatchHeader {
  const header = readBatchHeader(bytes, at);
  if (!header) throw new BatchFormatError(`batch is ${bytes.length - at} bytes, shorter than its ${BATCH_HEADER_BYTES}-byte header`);
  if (!Number.isSafeInteger(header.baseOffset)) throw new BatchFormatError("baseOffset is beyond 2^53");
  if (header.size < BATCH_HEADER_BYTES) throw new BatchFormatError(`batchLength ${header.size - LOG_OVERHEAD} is below the minimum ${BATCH_HEADER_BYTES - LOG_OVERHEAD}`);
  const end = at + header.size;
  if (end > bytes.length) throw new BatchFormatError(`batchLength says ${header.size} bytes but only ${bytes.length - at} are there`);
  const actual = crc32c(bytes, at + FIELD.recordCount, end);
  if (actual !== header.crc) {
    throw new BatchFormatError(`CRC32C mismatch: header says ${hex(header.crc)}, bytes give ${hex(actual)}`);
  }
  if (header.recordCount < 1) throw new BatchFormatError("recordCount is 0; a batch holds at least one record");
  walkRecords(bytes, at + FIELD.records, end, header.recordCount, values);
  return header;
}

/** Walks a batch body's records, checking they fill it exactly; collects their values into `values` if given. */
function walkRecords(bytes: Buffer, start: number, end: number, count: number, values?: Buffer[]): void {
  let at = start;
  for (let i = 0; i < count; i++) {
    if (at + RECORD_OVERHEAD > end) throw new BatchFormatError(`record ${i} of ${count} starts past the batch end`);
    const length = bytes.readUInt32BE(at);
    if (at + RECORD_OVERHEAD + length > end) throw new BatchFormatError(`record ${i} of ${count} (${length} bytes) runs past the batch end`);
    values?.push(bytes.subarray(at + RECORD_OVERHEAD, at + RECORD_OVERHEAD + length));
    at += RECORD_OVERHEAD + length;
  }
  if (at !== end) throw new BatchFormatError(`${end - at} bytes after the last of ${count} records`);
}

/** Formats a CRC for error messages. */
function hex(n: number): string {
  return "0x" + n.toString(16).toUpperCase().padStart(8, "0");
}
