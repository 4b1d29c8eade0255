// The records inside a RecordBatch v2 (https://kafka.apache.org/documentation/#record):
//
//   length            varint   bytes after this field
//   attributes        int8     unused (0)
//   timestampDelta    varlong  timestamp - the batch's baseTimestamp
//   offsetDelta       varint   offset - the batch's baseOffset
//   keyLength         varint   -1 = null key
//   key               bytes
//   valueLength       varint   -1 = null value
//   value             bytes
//   headersCount      varint
//   headers           each: varint keyLength, UTF-8 key, varint valueLength (-1 = null), value
//
// decodeRecords reads them for tests and the cross-client checks (batch-dump.ts shows them byte by byte); the broker never does more
// than walk them (record-batch.ts validateBatch), and the workbook's consumers read only what they check.
import * as zlib from "zlib";
import { VarintCursor } from "./varint";
import { FIELD, readBatchHeader, BatchHeader } from "./record-batch";

export interface RecordHeader {
  key: string;
  value: Buffer | null;
}

/** One record, with its absolute offset and timestamp. */
export interface KafkaRecord {
  offset: number;
  timestamp: number;
  key: Buffer | null;
  value: Buffer | null;
  headers: RecordHeader[];
}

/** The records of the batch at bytes[at, at + header.sizeInBytes), uncompressed or gzip. */
export function decodeRecords(bytes: Buffer, at = 0): KafkaRecord[] {
  const header = readBatchHeader(bytes, at);
  const body = recordsBody(bytes, at, header);
  const cursor = new VarintCursor(body.bytes, body.start, body.end);
  const out: KafkaRecord[] = [];
  for (let i = 0; i < header.recordCount; i++) {
    cursor.varint(); // length
    cursor.at++; // attributes
    const timestampDelta = cursor.varlong();
    const offsetDelta = cursor.varint();
    const keyLength = cursor.varint();
    const key = keyLength < 0 ? null : take(body.bytes, cursor, keyLength);
    const valueLength = cursor.varint();
    const value = valueLength < 0 ? null : take(body.bytes, cursor, valueLength);
    const headerCount = cursor.varint();
    const headers: RecordHeader[] = [];
    for (let h = 0; h < headerCount; h++) {
      const k = take(body.bytes, cursor, cursor.varint()).toString("utf8");
      const vLength = cursor.varint();
      headers.push({ key: k, value: vLength < 0 ? null : take(body.bytes, cursor, vLength) });
    }
    out.push({ offset: header.baseOffset + offsetDelta, timestamp: header.baseTimestamp + timestampDelta, key, value, headers });
  }
  return out;
}

/** The bytes the records live in: the batch itself, or its decompressed body. */
function recordsBody(bytes: Buffer, at: number, header: BatchHeader): { bytes: Buffer; start: number; end: number } {
  const start = at + FIELD.records;
  const end = at + header.sizeInBytes;
  if (header.compression === "none") return { bytes, start, end };
  if (header.compression === "gzip") {
    const inflated = zlib.gunzipSync(bytes.subarray(start, end));
    return { bytes: inflated, start: 0, end: inflated.length };
  }
  throw new Error(`records compressed with ${header.compression} cannot be decoded here (Node has gzip only); the batch is still stored and served as sent`);
}

/** A view of the next `n` bytes. */
function take(bytes: Buffer, cursor: VarintCursor, n: number): Buffer {
  const start = cursor.at;
  cursor.at += n;
  if (cursor.at > cursor.end) throw new RangeError(`record field of ${n} bytes runs past the batch end`);
  return bytes.subarray(start, start + n);
}
