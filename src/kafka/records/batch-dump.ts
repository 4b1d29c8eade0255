// A record batch taken apart field by field, with the byte position and size of each field: what a
// segment file really holds. Chapter 6 shows the first batch of a segment with it; `workbook broker`'s
// data folder can be inspected the same way (dumpFirstBatch("<dir>/<topic>-0/00000000000000000000.log")).
import * as fs from "fs";
import { FIELD, BATCH_HEADER_BYTES, readBatchHeader, computeBatchCrc, hex } from "./record-batch";
import { VarintCursor } from "./varint";

/** One field of the dump. */
export interface DumpRow {
  /** Byte position from the start of the batch. */
  position: number;
  size: number;
  field: string;
  value: string;
  note: string;
}

/** How many bytes of a key or value to show. */
const PREVIEW_BYTES = 24;

/** The batch at bytes[at, ...) as rows: the 61-byte header, then every field of every record (uncompressed). */
export function dumpBatch(bytes: Buffer, at = 0): DumpRow[] {
  const h = readBatchHeader(bytes, at);
  const crc = computeBatchCrc(bytes, at, h.sizeInBytes);
  const row = (field: keyof typeof FIELD, size: number, value: string | number, note = ""): DumpRow => ({ position: FIELD[field], size, field, value: String(value), note });
  const rows: DumpRow[] = [
    row("baseOffset", 8, h.baseOffset, "offset of the first record; stamped by the broker, outside the CRC"),
    row("batchLength", 4, h.sizeInBytes - 12, `bytes after this field: the batch is ${h.sizeInBytes} bytes`),
    row("partitionLeaderEpoch", 4, h.partitionLeaderEpoch, "stamped by the broker, outside the CRC"),
    row("magic", 1, h.magic, "message format v2"),
    row("crc", 4, hex(h.crc), crc === h.crc ? `CRC32C of bytes ${FIELD.attributes}..${h.sizeInBytes - 1}: valid` : `MISMATCH: the bytes give ${hex(crc)}`),
    row("attributes", 2, `0x${h.attributes.toString(16).padStart(4, "0")}`, `compression ${h.compression}, ${h.timestampType}${h.isTransactional ? ", transactional" : ""}${h.isControl ? ", control" : ""}`),
    row("lastOffsetDelta", 4, h.lastOffsetDelta, `last offset ${h.baseOffset + h.lastOffsetDelta}`),
    row("baseTimestamp", 8, h.baseTimestamp, new Date(h.baseTimestamp).toISOString()),
    row("maxTimestamp", 8, h.maxTimestamp, new Date(h.maxTimestamp).toISOString()),
    row("producerId", 8, h.producerId, h.producerId < 0 ? "not an idempotent producer" : ""),
    row("producerEpoch", 2, h.producerEpoch, ""),
    row("baseSequence", 4, h.baseSequence, ""),
    row("recordCount", 4, h.recordCount, ""),
  ];
  if (h.compression !== "none") {
    rows.push({ position: BATCH_HEADER_BYTES, size: h.sizeInBytes - BATCH_HEADER_BYTES, field: "records", value: `${h.recordCount} records`, note: `${h.compression}-compressed` });
    return rows;
  }
  const cursor = new VarintCursor(bytes, at + BATCH_HEADER_BYTES, at + h.sizeInBytes);
  const varintRow = (field: string, read: () => number, note: (v: number) => string = () => ""): number => {
    const start = cursor.at;
    const v = read();
    rows.push({ position: start - at, size: cursor.at - start, field, value: String(v), note: note(v) });
    return v;
  };
  const bytesRow = (field: string, length: number): void => {
    if (length < 0) return;
    const start = cursor.at;
    cursor.at += length;
    rows.push({ position: start - at, size: length, field, value: preview(bytes.subarray(start, start + length)), note: "" });
  };
  for (let i = 0; i < h.recordCount; i++) {
    const p = `record[${i}].`;
    varintRow(p + "length", () => cursor.varint(), (v) => "varint: bytes after this field");
    rows.push({ position: cursor.at - at, size: 1, field: p + "attributes", value: String(bytes[cursor.at]), note: "unused" });
    cursor.at++;
    varintRow(p + "timestampDelta", () => cursor.varlong(), (v) => `varlong: timestamp ${h.baseTimestamp + v}`);
    varintRow(p + "offsetDelta", () => cursor.varint(), (v) => `varint: offset ${h.baseOffset + v}`);
    bytesRow(p + "key", varintRow(p + "keyLength", () => cursor.varint(), (v) => (v < 0 ? "null key" : "")));
    bytesRow(p + "value", varintRow(p + "valueLength", () => cursor.varint(), (v) => (v < 0 ? "null value" : "")));
    const headers = varintRow(p + "headerCount", () => cursor.varint());
    for (let k = 0; k < headers; k++) {
      bytesRow(`${p}header[${k}].key`, varintRow(`${p}header[${k}].keyLength`, () => cursor.varint()));
      bytesRow(`${p}header[${k}].value`, varintRow(`${p}header[${k}].valueLength`, () => cursor.varint(), (v) => (v < 0 ? "null" : "")));
    }
  }
  return rows;
}

/** The first batch of a segment file, dumped; throws a one-line error if the file holds no whole batch. */
export function dumpFirstBatch(logFile: string): DumpRow[] {
  const fd = fs.openSync(logFile, "r");
  try {
    const head = Buffer.alloc(BATCH_HEADER_BYTES);
    const n = fs.readSync(fd, head, 0, BATCH_HEADER_BYTES, 0);
    if (n < BATCH_HEADER_BYTES) throw new Error(`${logFile} holds ${n} bytes, less than one batch header (${BATCH_HEADER_BYTES})`);
    const size = readBatchHeader(head).sizeInBytes;
    const batch = Buffer.alloc(size);
    if (fs.readSync(fd, batch, 0, size, 0) < size) throw new Error(`${logFile}: the first batch (${size} bytes) is cut short`);
    return dumpBatch(batch);
  } finally {
    fs.closeSync(fd);
  }
}

/** The rows as an aligned text table. */
export function formatDump(rows: DumpRow[]): string[] {
  const head = ["bytes", "field", "value", "note"];
  const cells = rows.map((r) => [`${r.position}..${r.position + r.size - 1}`, r.field, r.value, r.note]);
  const widths = head.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i].length)));
  const line = (c: string[]) => c.map((cell, i) => cell.padEnd(widths[i])).join("  ").trimEnd();
  return [line(head), ...cells.map(line)];
}

/** Printable text in quotes, or hex, cut to PREVIEW_BYTES. */
function preview(bytes: Buffer): string {
  const shown = bytes.subarray(0, PREVIEW_BYTES);
  const printable = shown.every((b) => b >= 0x20 && b < 0x7f);
  const text = printable ? JSON.stringify(shown.toString("latin1")) : shown.toString("hex");
  return bytes.length > PREVIEW_BYTES ? `${text}... (${bytes.length} bytes)` : text;
}
