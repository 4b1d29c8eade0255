// Reads the records part of a Fetch response the way a careful consumer does: batch by batch, every
// batch's magic and CRC32C checked, offsets contiguous from the fetch offset on. Kafka may cut the last
// batch of a response short (it sends max bytes, not whole batches): that partial batch is ignored and
// fetched again next time. Both kcat and kafkajs skip the CRC check by default; this reader never does.
import { FIELD, LOG_OVERHEAD, BATCH_HEADER_BYTES, MAGIC, computeBatchCrc, hex } from "./record-batch";

/** One whole, checked batch inside a fetched buffer. */
export interface BatchView {
  baseOffset: number;
  lastOffset: number;
  recordCount: number;
  /** Where the batch starts in the buffer, and its size. */
  start: number;
  sizeInBytes: number;
}

/** A record set that breaks the format or skips offsets. */
export class CorruptRecords extends Error {
  constructor(message: string) {
    super(message);
    this.name = "CorruptRecords";
  }
}

/**
 * The whole batches of bytes[start, end), checked, starting at `fetchOffset` (the first batch may begin
 * before it when the fetch started mid-batch). Returns them and the offset to fetch next.
 */
export function readRecordSet(bytes: Buffer, start: number, end: number, fetchOffset: number, checkCrc = true): { batches: BatchView[]; nextOffset: number } {
  const batches: BatchView[] = [];
  let next = fetchOffset;
  for (let at = start; at + LOG_OVERHEAD <= end; ) {
    const sizeInBytes = LOG_OVERHEAD + bytes.readInt32BE(at + FIELD.batchLength);
    if (at + sizeInBytes > end) break; // a partial batch at the end of the response
    if (sizeInBytes < BATCH_HEADER_BYTES) throw new CorruptRecords(`batch at byte ${at - start} claims ${sizeInBytes} bytes, less than a header`);
    const magic = bytes.readInt8(at + FIELD.magic);
    if (magic !== MAGIC) throw new CorruptRecords(`batch at byte ${at - start} has magic ${magic}, expected 2`);
    if (checkCrc) {
      const crc = computeBatchCrc(bytes, at, sizeInBytes);
      const stored = bytes.readUInt32BE(at + FIELD.crc);
      if (crc !== stored) throw new CorruptRecords(`batch at byte ${at - start}: CRC32C ${hex(crc)} of its bytes, ${hex(stored)} in its header`);
    }
    const baseOffset = bytes.readInt32BE(at) * 0x1_0000_0000 + bytes.readUInt32BE(at + 4);
    const lastOffset = baseOffset + bytes.readInt32BE(at + FIELD.lastOffsetDelta);
    const recordCount = bytes.readInt32BE(at + FIELD.recordCount);
    if (lastOffset >= next) {
      const expected = batches.length === 0 ? baseOffset <= next : baseOffset === next;
      if (!expected) throw new CorruptRecords(`offsets skip from ${next} to ${baseOffset}: records are missing`);
      batches.push({ baseOffset, lastOffset, recordCount, start: at, sizeInBytes });
      next = lastOffset + 1;
    }
    at += sizeInBytes;
  }
  return { batches, nextOffset: next };
}
