// A producer: sends numbered records in batches over one connection, keeping a few requests in flight
// (Kafka: max.in.flight.requests.per.connection, default 5), and counts what the broker acknowledged.
import { BrokerClient } from "./client";
import { encodeBatch } from "./record-batch";
import { Acks, ACKS } from "./protocol";
import { makeRecordValue } from "./test-records";

/** What a producer sends. */
export interface ProduceOptions {
  port: number;
  producerId: number;
  records: number;
  recordBytes: number;
  recordsPerBatch: number;
  acks?: Acks;
  inflight?: number;
  /** Resolve with what was acknowledged when the broker goes away, instead of rejecting (crash test). */
  tolerateDisconnect?: boolean;
}

/** What a producer got acknowledged: records 0 .. acked-1, at the listed base offsets. */
export interface ProduceResult {
  producerId: number;
  acked: number;
  batches: number;
  bytes: number;
  /** Base offset and record count of every acknowledged batch, in order. */
  ackedBatches: { baseOffset: number; records: number }[];
  disconnected: string | null;
}

/** Produces `records` numbered records; resolves when all are acknowledged (or the broker went away, if tolerated). */
export async function produceRecords(options: ProduceOptions): Promise<ProduceResult> {
  const { producerId, records, recordBytes, recordsPerBatch } = options;
  const acks = options.acks ?? ACKS.APPEND;
  const inflight = options.inflight ?? 5;
  const client = await BrokerClient.connect(options.port);
  const result: ProduceResult = { producerId, acked: 0, batches: 0, bytes: 0, ackedBatches: [], disconnected: null };
  const window = new Set<Promise<void>>();
  let failure: Error | null = null;
  try {
    for (let seq = 0; seq < records && !failure; seq += recordsPerBatch) {
      const count = Math.min(recordsPerBatch, records - seq);
      const batch = encodeBatch(Array.from({ length: count }, (_, i) => makeRecordValue(producerId, seq + i, recordBytes)));
      const sent = client.produce(batch, acks).then(
        (baseOffset) => {
          // Responses arrive in request order, so acknowledged records are always a prefix 0 .. acked-1.
          result.acked += count;
          result.batches++;
          result.bytes += batch.length;
          result.ackedBatches.push({ baseOffset, records: count });
        },
        (error: Error) => {
          failure ??= error;
        },
      );
      window.add(sent);
      sent.finally(() => window.delete(sent));
      if (window.size >= inflight) await Promise.race(window);
    }
    await Promise.all(window);
  } finally {
    client.close();
  }
  if (failure) {
    if (!options.tolerateDisconnect) throw failure;
    result.disconnected = (failure as Error).message;
  }
  return result;
}
