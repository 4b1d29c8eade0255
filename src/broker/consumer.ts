// A consumer: fetches from an offset until a target offset, checks every batch's CRC32C and that offsets run
// on without gaps, and hands each record (at or after the requested offset) to a callback.
import { BrokerClient } from "./client";
import { checkBatch } from "./record-batch";
import { MiB } from "../units/sizes";

/** Where a consumer reads and how. */
export interface ConsumeOptions {
  port: number;
  fromOffset: number;
  /** Stop once every record below this offset has been received. */
  untilOffset: number;
  maxBytes?: number;
  /** Long-poll wait at the log end, for tailing consumers. */
  maxWaitMs?: number;
  /** Give up (reject) if no progress for this long. */
  stallMs?: number;
  onRecord?: (value: Buffer, offset: number) => void;
}

/** What one consumer did. */
export interface ConsumeResult {
  records: number;
  batches: number;
  fetches: number;
  emptyFetches: number;
  /** Record bytes received in fetch responses (whole batches, CRC-checked). */
  bytesFetched: number;
  nextOffset: number;
}

/** Reads records [fromOffset, untilOffset) from the broker, verifying each batch; rejects on any inconsistency. */
export async function consumeRecords(options: ConsumeOptions): Promise<ConsumeResult> {
  const maxBytes = options.maxBytes ?? MiB;
  const client = await BrokerClient.connect(options.port);
  const result: ConsumeResult = { records: 0, batches: 0, fetches: 0, emptyFetches: 0, bytesFetched: 0, nextOffset: options.fromOffset };
  let lastProgress = Date.now();
  try {
    while (result.nextOffset < options.untilOffset) {
      const { records } = await client.fetch(result.nextOffset, maxBytes, options.maxWaitMs ?? 0);
      result.fetches++;
      result.bytesFetched += records.length;
      if (records.length === 0) {
        result.emptyFetches++;
        if (Date.now() - lastProgress > (options.stallMs ?? 30_000)) {
          throw new Error(`consumer stalled at offset ${result.nextOffset} (waiting for ${options.untilOffset})`);
        }
        if (!options.maxWaitMs) await new Promise((r) => setTimeout(r, 1));
        continue;
      }
      lastProgress = Date.now();
      readBatches(records, result, options);
    }
  } finally {
    client.close();
  }
  return result;
}

/** Walks the whole batches of one fetch response; records below nextOffset (start of the first batch) are skipped. */
function readBatches(records: Buffer, result: ConsumeResult, options: ConsumeOptions): void {
  let at = 0;
  let first = true;
  while (at < records.length) {
    const values: Buffer[] = [];
    const batch = checkBatch(records, at, values); // throws on a bad CRC or framing
    const end = batch.baseOffset + batch.recordCount;
    // Kafka returns whole batches, so the first may start before the requested offset; later ones must follow on.
    const inPlace = first ? batch.baseOffset <= result.nextOffset && result.nextOffset < end : batch.baseOffset === result.nextOffset;
    if (!inPlace) throw new Error(`batch [${batch.baseOffset}, ${end}) does not continue at offset ${result.nextOffset}`);
    for (let i = result.nextOffset - batch.baseOffset; i < batch.recordCount; i++) {
      const offset = batch.baseOffset + i;
      if (offset >= options.untilOffset) break;
      options.onRecord?.(values[i], offset);
      result.records++;
    }
    result.nextOffset = end;
    result.batches++;
    at += batch.size;
    first = false;
    if (end >= options.untilOffset) break;
  }
}
