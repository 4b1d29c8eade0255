// Exactly-once delivery under concurrent produce and fetch: three producers (the workbook's client,
// acks 1 and -1) append to one partition while three consumers follow the log end, for both serving modes.
// Every consumer must receive every acknowledged record exactly once, in each producer's order, every
// batch CRC32C-checked; offsets must be contiguous.
import { describe, it, expect, afterAll } from "vitest";
import * as path from "path";
import { spawnKafkaBroker, KafkaBrokerProcess } from "../src/experiments/kafka-broker-process";
import { KafkaProducer } from "../src/kafka/client/producer";
import { KafkaConsumer } from "../src/kafka/client/consumer";
import { DeliveryLedger, fillRecordValue, missingRecords, ledgerKey } from "../src/experiments/fanout-record";
import { tempDir, cleanupKafka } from "./support/kafka";

const brokers: KafkaBrokerProcess[] = [];
afterAll(async () => {
  for (const b of brokers) await b.kill9();
  await cleanupKafka();
});

for (const serving of ["sendfile", "read-write"] as const) {
  describe(`serving by ${serving}`, () => {
    it("three producers and three tailing consumers: every acknowledged record arrives once, in order", async () => {
      const broker = await spawnKafkaBroker({ dataDir: path.join(tempDir("delivery"), "data"), port: 0, serving, segmentBytes: 256 * 1024 });
      brokers.push(broker);
      const topic = "concurrent";
      const setup = await KafkaProducer.connect(broker.bootstrap);
      await setup.partitionsOf(topic);
      await setup.close();
      const consumers = await Promise.all([0, 1, 2].map(async () => {
        const c = await KafkaConsumer.connect(broker.bootstrap, { maxWaitMs: 50, partitionMaxBytes: 64 * 1024 });
        await c.assign([{ topic, partition: 0, offset: "latest" }]);
        return c;
      }));
      let producing = true;
      const ledgers = consumers.map(() => new DeliveryLedger());
      const reading = consumers.map(async (c, i) => {
        while (producing || c.position(topic, 0) < total) {
          for (const f of await c.fetch()) for (const b of f.batches) ledgers[i].accept(f.bytes, b, true);
        }
      });
      let total = Infinity;
      const acked = new Map<string, number>();
      await Promise.all([0, 1, 2].map(async (id) => {
        const p = await KafkaProducer.connect(broker.bootstrap, { acks: id === 0 ? -1 : 1, batchBytes: 2000 + id * 3000, lingerMs: id });
        await p.partitionsOf(topic);
        let count = 0;
        p.onAck = (a) => void (count += a.recordCount);
        for (let i = 0; i < 3000; i++) {
          p.appendValue(topic, 0, 40 + (i % 50), (b, at) => fillRecordValue(b, at, 40 + (i % 50), id, i));
          if (i % 200 === 199) await p.whenBelowLimit();
        }
        await p.close();
        acked.set(ledgerKey(id, 0), count);
      }));
      total = [...acked.values()].reduce((s, n) => s + n, 0);
      producing = false;
      await Promise.all(reading);
      expect(total).toBe(9000);
      for (const ledger of ledgers) {
        expect(missingRecords(ledger.counts(), acked)).toEqual([]);
        expect(ledger.records).toBe(total);
      }
      for (const c of consumers) {
        expect(c.position(topic, 0)).toBe(total);
        c.close();
      }
      const stats = await broker.stats();
      expect(serving === "sendfile" ? stats.send.sendfileCalls : stats.send.fileReads).toBeGreaterThan(0);
      await broker.stop();
    });
  });
}
