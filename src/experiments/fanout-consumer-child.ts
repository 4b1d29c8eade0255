// A consumer process of the fan-out experiment. "kafka" mode: the workbook's KafkaConsumer reads its
// partitions from an offset until told where to stop (catch-up: the log end when it was prepared), every
// batch CRC-checked and checked by the DeliveryLedger. "raw" mode: the same checks on the bytes of a raw
// sendfile of the log (raw-sendfile-child.ts): the baseline receiver, doing the same work per byte.
// One process runs one job at a time, as many jobs as the experiment sends. Messages: kafka-child-messages.ts.
import * as net from "net";
import { KafkaConsumer } from "../kafka/client/consumer";
import { readRecordSet } from "../kafka/records/record-set";
import { LOG_OVERHEAD, FIELD } from "../kafka/records/record-batch";
import { DeliveryLedger } from "./fanout-record";
import type { ToConsumerChild, FromConsumerChild, ConsumerJob } from "./kafka-child-messages";
import { MiB } from "../units/sizes";

function send(message: FromConsumerChild): void {
  process.send?.(message);
}

/** The job in progress: where to stop per partition (set by "until"; catch-up knows it from the start) and its start signal. */
interface Session {
  until: Map<number, number> | null;
  go: () => void;
  started: Promise<void>;
}

let session: Session = newSession();

function newSession(): Session {
  let go: () => void = () => undefined;
  const started = new Promise<void>((resolve) => (go = resolve));
  return { until: null, go, started };
}

/** Reads from a broker until `until`; the consumer's own view of throughput and CPU. */
async function consumeKafka(job: ConsumerJob, run: Session): Promise<void> {
  const consumer = await KafkaConsumer.connect(job.bootstrap, {
    clientId: "fanout-consumer", partitionMaxBytes: job.partitionMaxBytes, maxBytes: Math.max(job.partitionMaxBytes, 50 * MiB), maxWaitMs: job.maxWaitMs, reuseLargeFrames: true,
  });
  try {
    await consumer.assign(job.partitions.map((partition) => ({ topic: job.topic, partition, offset: job.fromOffset })));
    const startOffset = consumer.position(job.topic, job.partitions[0]);
    if (job.fromOffset === "earliest") {
      run.until = new Map();
      for (const p of job.partitions) run.until.set(p, await consumer.endOffset(job.topic, p));
    }
    send({ type: "ready", startOffset });
    await run.started;
    const ledger = new DeliveryLedger();
    let batches = 0;
    let bytes = 0;
    const cpu0 = process.cpuUsage();
    const t0 = process.hrtime.bigint();
    const behind = () => !run.until || job.partitions.some((p) => consumer.position(job.topic, p) < run.until!.get(p)!);
    while (behind()) {
      for (const fetched of await consumer.fetch()) {
        for (const batch of fetched.batches) {
          ledger.accept(fetched.bytes, batch, job.walkRecords, fetched.partition);
          bytes += batch.sizeInBytes;
        }
        batches += fetched.batches.length;
      }
    }
    const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
    const cpu = process.cpuUsage(cpu0);
    send({ type: "consumed", records: ledger.records, batches, bytes, fetches: consumer.fetches, seconds, cpuSeconds: (cpu.user + cpu.system) / 1e6, perProducer: ledger.counts() });
  } finally {
    consumer.close();
  }
}

/** Accepts one connection and checks the raw log bytes that arrive on it, batch by batch. */
async function consumeRaw(job: ConsumerJob, run: Session): Promise<void> {
  const ledger = new DeliveryLedger();
  const buffer = Buffer.allocUnsafe(job.partitionMaxBytes);
  let filled = 0;
  let offset = 0;
  let batches = 0;
  let bytes = 0;
  let t0 = 0n;
  let cpu0: NodeJS.CpuUsage | null = null;
  const server = net.createServer({ pauseOnConnect: true });
  const done = new Promise<void>((resolve, reject) => {
    server.on("connection", (accepted) => {
      server.close();
      // Reads land in `buffer` directly (net.Socket's onread), as the Kafka consumer's large responses do.
      const socket = new net.Socket({
        handle: (accepted as unknown as { _handle: unknown })._handle,
        onread: {
          buffer: () => buffer.subarray(filled),
          callback: (n: number) => {
            try {
              filled += n;
              const set = readRecordSet(buffer, 0, filled, offset, true);
              for (const batch of set.batches) {
                ledger.accept(buffer, batch, job.walkRecords);
                bytes += batch.sizeInBytes;
              }
              batches += set.batches.length;
              offset = set.nextOffset;
              const used = set.batches.length ? set.batches[set.batches.length - 1].start + set.batches[set.batches.length - 1].sizeInBytes : 0;
              // Carry the partial batch at the end to the front (at most one batch is copied per buffer).
              buffer.copy(buffer, 0, used, filled);
              filled -= used;
              if (filled >= LOG_OVERHEAD && buffer.readInt32BE(FIELD.batchLength) + LOG_OVERHEAD > buffer.length) throw new Error(`a batch larger than the ${buffer.length}-byte read buffer`);
            } catch (error) {
              reject(error);
            }
            return true;
          },
        },
      } as net.SocketConstructorOpts);
      socket.on("end", () => {
        socket.destroy();
        if (filled !== 0) reject(new Error(`${filled} bytes of a partial batch at the end of the log`));
        else resolve();
      });
      socket.on("error", reject);
      t0 = process.hrtime.bigint();
      cpu0 = process.cpuUsage();
      socket.resume();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
  send({ type: "ready", port: (server.address() as net.AddressInfo).port, startOffset: 0 });
  await run.started;
  await done;
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  const cpu = process.cpuUsage(cpu0!);
  send({ type: "consumed", records: ledger.records, batches, bytes, fetches: 0, seconds, cpuSeconds: (cpu.user + cpu.system) / 1e6, perProducer: ledger.counts() });
}

process.on("message", (raw) => {
  const message = raw as ToConsumerChild;
  if (message.type === "prepare") {
    session = newSession();
    (message.job.mode === "raw" ? consumeRaw(message.job, session) : consumeKafka(message.job, session)).catch((error: Error) => send({ type: "failed", message: error.message }));
  } else if (message.type === "go") {
    session.go();
  } else if (message.type === "until") {
    session.until = new Map(Object.entries(message.offsets).map(([p, o]) => [Number(p), o]));
  }
});
