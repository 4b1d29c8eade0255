// End-to-end latency as Kafka's TestEndToEndLatency measures it: one process with a producer and a
// consumer, one record at a time; the time from sending a record to the consumer having it. The consumer
// keeps a fetch waiting at the broker (long-poll), so a record is answered as soon as it is appended.
// Producer acks=1, linger 0. Messages: kafka-child-messages.ts.
import { KafkaProducer } from "../kafka/client/producer";
import { KafkaConsumer } from "../kafka/client/consumer";
import { VarintCursor } from "../kafka/records/varint";
import { FIELD } from "../kafka/records/record-batch";
import type { ToLatencyChild, FromLatencyChild, LatencyJob } from "./kafka-child-messages";

function send(message: FromLatencyChild): void {
  process.send?.(message);
}

/** The sequence number at the start of a record's value (the first record of the batch). */
function firstSequence(bytes: Buffer, start: number, end: number): number {
  const c = new VarintCursor(bytes, start + FIELD.records, end);
  c.varint();
  c.at++;
  c.varlong();
  c.varint();
  const keyLength = c.varint();
  if (keyLength > 0) c.at += keyLength;
  c.varint();
  return bytes.readUInt32BE(c.at);
}

async function measure(job: LatencyJob): Promise<void> {
  const producer = await KafkaProducer.connect(job.bootstrap, { clientId: "latency-producer", acks: 1, lingerMs: 0, batchBytes: 16384 });
  const consumer = await KafkaConsumer.connect(job.bootstrap, { clientId: "latency-consumer", maxWaitMs: 500, minBytes: 1 });
  try {
    await producer.partitionsOf(job.topic);
    await consumer.assign([{ topic: job.topic, partition: 0, offset: "latest" }]);
    const arrived = new Map<number, bigint>();
    const waiting: { current: { sequence: number; wake: () => void } | null } = { current: null };
    let stop = false;
    // The consumer's fetch loop: always one fetch parked at the broker.
    const fetching = (async () => {
      while (!stop) {
        for (const f of await consumer.fetch()) {
          for (const b of f.batches) {
            const now = process.hrtime.bigint();
            for (let i = 0; i < b.recordCount; i++) arrived.set(firstSequence(f.bytes, b.start, b.start + b.sizeInBytes) + i, now);
          }
        }
        if (waiting.current && arrived.has(waiting.current.sequence)) waiting.current.wake();
      }
    })();
    const latencies: number[] = [];
    for (let sequence = 0; sequence < job.warmup + job.records; sequence++) {
      const begin = process.hrtime.bigint();
      producer.appendValue(job.topic, 0, job.recordBytes, (b, at) => {
        b.writeUInt32BE(sequence, at);
        b.fill(0, at + 4, at + job.recordBytes);
      });
      if (!arrived.has(sequence)) await new Promise<void>((resolve) => (waiting.current = { sequence, wake: resolve }));
      waiting.current = null;
      if (sequence >= job.warmup) latencies.push(Number(arrived.get(sequence)! - begin) / 1e6);
      arrived.delete(sequence);
    }
    await producer.flush();
    stop = true;
    await producer.close();
    // The last fetch is parked for up to maxWaitMs; closing the consumer ends it.
    consumer.close();
    await fetching.catch(() => undefined);
    send({ type: "latencies", latenciesMs: latencies });
  } finally {
    consumer.close();
  }
}

process.on("message", (raw) => {
  const message = raw as ToLatencyChild;
  if (message.type === "measure") measure(message.job).catch((error: Error) => send({ type: "failed", message: error.message }));
});
send({ type: "ready" });
