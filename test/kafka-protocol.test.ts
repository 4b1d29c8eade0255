// The broker's wire protocol, spoken by hand over raw sockets: ApiVersions (including librdkafka's v3
// probe), every error a client can provoke (unsupported API or version, malformed, truncated, oversized
// and out-of-range requests, bad batches), long-polling fetches, and fuzzed frames. The broker answers
// with Kafka's error codes or closes the connection with a log line; it never crashes or hangs.
import { describe, it, expect, beforeAll, afterAll } from "vitest";
import fc from "fast-check";
import { API, SUPPORTED_VERSIONS } from "../src/kafka/protocol/api-keys";
import { ERROR } from "../src/kafka/protocol/error-codes";
import { WireWriter, startFrame, finishFrame } from "../src/kafka/protocol/wire-writer";
import { WireReader } from "../src/kafka/protocol/wire-reader";
import { writeRequestHeader } from "../src/kafka/protocol/request-header";
import { readApiVersionsResponse } from "../src/kafka/protocol/messages/api-versions";
import { writeMetadataRequest, readMetadataResponse } from "../src/kafka/protocol/messages/metadata";
import { writeProduceRequest, readProduceResponse } from "../src/kafka/protocol/messages/produce";
import { writeFetchRequest, readFetchResponse, FetchRequest } from "../src/kafka/protocol/messages/fetch";
import { writeListOffsetsRequest, readListOffsetsResponse } from "../src/kafka/protocol/messages/list-offsets";
import { buildBatch } from "../src/kafka/records/batch-builder";
import { FIELD } from "../src/kafka/records/record-batch";
import { crc32c } from "../src/kafka/records/crc32c";
import { readRecordSet } from "../src/kafka/records/record-set";
import { inProcessBroker, cleanupKafka, RawClient, sleep } from "./support/kafka";
import { MiB } from "../src/units/sizes";

afterAll(cleanupKafka);

/** A request frame: size, header v1, body. */
function frame(apiKey: number, version: number, correlationId: number, body: (w: WireWriter) => void = () => undefined): Buffer {
  const w = startFrame();
  writeRequestHeader(w, { apiKey, apiVersion: version, correlationId, clientId: "raw-test" });
  body(w);
  return Buffer.from(finishFrame(w));
}

/** Reads a response frame's correlation id and returns a reader at its body. */
function body(response: Buffer | null, correlationId: number): WireReader {
  expect(response).not.toBeNull();
  expect(response!.readInt32BE(0)).toBe(correlationId);
  return new WireReader(response!, 4);
}

let broker: Awaited<ReturnType<typeof inProcessBroker>>;
const MAX_MESSAGE = 64 * 1024;

beforeAll(async () => {
  broker = await inProcessBroker({ maxMessageBytes: MAX_MESSAGE, maxRequestBytes: MiB, requestMemoryBytes: 4 * MiB, defaultPartitions: 3 });
  broker.logs.createTopic("t", 2);
});

async function produce(client: RawClient, correlationId: number, topic: string, partition: number, records: Buffer | null, acks = 1, version = 7) {
  client.write(frame(API.Produce, version, correlationId, (w) => writeProduceRequest(w, version, { transactionalId: null, acks, timeoutMs: 1000, topics: [{ name: topic, partitions: [{ partitionIndex: partition, records }] }] })));
  if (acks === 0) return null;
  return readProduceResponse(body(await client.frame(), correlationId), version).topics[0].partitions[0];
}

function fetchRequest(topic: string, partition: number, fetchOffset: number, o: Partial<FetchRequest> = {}, partitionMaxBytes = MiB): FetchRequest {
  return {
    replicaId: -1, maxWaitMs: 0, minBytes: 1, maxBytes: MiB, isolationLevel: 0, sessionId: 0, sessionEpoch: -1, forgottenTopics: [], rackId: "",
    topics: [{ name: topic, partitions: [{ partition, currentLeaderEpoch: -1, fetchOffset, logStartOffset: -1, partitionMaxBytes }] }],
    ...o,
  };
}

describe("wire primitives", () => {
  it("the writer grows from a tiny buffer without losing a byte; the reader reads back every type", () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ i8: fc.integer({ min: -128, max: 127 }), i16: fc.integer({ min: -32768, max: 32767 }), i32: fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }), i64: fc.integer({ min: -(2 ** 53) + 1, max: 2 ** 53 - 1 }), s: fc.option(fc.string({ maxLength: 50 }), { nil: null }), b: fc.option(fc.uint8Array({ maxLength: 100 }), { nil: null }) }), { maxLength: 30 }),
        (items) => {
          const w = new WireWriter(1);
          w.array(items, (w, x) => w.int8(x.i8).int16(x.i16).int32(x.i32).int64(x.i64).bool(x.i8 > 0).string(x.s).bytes(x.b));
          const r = new WireReader(Buffer.from(w.finish()));
          const back = r.array((r) => ({ i8: r.int8(), i16: r.int16(), i32: r.int32(), i64: r.int64(), bool: r.bool(), s: r.nullableString(), b: r.nullableBytes() }));
          expect(r.remaining).toBe(0);
          back.forEach((x, i) => {
            expect([x.i8, x.i16, x.i32, x.i64, x.bool, x.s]).toEqual([items[i].i8, items[i].i16, items[i].i32, items[i].i64, items[i].i8 > 0, items[i].s]);
            expect(x.b === null ? null : Buffer.from(x.b)).toEqual(items[i].b === null ? null : Buffer.from(items[i].b!));
          });
        },
      ),
    );
  });

  it("the reader refuses truncated input and impossible array counts with MalformedMessage", () => {
    expect(() => new WireReader(Buffer.from([0, 5, 65])).string()).toThrow(/needs 5 bytes/);
    expect(() => new WireReader(Buffer.from([0x7f, 0, 0, 0])).array((r) => r.int8())).toThrow(/array count/);
    expect(() => new WireReader(Buffer.from([0x00, 0x40, 0, 0, 0, 0, 0, 0])).int64()).toThrow(/beyond 2\^53/);
  });
});

describe("ApiVersions", () => {
  it("v0, v1 and v2 list every supported range", async () => {
    const c = await RawClient.connect(broker.port);
    for (const v of [0, 1, 2]) {
      c.write(frame(API.ApiVersions, v, 10 + v));
      const r = readApiVersionsResponse(body(await c.frame(), 10 + v), v);
      expect(r.errorCode).toBe(ERROR.NONE);
      expect(r.apiKeys).toEqual(SUPPORTED_VERSIONS.map((s) => ({ apiKey: s.apiKey, minVersion: s.minVersion, maxVersion: s.maxVersion })));
    }
    c.close();
  });

  it("answers librdkafka's flexible v3 probe in the v0 layout with UNSUPPORTED_VERSION and the ranges, and keeps the connection", async () => {
    const c = await RawClient.connect(broker.port);
    // v3: header v2 (client id + empty tagged fields), body = compact strings + tagged fields.
    const w = startFrame();
    w.int16(API.ApiVersions).int16(3).int32(77).string("rdkafka").int8(0);
    w.raw(Buffer.from([0x08, ...Buffer.from("librdk"), 0x06, ...Buffer.from("2.0.2"), 0x00]));
    c.write(Buffer.from(finishFrame(w)));
    const r = readApiVersionsResponse(body(await c.frame(), 77), 0);
    expect(r.errorCode).toBe(ERROR.UNSUPPORTED_VERSION);
    expect(r.apiKeys.find((k) => k.apiKey === API.ApiVersions)).toEqual({ apiKey: API.ApiVersions, minVersion: 0, maxVersion: 2 });
    c.write(frame(API.ApiVersions, 0, 78));
    expect(readApiVersionsResponse(body(await c.frame(), 78), 0).errorCode).toBe(ERROR.NONE);
    c.close();
  });
});

describe("requests the broker does not speak", () => {
  for (const [what, key, version] of [["an unknown API key (CreateTopics)", 19, 0], ["Produce v2 (message format v1)", API.Produce, 2], ["Fetch v12 (flexible)", API.Fetch, 12], ["Metadata v9 (flexible)", API.Metadata, 9]] as const) {
    it(`${what}: UNSUPPORTED_VERSION, then the connection closes`, async () => {
      const c = await RawClient.connect(broker.port);
      c.write(frame(key, version, 5, (w) => w.int32(0)));
      const r = body(await c.frame(), 5);
      expect(r.int16()).toBe(ERROR.UNSUPPORTED_VERSION);
      expect(await c.waitClosed()).toBe(true);
      expect(broker.logLines.some((l) => /is not supported/.test(l))).toBe(true);
    });
  }
});

describe("malformed, truncated and oversized frames close the connection (logged), and nobody else notices", () => {
  const cases: Array<[string, Buffer, RegExp]> = [
    ["a Metadata request whose topic array claims 5 topics and has none", frame(API.Metadata, 4, 1, (w) => w.int32(5)), /malformed Metadata v4/],
    ["a Produce request cut in the middle of its record bytes", frame(API.Produce, 7, 2, (w) => w.int16(-1).int16(1).int32(100).int32(1).string("t").int32(1).int32(0).int32(1000).raw(Buffer.alloc(10))), /malformed Produce v7/],
    ["a string length of -5", frame(API.Metadata, 1, 3, (w) => w.int32(1).int16(-5)), /malformed Metadata v1/],
    ["a frame too short for a header", Buffer.from([0, 0, 0, 3, 0, 18, 0]), /cannot hold a request header/],
    ["a frame larger than maxRequestBytes", Buffer.from([0x00, 0x40, 0x00, 0x00, 0, 18, 0, 0]), /exceeds maxRequestBytes/],
    ["a negative frame size", Buffer.from([0xff, 0xff, 0xff, 0xf0, 0, 18, 0, 0]), /exceeds maxRequestBytes/],
  ];
  for (const [what, bytes, logged] of cases) {
    it(what, async () => {
      const bystander = await RawClient.connect(broker.port);
      const c = await RawClient.connect(broker.port);
      c.write(bytes);
      expect(await c.frame()).toBeNull();
      expect(c.closed).toBe(true);
      await sleep(20);
      expect(broker.logLines.some((l) => logged.test(l))).toBe(true);
      bystander.write(frame(API.ApiVersions, 2, 9));
      expect(readApiVersionsResponse(body(await bystander.frame(), 9), 2).errorCode).toBe(ERROR.NONE);
      bystander.close();
    });
  }

  it("fuzzed frames never crash the broker, and a fresh client is served after them", async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: 20 }), fc.integer({ min: -1, max: 12 }), fc.uint8Array({ maxLength: 200 }), async (apiKey, version, junk) => {
        const c = await RawClient.connect(broker.port);
        const w = startFrame();
        w.int16(apiKey).int16(version).int32(1).raw(junk);
        c.write(Buffer.from(finishFrame(w)));
        // Whatever it is: an answer, or a closed connection, within a second.
        const answered = await Promise.race([c.frame(1000).then(() => true, () => false), c.waitClosed(1000)]);
        c.close();
        return answered !== undefined;
      }),
      { numRuns: 60 },
    );
    const after = await RawClient.connect(broker.port);
    after.write(frame(API.ApiVersions, 2, 1));
    expect(readApiVersionsResponse(body(await after.frame(), 1), 2).errorCode).toBe(ERROR.NONE);
    after.close();
  });
});

describe("Produce", () => {
  const batch = () => buildBatch([{ key: Buffer.from("k"), value: Buffer.from("v") }, { value: Buffer.from("w") }]);

  it("appends and answers base offsets in order (v3 and v7)", async () => {
    const c = await RawClient.connect(broker.port);
    const a = await produce(c, 1, "t", 1, batch(), 1, 3);
    const b = await produce(c, 2, "t", 1, batch(), -1, 7);
    expect([a!.errorCode, b!.errorCode]).toEqual([0, 0]);
    expect(b!.baseOffset).toBe(a!.baseOffset + 2);
    c.close();
  });

  const errors: Array<[string, () => Buffer | null, number, string?, number?, number?]> = [
    ["a flipped bit (CRC32C)", () => { const b = batch(); b[b.length - 1] ^= 1; return b; }, ERROR.CORRUPT_MESSAGE],
    ["magic 1", () => { const b = batch(); b.writeInt8(1, FIELD.magic); return b; }, ERROR.UNSUPPORTED_FOR_MESSAGE_FORMAT],
    ["a batch above maxMessageBytes", () => buildBatch([{ value: Buffer.alloc(MAX_MESSAGE + 10) }]), ERROR.MESSAGE_TOO_LARGE],
    ["two batches for one partition", () => Buffer.concat([batch(), batch()]), ERROR.CORRUPT_MESSAGE],
    ["a batch with base offset 5", () => { const b = batch(); b.writeBigInt64BE(5n, 0); return b; }, ERROR.CORRUPT_MESSAGE],
    ["null records", () => null, ERROR.CORRUPT_MESSAGE],
    ["an unknown topic", batch, ERROR.UNKNOWN_TOPIC_OR_PARTITION, "nope"],
    ["partition 9 of a 2-partition topic", batch, ERROR.UNKNOWN_TOPIC_OR_PARTITION, "t", 9],
    ["the internal offsets topic", batch, ERROR.INVALID_TOPIC_EXCEPTION, "__consumer_offsets", 0],
    ["acks 5", batch, ERROR.INVALID_REQUIRED_ACKS, "t", 0, 5],
  ];
  for (const [what, records, code, topic = "t", partition = 0, acks = 1] of errors) {
    it(`refuses ${what} with error ${code} and keeps the connection`, async () => {
      const c = await RawClient.connect(broker.port);
      const before = broker.logs.partition("t", 0)!.logEndOffset;
      const r = await produce(c, 3, topic, partition, records(), acks);
      expect(r!.errorCode).toBe(code);
      expect(broker.logs.partition("t", 0)!.logEndOffset).toBe(before);
      c.write(frame(API.ApiVersions, 0, 4));
      expect(readApiVersionsResponse(body(await c.frame(), 4), 0).errorCode).toBe(ERROR.NONE);
      c.close();
    });
  }

  it("acks=-1 answers only once fsync covered the batch; acks=1 answers after the append", async () => {
    const c = await RawClient.connect(broker.port);
    const log = broker.logs.partition("t", 1)!;
    const strict = await produce(c, 1, "t", 1, batch(), -1);
    expect(log.recoveryPoint).toBeGreaterThanOrEqual(strict!.baseOffset + 2);
    // acks=1 does not wait: right after its answer the recovery point (fsynced offset) is still behind it.
    const loose = await produce(c, 2, "t", 1, batch(), 1);
    expect(loose!.errorCode).toBe(ERROR.NONE);
    expect(log.recoveryPoint).toBeLessThan(loose!.baseOffset + 2);
    c.close();
  });

  it("acks=0: no response; an error closes the connection so the producer notices", async () => {
    const c = await RawClient.connect(broker.port);
    const before = broker.logs.partition("t", 0)!.logEndOffset;
    await produce(c, 1, "t", 0, batch(), 0);
    c.write(frame(API.ApiVersions, 0, 2));
    expect(body(await c.frame(), 2).int16()).toBe(ERROR.NONE); // the first frame back is ApiVersions': acks=0 got none
    expect(broker.logs.partition("t", 0)!.logEndOffset).toBe(before + 2);
    const bad = batch();
    bad[bad.length - 1] ^= 1;
    await produce(c, 3, "t", 0, bad, 0);
    expect(await c.waitClosed()).toBe(true);
  });
});

describe("Fetch, ListOffsets and Metadata", () => {
  it("OFFSET_OUT_OF_RANGE past the end, UNKNOWN_TOPIC_OR_PARTITION for a missing partition", async () => {
    const c = await RawClient.connect(broker.port);
    const end = broker.logs.partition("t", 0)!.logEndOffset;
    c.write(frame(API.Fetch, 11, 1, (w) => writeFetchRequest(w, 11, fetchRequest("t", 0, end + 5))));
    expect(readFetchResponse(body(await c.frame(), 1), 11).topics[0].partitions[0].errorCode).toBe(ERROR.OFFSET_OUT_OF_RANGE);
    c.write(frame(API.Fetch, 4, 2, (w) => writeFetchRequest(w, 4, fetchRequest("t", 7, 0))));
    expect(readFetchResponse(body(await c.frame(), 2), 4).topics[0].partitions[0].errorCode).toBe(ERROR.UNKNOWN_TOPIC_OR_PARTITION);
    c.close();
  });

  it("long-polls: waits max wait with nothing new, answers at once when a batch arrives", async () => {
    broker.logs.createTopic("poll", 1);
    const c = await RawClient.connect(broker.port);
    let t0 = Date.now();
    c.write(frame(API.Fetch, 11, 1, (w) => writeFetchRequest(w, 11, fetchRequest("poll", 0, 0, { maxWaitMs: 300 }))));
    const empty = readFetchResponse(body(await c.frame(), 1), 11).topics[0].partitions[0];
    expect(Date.now() - t0).toBeGreaterThanOrEqual(290);
    expect([empty.errorCode, empty.records!.length, empty.highWatermark]).toEqual([0, 0, 0]);
    t0 = Date.now();
    c.write(frame(API.Fetch, 11, 2, (w) => writeFetchRequest(w, 11, fetchRequest("poll", 0, 0, { maxWaitMs: 10_000 }))));
    await sleep(100);
    const p = await RawClient.connect(broker.port);
    await produce(p, 1, "poll", 0, buildBatch([{ value: Buffer.from("wake up") }]));
    const got = readFetchResponse(body(await c.frame(), 2), 11).topics[0].partitions[0];
    expect(Date.now() - t0).toBeLessThan(2000);
    expect(readRecordSet(got.records!, 0, got.records!.length, 0).batches.length).toBe(1);
    c.close();
    p.close();
  });

  it("partition max bytes: whole batches within it, but always at least one", async () => {
    broker.logs.createTopic("sizes", 1);
    const p = await RawClient.connect(broker.port);
    for (let i = 0; i < 5; i++) await produce(p, i + 1, "sizes", 0, buildBatch([{ value: Buffer.alloc(1000, i) }]));
    const c = await RawClient.connect(broker.port);
    c.write(frame(API.Fetch, 11, 1, (w) => writeFetchRequest(w, 11, fetchRequest("sizes", 0, 0, {}, 2500))));
    const two = readFetchResponse(body(await c.frame(), 1), 11).topics[0].partitions[0].records!;
    expect(readRecordSet(two, 0, two.length, 0).batches.length).toBe(2);
    expect(two.length).toBeLessThanOrEqual(2500);
    c.write(frame(API.Fetch, 11, 2, (w) => writeFetchRequest(w, 11, fetchRequest("sizes", 0, 2, {}, 10))));
    const one = readFetchResponse(body(await c.frame(), 2), 11).topics[0].partitions[0].records!;
    expect(readRecordSet(one, 0, one.length, 2).batches.map((b) => b.baseOffset)).toEqual([2]);
    c.close();
    p.close();
  });

  it("ListOffsets: -2 the log start, -1 the log end, a timestamp the first record at or after it", async () => {
    broker.logs.createTopic("times", 1);
    const p = await RawClient.connect(broker.port);
    for (const ts of [1000, 2000, 3000]) await produce(p, ts, "times", 0, buildBatch([{ value: Buffer.from("x"), timestamp: ts }, { value: Buffer.from("y"), timestamp: ts + 500 }]));
    const ask = async (timestamp: number) => {
      p.write(frame(API.ListOffsets, 5, 9, (w) => writeListOffsetsRequest(w, 5, { replicaId: -1, isolationLevel: 0, topics: [{ name: "times", partitions: [{ partitionIndex: 0, currentLeaderEpoch: -1, timestamp }] }] })));
      return readListOffsetsResponse(body(await p.frame(), 9), 5).topics[0].partitions[0];
    };
    expect((await ask(-2)).offset).toBe(0);
    expect((await ask(-1)).offset).toBe(6);
    expect(await ask(2400)).toMatchObject({ offset: 3, timestamp: 2500 });
    expect((await ask(9999)).offset).toBe(-1);
    p.close();
  });

  it("Metadata creates topics with the configured partition count, unless the client forbids it; bad names get INVALID_TOPIC_EXCEPTION", async () => {
    const c = await RawClient.connect(broker.port);
    c.write(frame(API.Metadata, 8, 1, (w) => writeMetadataRequest(w, 8, { topics: ["fresh", "no/slash", "forbidden"], allowAutoTopicCreation: true })));
    let m = readMetadataResponse(body(await c.frame(), 1), 8);
    expect(m.topics.map((t) => [t.name, t.errorCode, t.partitions.length])).toEqual([["fresh", 0, 3], ["no/slash", ERROR.INVALID_TOPIC_EXCEPTION, 0], ["forbidden", 0, 3]]);
    c.write(frame(API.Metadata, 4, 2, (w) => writeMetadataRequest(w, 4, { topics: ["not-created"], allowAutoTopicCreation: false })));
    m = readMetadataResponse(body(await c.frame(), 2), 4);
    expect(m.topics[0].errorCode).toBe(ERROR.UNKNOWN_TOPIC_OR_PARTITION);
    expect(broker.logs.partitions("not-created")).toBeUndefined();
    c.write(frame(API.Metadata, 1, 3, (w) => writeMetadataRequest(w, 1, { topics: null, allowAutoTopicCreation: true })));
    m = readMetadataResponse(body(await c.frame(), 3), 1);
    expect(m.brokers).toEqual([{ nodeId: 0, host: "127.0.0.1", port: broker.port, rack: null }]);
    expect(m.topics.map((t) => t.name)).toEqual(broker.logs.topicNames());
    c.close();
  });
});

describe("serving modes", () => {
  it("sendfile and read+write put the same bytes on the wire (valid CRCs, same offsets)", async () => {
    const dataDir = broker.dataDir;
    const results: Buffer[] = [];
    const seed = await inProcessBroker({ serving: "sendfile" });
    seed.logs.createTopic("same", 1);
    const p = await RawClient.connect(seed.port);
    for (let i = 0; i < 20; i++) await produce(p, i + 1, "same", 0, buildBatch(Array.from({ length: 50 }, (_, j) => ({ value: Buffer.alloc(300, i + j) }))));
    p.close();
    const seedDir = seed.dataDir;
    await seed.close();
    for (const serving of ["sendfile", "read-write"] as const) {
      const b = await inProcessBroker({ serving, dataDir: seedDir, readWriteChunkBytes: 4096 });
      const c = await RawClient.connect(b.port);
      c.write(frame(API.Fetch, 11, 1, (w) => writeFetchRequest(w, 11, fetchRequest("same", 0, 0, {}, MiB))));
      const response = await c.frame();
      results.push(Buffer.from(response!));
      const stats = b.stats();
      expect(serving === "sendfile" ? stats.send.sendfileCalls : stats.send.fileReads).toBeGreaterThan(0);
      c.close();
      await b.close();
    }
    expect(results[0].equals(results[1])).toBe(true);
    const records = readFetchResponse(new WireReader(results[0], 4), 11).topics[0].partitions[0].records!;
    expect(readRecordSet(records, 0, records.length, 0).nextOffset).toBe(1000);
    expect(crc32c(results[0])).toBe(crc32c(results[1]));
    void dataDir;
  });
});
