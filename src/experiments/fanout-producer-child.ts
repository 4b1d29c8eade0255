// A producer process of the fan-out experiment: the workbook's KafkaProducer writing `records` fan-out
// records (fanout-record.ts) to one partition, reporting how many were acknowledged and how fast.
// Messages: kafka-child-messages.ts.
import { KafkaProducer } from "../kafka/client/producer";
import { fillRecordValue } from "./fanout-record";
import type { ToProducerChild, FromProducerChild, ProducerJob } from "./kafka-child-messages";

function send(message: FromProducerChild): void {
  process.send?.(message);
}

async function produce(job: ProducerJob): Promise<void> {
  const producer = await KafkaProducer.connect(job.bootstrap, { clientId: `fanout-producer-${job.producerId}`, acks: job.acks, batchBytes: job.batchBytes, lingerMs: job.lingerMs });
  try {
    await producer.partitionsOf(job.topic);
    let acked = 0;
    let bytes = 0;
    let expectedFirst = 0;
    producer.onAck = (ack) => {
      // Acks arrive in order per partition (one connection, Kafka's ordering): a gap would be a lost batch.
      if (ack.firstRecord !== expectedFirst) throw new Error(`ack for record ${ack.firstRecord}, expected ${expectedFirst}`);
      expectedFirst += ack.recordCount;
      acked += ack.recordCount;
      bytes += ack.bytes;
    };
    const cpu0 = process.cpuUsage();
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < job.records; i++) {
      producer.appendValue(job.topic, job.partition, job.recordBytes, (b, at) => fillRecordValue(b, at, job.recordBytes, job.producerId, i));
      if ((i & 1023) === 1023) await producer.whenBelowLimit();
    }
    await producer.flush();
    const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
    const cpu = process.cpuUsage(cpu0);
    send({ type: "produced", producerId: job.producerId, acked, bytes, seconds, cpuSeconds: (cpu.user + cpu.system) / 1e6 });
  } finally {
    await producer.close().catch(() => undefined);
  }
}

process.on("message", (raw) => {
  const message = raw as ToProducerChild;
  if (message.type === "produce") produce(message.job).catch((error: Error) => send({ type: "failed", message: error.message }));
});
send({ type: "ready" });
