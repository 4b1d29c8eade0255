// Durability: kill -9 of `workbook broker` in the middle of kafkajs producing (acks=-1) loses no
// acknowledged record. After the restart the broker says it recovered from an unclean shutdown, and kcat
// (CRC checks on) reads every acknowledged record exactly once. A killed process leaves the page cache
// intact, so this proves that acks follow the write and that recovery keeps every acknowledged batch;
// that acks=-1 waits for fsync (what survives a power cut) is checked in kafka-protocol.test.ts.
import { describe, it, expect, afterAll } from "vitest";
import * as path from "path";
import { Kafka, logLevel } from "kafkajs";
import { brokerCli, kcat, tempDir, cleanupKafka, sleep } from "./support/kafka";

process.env.KAFKAJS_NO_PARTITIONER_WARNING = "1";
afterAll(cleanupKafka);

describe("kill -9 during a kafkajs produce with acks=-1", () => {
  it("loses no acknowledged record and duplicates none", async () => {
    const dataDir = path.join(tempDir("crash"), "data");
    let broker = await brokerCli(dataDir);
    const kafka = new Kafka({ clientId: "crash-test", brokers: [broker.bootstrap], logLevel: logLevel.NOTHING, retry: { retries: 0 }, requestTimeout: 3000 });
    const producer = kafka.producer({ allowAutoTopicCreation: true, retry: { retries: 0 } });
    await producer.connect();
    await producer.send({ topic: "durable", acks: -1, messages: [{ value: "first" }] });
    const acked = new Set<string>(["first"]);
    let stop = false;
    let next = 0;
    // Three concurrent senders, so requests are in flight (some appended, not yet fsynced) when the broker dies.
    const sender = async () => {
      while (!stop) {
        const values = Array.from({ length: 25 }, () => `record ${next++}`);
        try {
          await producer.send({ topic: "durable", acks: -1, messages: values.map((value) => ({ value })) });
          for (const v of values) acked.add(v);
        } catch {
          return; // the broker is gone: whatever was not acknowledged may or may not be in the log
        }
      }
    };
    const senders = [sender(), sender(), sender()];
    while (acked.size < 1500) await sleep(5);
    await broker.kill9();
    stop = true;
    await Promise.all(senders);
    await producer.disconnect().catch(() => undefined);
    expect(acked.size).toBeGreaterThanOrEqual(1500);

    broker = await brokerCli(dataDir);
    expect(broker.stdout()).toMatch(/unclean shutdown \(no \.kafka_cleanshutdown\): recovered 1 partition\(s\)/);
    const r = await kcat(["-b", broker.bootstrap, "-C", "-t", "durable", "-o", "beginning", "-e", "-q", "-X", "check.crcs=true", "-f", "%o %s\n"]);
    expect(r.code).toBe(0);
    const lines = r.stdout.toString().trim().split("\n");
    const values = lines.map((l) => l.slice(l.indexOf(" ") + 1));
    expect(lines.map((l) => Number(l.split(" ")[0]))).toEqual(values.map((_, i) => i));
    expect(new Set(values).size).toBe(values.length);
    const stored = new Set(values);
    const lost = [...acked].filter((v) => !stored.has(v));
    expect(lost).toEqual([]);
    expect(await broker.stop()).toBe(0);
  });
});
