// Real Kafka clients against `workbook broker` (the command a reader runs): kcat (librdkafka 2.0) and
// kafkajs 2.x. Records produced by each, with keys and headers, are read back byte-exact by the other,
// with CRC checks on: kcat -X check.crcs=true, and for kafkajs (which never checks) every stored batch is
// CRC-checked here, straight from the segment files the broker serves by sendfile.
import { describe, it, expect, beforeAll, afterAll } from "vitest";
import * as fs from "fs";
import * as path from "path";
import * as crypto from "crypto";
import { Kafka, logLevel } from "kafkajs";
import { brokerCli, BrokerCli, kcat, tempDir, cleanupKafka } from "./support/kafka";
import { readRecordSet } from "../src/kafka/records/record-set";
import { decodeRecords, KafkaRecord } from "../src/kafka/records/records";

process.env.KAFKAJS_NO_PARTITIONER_WARNING = "1";

let broker: BrokerCli;
let dataDir: string;
let kafka: Kafka;

beforeAll(async () => {
  dataDir = path.join(tempDir("clients"), "data");
  broker = await brokerCli(dataDir, ["--partitions", "2"]);
  kafka = new Kafka({ clientId: "workbook-test", brokers: [broker.bootstrap], logLevel: logLevel.NOTHING, retry: { retries: 3 } });
});

afterAll(async () => {
  await broker?.stop();
  await cleanupKafka();
});

/** Every record stored for a topic partition, read from its segment files with every batch's CRC32C checked. */
function storedRecords(topic: string, partition: number): KafkaRecord[] {
  const dir = path.join(dataDir, `${topic}-${partition}`);
  const out: KafkaRecord[] = [];
  let offset = 0;
  for (const file of fs.readdirSync(dir).filter((f) => f.endsWith(".log")).sort()) {
    const bytes = fs.readFileSync(path.join(dir, file));
    const set = readRecordSet(bytes, 0, bytes.length, offset, true);
    for (const b of set.batches) out.push(...decodeRecords(bytes, b.start));
    offset = set.nextOffset;
  }
  return out;
}

/** kcat -C of a whole partition, parsed from a byte-exact format: "<offset> <keylen> <valuelen> <headers>\n<key><value>". */
async function kcatRead(topic: string, partition: number): Promise<Array<{ offset: number; key: Buffer | null; value: Buffer | null; headers: string }>> {
  const r = await kcat(["-b", broker.bootstrap, "-C", "-t", topic, "-p", String(partition), "-o", "beginning", "-e", "-q", "-X", "check.crcs=true", "-f", "%o %K %S %h\n%k%s"]);
  expect(r.stderr).not.toMatch(/error|crc/i);
  expect(r.code).toBe(0);
  const out = [];
  let at = 0;
  const data = r.stdout;
  while (at < data.length) {
    const nl = data.indexOf(10, at);
    const [offset, keyLength, valueLength, ...headers] = data.subarray(at, nl).toString("latin1").split(" ");
    at = nl + 1;
    const k = Number(keyLength);
    const v = Number(valueLength);
    const key = k < 0 ? null : data.subarray(at, at + k);
    at += Math.max(k, 0);
    const value = v < 0 ? null : data.subarray(at, at + v);
    at += Math.max(v, 0);
    out.push({ offset: Number(offset), key, value, headers: headers.join(" ") });
  }
  return out;
}

describe("kcat", () => {
  it("kcat -L sees the broker, as node 0 at the address it listens on", async () => {
    const r = await kcat(["-b", broker.bootstrap, "-L"]);
    expect(r.code).toBe(0);
    expect(r.stdout.toString()).toMatch(new RegExp(`1 brokers:\\s+broker 0 at 127\\.0\\.0\\.1:${broker.port} \\(controller\\)`));
  });

  it("kcat -P with keys and headers, read back by kcat -C with check.crcs=true, byte for byte", async () => {
    const lines = Array.from({ length: 300 }, (_, i) => `key-${i}\tvalue ${i} ${"é∑".repeat(i % 5)} ${"x".repeat(i)}`);
    const produced = await kcat(["-b", broker.bootstrap, "-P", "-t", "kcat-topic", "-p", "1", "-K", "\t", "-H", "source=kcat", "-H", "run=1"], lines.join("\n") + "\n");
    expect(produced.code).toBe(0);
    const back = await kcatRead("kcat-topic", 1);
    expect(back.map((r) => r.offset)).toEqual(lines.map((_, i) => i));
    back.forEach((r, i) => {
      const [key, value] = lines[i].split("\t");
      expect(r.key!.toString("utf8")).toBe(key);
      expect(r.value!.toString("utf8")).toBe(value);
      expect(r.headers).toBe("source=kcat,run=1");
    });
    const r = await kcat(["-b", broker.bootstrap, "-L", "-t", "kcat-topic"]);
    expect(r.stdout.toString()).toMatch(/topic "kcat-topic" with 2 partitions/);
  });

  it("check.crcs=true is really on: one flipped bit in a stored batch makes kcat fail, while without it kcat prints the records", async () => {
    expect((await kcat(["-b", broker.bootstrap, "-P", "-t", "flipped", "-p", "0"], "one\ntwo\nthree\n")).code).toBe(0);
    const file = path.join(dataDir, "flipped-0", "00000000000000000000.log");
    const fd = fs.openSync(file, "r+");
    const byte = Buffer.alloc(1);
    fs.readSync(fd, byte, 0, 1, 70);
    byte[0] ^= 1;
    fs.writeSync(fd, byte, 0, 1, 70); // the broker serves the page cache, which now holds the flipped bit
    fs.closeSync(fd);
    const checked = await kcat(["-b", broker.bootstrap, "-C", "-t", "flipped", "-o", "beginning", "-e", "-X", "check.crcs=true"]);
    expect(checked.code).not.toBe(0);
    expect(checked.stderr).toMatch(/failed CRC32C check/);
    const unchecked = await kcat(["-b", broker.bootstrap, "-C", "-t", "flipped", "-o", "beginning", "-e", "-q"]);
    expect(unchecked.code).toBe(0);
    expect(() => storedRecords("flipped", 0)).toThrow(/CRC32C/);
  });

  it("records kcat produced are read byte-exact by a kafkajs consumer group, and stored with valid CRCs", async () => {
    const lines = Array.from({ length: 100 }, (_, i) => `k${i}\t${crypto.randomBytes(20).toString("base64")}`);
    expect((await kcat(["-b", broker.bootstrap, "-P", "-t", "to-kafkajs", "-p", "0", "-K", "\t", "-H", "h=1"], lines.join("\n") + "\n")).code).toBe(0);
    const stored = storedRecords("to-kafkajs", 0);
    expect(stored.map((r) => r.key!.toString())).toEqual(lines.map((l) => l.split("\t")[0]));
    const consumer = kafka.consumer({ groupId: "reads-kcat" });
    await consumer.connect();
    await consumer.subscribe({ topics: ["to-kafkajs"], fromBeginning: true });
    const seen: Array<{ partition: number; offset: string; key: Buffer | null; value: Buffer | null; headers: Record<string, unknown> }> = [];
    await new Promise<void>((resolve, reject) => {
      consumer.run({
        eachMessage: async ({ partition, message }) => {
          seen.push({ partition, offset: message.offset, key: message.key, value: message.value, headers: message.headers ?? {} });
          if (seen.length === lines.length) resolve();
        },
      }).catch(reject);
    });
    await consumer.disconnect();
    expect(seen.every((s) => s.partition === 0)).toBe(true);
    seen.sort((a, b) => Number(a.offset) - Number(b.offset));
    seen.forEach((s, i) => {
      const [key, value] = lines[i].split("\t");
      expect(s.key!.equals(Buffer.from(key))).toBe(true);
      expect(s.value!.equals(Buffer.from(value))).toBe(true);
      expect(String(s.headers.h)).toBe("1");
    });
  });
});

describe("kafkajs", () => {
  it("records a kafkajs producer sent (binary keys, values, headers, nulls) are read byte-exact by kcat with check.crcs=true", async () => {
    const producer = kafka.producer();
    await producer.connect();
    const messages = Array.from({ length: 200 }, (_, i) => ({
      key: i % 10 === 0 ? null : crypto.randomBytes(1 + (i % 7)),
      value: i % 17 === 0 ? null : crypto.randomBytes(i * 3),
      headers: { n: String(i), bin: "v" + i },
    }));
    for (let i = 0; i < messages.length; i += 50) await producer.send({ topic: "from-kafkajs", acks: -1, messages: messages.slice(i, i + 50).map((m) => ({ ...m, partition: 1 })) });
    await producer.disconnect();
    const back = await kcatRead("from-kafkajs", 1);
    expect(back.length).toBe(messages.length);
    back.forEach((r, i) => {
      expect(r.key === null ? null : Buffer.from(r.key)).toEqual(messages[i].key);
      expect(r.value === null ? null : Buffer.from(r.value)).toEqual(messages[i].value);
      expect(r.headers).toBe(`n=${i},bin=v${i}`);
    });
    const stored = storedRecords("from-kafkajs", 1);
    expect(stored.length).toBe(messages.length);
    stored.forEach((r, i) => expect(r.headers.map((h) => [h.key, h.value!.toString()])).toEqual([["n", String(i)], ["bin", `v${i}`]]));
  });

  it("a kafkajs producer and consumer round-trip through the broker; committed offsets are what the consumer read", async () => {
    const producer = kafka.producer();
    await producer.connect();
    const values = Array.from({ length: 50 }, (_, i) => `round trip ${i}`);
    await producer.send({ topic: "kafkajs-both", messages: values.map((value, i) => ({ value, partition: i % 2 })) });
    await producer.disconnect();
    const consumer = kafka.consumer({ groupId: "both" });
    await consumer.connect();
    await consumer.subscribe({ topics: ["kafkajs-both"], fromBeginning: true });
    const got: string[] = [];
    await new Promise<void>((resolve) => {
      void consumer.run({ eachMessage: async ({ message }) => void (got.push(message.value!.toString()) === values.length && resolve()) });
    });
    await consumer.disconnect();
    expect(got.sort()).toEqual([...values].sort());
    const admin = kafka.admin();
    await admin.connect();
    const offsets = await admin.fetchOffsets({ groupId: "both", topics: ["kafkajs-both"] });
    await admin.disconnect();
    expect(offsets[0].partitions.map((p) => [p.partition, p.offset]).sort()).toEqual([[0, "25"], [1, "25"]]);
  });
});
