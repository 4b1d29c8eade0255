// The records the experiment and tests produce: each says who sent it and in which order, so a consumer
// can prove it got every acknowledged record exactly once, in order, with the right bytes.
//
//   record value = producerId u32 BE | seq u32 BE | filler, every filler byte = (producerId * 31 + seq) & 0xff

/** Bytes of the identifying prefix of every record value. */
export const RECORD_ID_BYTES = 8;

/** The filler byte of a record, derived from its identity. */
function fillerByte(producerId: number, seq: number): number {
  return (producerId * 31 + seq) & 0xff;
}

/** Builds the value of record `seq` of producer `producerId`, `bytes` long (>= 8); producers call it. */
export function makeRecordValue(producerId: number, seq: number, bytes: number): Buffer {
  const value = Buffer.allocUnsafe(Math.max(bytes, RECORD_ID_BYTES));
  value.writeUInt32BE(producerId, 0);
  value.writeUInt32BE(seq, 4);
  value.fill(fillerByte(producerId, seq), RECORD_ID_BYTES);
  return value;
}

/**
 * Tracks what one consumer received: per producer the next expected seq. Any gap, duplicate, reorder
 * or wrong filler is an error at once; compare() checks the totals against what producers got acknowledged.
 */
export class DeliveryLedger {
  readonly nextSeq = new Map<number, number>();
  records = 0;

  /** Checks one received record value; throws naming the first thing that is wrong. */
  receive(value: Buffer, offset: number): void {
    if (value.length < RECORD_ID_BYTES) throw new Error(`record at offset ${offset} is ${value.length} bytes, too short to identify`);
    const producerId = value.readUInt32BE(0);
    const seq = value.readUInt32BE(4);
    const expected = this.nextSeq.get(producerId) ?? 0;
    if (seq !== expected) {
      const what = seq < expected ? "duplicate or reordered" : "gap";
      throw new Error(`offset ${offset}: producer ${producerId} record ${seq} arrived, expected ${expected} (${what})`);
    }
    const filler = fillerByte(producerId, seq);
    if (value.length > RECORD_ID_BYTES && (value[RECORD_ID_BYTES] !== filler || value[value.length - 1] !== filler)) {
      throw new Error(`offset ${offset}: producer ${producerId} record ${seq} has wrong content`);
    }
    this.nextSeq.set(producerId, seq + 1);
    this.records++;
  }

  /** Problems with the totals: a producer's acknowledged records that never arrived. Empty = exactly once. */
  missing(acked: Map<number, number>): string[] {
    const problems: string[] = [];
    for (const [producerId, count] of acked) {
      const got = this.nextSeq.get(producerId) ?? 0;
      if (got < count) problems.push(`producer ${producerId}: ${count} acknowledged, ${got} received`);
    }
    return problems;
  }
}
