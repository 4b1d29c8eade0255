// The records the fan-out experiment produces, and the check its consumers make. Every record's value
// starts with who wrote it and its number in that producer's sequence:
//
//   value[0..3]  producerId  uint32 BE
//   value[4..7]  sequence    uint32 BE, 0, 1, 2, ... per producer and partition
//   value[8..]   filler      up to recordBytes
//
// A consumer checks every batch's CRC32C (record-set.ts), then reads the first record of the batch: its
// sequence must be the next one expected from that producer. A producer's batch holds consecutive
// sequences and the CRC proves the batch arrived as built, so batch-level checks prove every record
// arrived exactly once and in order; walkRecords() checks each record too, for consumers that hand out
// records one by one.
import { VarintCursor } from "../kafka/records/varint";
import { FIELD } from "../kafka/records/record-batch";
import type { BatchView } from "../kafka/records/record-set";

/** Bytes of the id and sequence at the start of every value. */
export const RECORD_ID_BYTES = 8;

/** Writes a record's value in place: id, sequence, then a filler byte pattern. */
export function fillRecordValue(buffer: Buffer, at: number, valueBytes: number, producerId: number, sequence: number): void {
  buffer.writeUInt32BE(producerId, at);
  buffer.writeUInt32BE(sequence >>> 0, at + 4);
  buffer.fill(sequence & 0xff, at + RECORD_ID_BYTES, at + valueBytes);
}

/** The ledger's key for a producer's records in one partition: "producer/partition". */
export function ledgerKey(producerId: number, partition: number): string {
  return `${producerId}/${partition}`;
}

/** Per producer and partition: the next sequence expected. Throws at the first record out of place. */
export class DeliveryLedger {
  private readonly next = new Map<string, number>();
  records = 0;

  /** Checks one CRC-checked batch of `partition` by its first record (or every record with `walk`). */
  accept(bytes: Buffer, batch: BatchView, walk: boolean, partition = 0): void {
    const cursor = new VarintCursor(bytes, batch.start + FIELD.records, batch.start + batch.sizeInBytes);
    const first = readValueId(bytes, cursor);
    const key = ledgerKey(first.producerId, partition);
    const expected = this.next.get(key) ?? 0;
    if (first.sequence !== expected) {
      throw new Error(`producer ${first.producerId}, partition ${partition}: got sequence ${first.sequence} at offset ${batch.baseOffset}, expected ${expected} (${first.sequence < expected ? "a duplicate" : "records missing"})`);
    }
    if (walk) {
      for (let i = 1; i < batch.recordCount; i++) {
        const r = readValueId(bytes, cursor);
        if (r.producerId !== first.producerId || r.sequence !== expected + i) throw new Error(`record ${i} of the batch at offset ${batch.baseOffset} is (${r.producerId}, ${r.sequence}), expected (${first.producerId}, ${expected + i})`);
      }
    }
    this.next.set(key, expected + batch.recordCount);
    this.records += batch.recordCount;
  }

  /** "producer/partition" -> records received. */
  counts(): Record<string, number> {
    return Object.fromEntries(this.next);
  }
}

/** Reads one record's header and the id at the start of its value; leaves the cursor at the next record. */
function readValueId(bytes: Buffer, cursor: VarintCursor): { producerId: number; sequence: number } {
  const length = cursor.varint();
  const end = cursor.at + length;
  cursor.at++; // attributes
  cursor.varlong(); // timestampDelta
  cursor.varint(); // offsetDelta
  const keyLength = cursor.varint();
  if (keyLength > 0) cursor.at += keyLength;
  const valueLength = cursor.varint();
  if (valueLength < RECORD_ID_BYTES) throw new Error(`a record value of ${valueLength} bytes has no producer id and sequence: not a fan-out record`);
  const id = { producerId: bytes.readUInt32BE(cursor.at), sequence: bytes.readUInt32BE(cursor.at + 4) };
  cursor.at = end;
  return id;
}

/** Checks that all acknowledged records arrived: `received` against `acked`, both keyed "producer/partition". */
export function missingRecords(received: Record<string, number>, acked: Map<string, number>): string[] {
  const problems: string[] = [];
  for (const [key, count] of acked) {
    const got = received[key] ?? 0;
    if (got !== count) problems.push(`producer/partition ${key}: ${got} of ${count} acknowledged records`);
  }
  for (const key of Object.keys(received)) if (!acked.has(key)) problems.push(`records from unknown producer/partition ${key}`);
  return problems;
}
