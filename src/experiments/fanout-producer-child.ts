// A producer process of the fan-out experiment and the Kreps benchmark: the workbook's KafkaProducer
// writing `records` fan-out records (fanout-record.ts) round-robin over the job's partitions, reporting
// how many each partition acknowledged and how fast.
// Messages: kafka-child-messages.ts.
import { KafkaProducer } from "../kafka/client/producer";
import { fillRecordValue, ledgerKey } from "./fanout-record";
import type { ToProducerChild, FromProducerChild, ProducerJob } from "./kafka-child-messages";

function send(message: FromProducerChild): void {
  process.send?.(message);
}

async function produce(job: ProducerJob): Promise<void> {
  const producer = await KafkaProducer.connect(job.bootstrap, { clientId: `fanout-producer-${job.producerId}`, acks: job.acks, batchBytes: job.batchBytes, lingerMs: job.lingerMs });
  try {
    await producer.partitionsOf(job.topic);
    const acked = new Map<number, number>(job.partitions.map((p) => [p, 0]));
    let bytes = 0;
    producer.onAck = (ack) => {
      // Acks arrive in order per partition (one connection, Kafka's ordering): a gap would be a lost batch.
      if (ack.firstRecord !== acked.get(ack.partition)) throw new Error(`partition ${ack.partition}: ack for record ${ack.firstRecord}, expected ${acked.get(ack.partition)}`);
      acked.set(ack.partition, ack.firstRecord + ack.recordCount);
      bytes += ack.bytes;
    };
    const sequences = job.partitions.map(() => 0);
    const cpu0 = process.cpuUsage();
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < job.records; i++) {
      const k = i % job.partitions.length;
      const sequence = sequences[k]++;
      producer.appendValue(job.topic, job.partitions[k], job.recordBytes, (b, at) => fillRecordValue(b, at, job.recordBytes, job.producerId, sequence));
      if ((i & 1023) === 1023) await producer.whenBelowLimit();
    }
    await producer.flush();
    const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
    const cpu = process.cpuUsage(cpu0);
    const perPartition = Object.fromEntries([...acked].map(([p, n]) => [ledgerKey(job.producerId, p), n]));
    const records = [...acked.values()].reduce((s, n) => s + n, 0);
    send({ type: "produced", producerId: job.producerId, acked: perPartition, records, bytes, seconds, cpuSeconds: (cpu.user + cpu.system) / 1e6 });
  } finally {
    await producer.close().catch(() => undefined);
  }
}

process.on("message", (raw) => {
  const message = raw as ToProducerChild;
  if (message.type === "produce") produce(message.job).catch((error: Error) => send({ type: "failed", message: error.message }));
});
send({ type: "ready" });
