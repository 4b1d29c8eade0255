// Bad clients cannot stall or bloat the broker (it runs in its own process here, as it would for a user):
//   - 400 connections each holding half of a 1 MiB request frame cost the broker at most its request
//     memory pool (plus a socket read each), small requests from others are still answered at once, and
//     the half-sent frames (and those waiting for pool memory) are closed after requestReadTimeoutMs;
//   - connections are bounded (the least recently active one makes room), idle ones are closed;
//   - 16 consumers that never read their fetch responses delay another consumer's fetch and an acks=-1
//     produce by less than 100 ms (a sendfile on libuv's pool threads would hold all 4 of them: ~30 s).
import { describe, it, expect, afterAll } from "vitest";
import * as fs from "fs";
import * as path from "path";
import { spawnKafkaBroker, KafkaBrokerProcess } from "../src/experiments/kafka-broker-process";
import { API } from "../src/kafka/protocol/api-keys";
import { ERROR } from "../src/kafka/protocol/error-codes";
import { startFrame, finishFrame, WireWriter } from "../src/kafka/protocol/wire-writer";
import { writeRequestHeader } from "../src/kafka/protocol/request-header";
import { writeFetchRequest, readFetchResponse } from "../src/kafka/protocol/messages/fetch";
import { writeProduceRequest, readProduceResponse } from "../src/kafka/protocol/messages/produce";
import { WireReader } from "../src/kafka/protocol/wire-reader";
import { buildBatch } from "../src/kafka/records/batch-builder";
import { KafkaProducer } from "../src/kafka/client/producer";
import { median } from "../src/statistics/spread";
import { RawClient, tempDir, cleanupKafka, sleep } from "./support/kafka";
import { MiB } from "../src/units/sizes";

const brokers: KafkaBrokerProcess[] = [];
afterAll(async () => {
  for (const b of brokers) await b.kill9();
  await cleanupKafka();
});

async function broker(config: Record<string, unknown> = {}): Promise<KafkaBrokerProcess> {
  const b = await spawnKafkaBroker({ dataDir: path.join(tempDir("robust"), "data"), port: 0, ...config });
  brokers.push(b);
  return b;
}

function frame(apiKey: number, version: number, correlationId: number, body: (w: WireWriter) => void = () => undefined): Buffer {
  const w = startFrame();
  writeRequestHeader(w, { apiKey, apiVersion: version, correlationId, clientId: "robust" });
  body(w);
  return Buffer.from(finishFrame(w));
}

/** The broker process's resident memory now (VmRSS), in MiB. */
function rssMiB(pid: number): number {
  const kib = Number(/VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${pid}/status`, "utf8"))![1]);
  return kib / 1024;
}

const fetchBody = (topic: string, offset: number, maxBytes: number, maxWaitMs = 0) => (w: WireWriter) =>
  writeFetchRequest(w, 11, {
    replicaId: -1, maxWaitMs, minBytes: 1, maxBytes, isolationLevel: 0, sessionId: 0, sessionEpoch: -1, forgottenTopics: [], rackId: "",
    topics: [{ name: topic, partitions: [{ partition: 0, currentLeaderEpoch: -1, fetchOffset: offset, logStartOffset: -1, partitionMaxBytes: maxBytes }] }],
  });

describe("memory", () => {
  it("400 half-sent 1 MiB frames: the broker stays within its pool, others are served, the frames time out", async () => {
    const b = await broker({ requestMemoryBytes: 8 * MiB, maxRequestBytes: 2 * MiB, requestReadTimeoutMs: 3000 });
    const before = rssMiB(b.pid);
    const attackers: RawClient[] = [];
    for (let i = 0; i < 400; i++) {
      const c = await RawClient.connect(b.port);
      const head = Buffer.alloc(4);
      head.writeInt32BE(1 * MiB);
      c.write(Buffer.concat([head, Buffer.alloc(512 * 1024, 7)]));
      attackers.push(c);
    }
    await sleep(1000);
    const stats = await b.stats();
    expect(stats.requestMemoryReserved).toBeLessThanOrEqual(8 * MiB);
    expect(stats.connections).toBeGreaterThanOrEqual(400);
    // What the broker holds: the pool, plus the one 64 KiB socket read each waiting connection had in hand.
    expect(stats.requestBytesUnpooled).toBeLessThanOrEqual(400 * 64 * 1024);
    // Its resident memory: that, twice over for the allocator, plus slack; unbounded it would be 400 x 512 KiB = 200 MiB.
    const grown = rssMiB(b.pid) - before;
    expect(grown).toBeLessThan(8 + 2 * 400 * (64 / 1024) + 16);
    // A small request from someone else goes around the exhausted pool: it is answered while every
    // attacker still holds its place (none has timed out yet), not after the pool drains.
    const bystander = await RawClient.connect(b.port);
    bystander.write(frame(API.Metadata, 8, 1, (w) => w.int32(-1).bool(false).bool(false).bool(false)));
    expect(await bystander.frame(2500)).not.toBeNull();
    expect(attackers.filter((c) => c.closed)).toEqual([]);
    expect((await b.stats()).connectionsTimedOut).toBe(0);
    // The half-sent frames are cut after requestReadTimeoutMs and give their memory back.
    for (const c of attackers) expect(await c.waitClosed(8000)).toBe(true);
    const after = await b.stats();
    expect(after.connectionsTimedOut).toBeGreaterThanOrEqual(400);
    expect(after.requestMemoryReserved).toBe(0);
    expect(b.logLines.some((l) => /request frame still incomplete \d+ ms after the broker started reading it/.test(l))).toBe(true);
    // And a large produce gets its memory now.
    const producer = await KafkaProducer.connect(b.bootstrap, { acks: 1, batchBytes: MiB });
    await producer.partitionsOf("after-attack");
    producer.append("after-attack", 0, { value: Buffer.alloc(900_000, 1) });
    await producer.flush();
    await producer.close();
    bystander.close();
  });
});

describe("connections", () => {
  it("at maxConnections, the least recently active connection is closed to make room", async () => {
    const b = await broker({ maxConnections: 20 });
    const clients: RawClient[] = [];
    for (let i = 0; i < 25; i++) {
      clients.push(await RawClient.connect(b.port));
      await sleep(15);
    }
    for (const c of clients.slice(0, 5)) expect(await c.waitClosed(3000)).toBe(true);
    for (const c of clients.slice(5)) expect(c.closed).toBe(false);
    const last = clients[24];
    last.write(frame(API.ApiVersions, 2, 1));
    expect((await last.frame())!.readInt16BE(4)).toBe(ERROR.NONE);
    const stats = await b.stats();
    expect([stats.connections, stats.connectionsEvicted]).toEqual([20, 5]);
  });

  it("closes idle connections and half-sent frames, but not a connection waiting in a long-poll fetch", async () => {
    const b = await broker({ idleTimeoutMs: 400, requestReadTimeoutMs: 400 });
    const idle = await RawClient.connect(b.port);
    const half = await RawClient.connect(b.port);
    half.write(frame(API.ApiVersions, 2, 1).subarray(0, 6));
    const polling = await RawClient.connect(b.port);
    polling.write(frame(API.Metadata, 8, 1, (w) => w.int32(1).string("idle-topic").bool(true).bool(false).bool(false)));
    expect(await polling.frame()).not.toBeNull();
    const t0 = Date.now();
    polling.write(frame(API.Fetch, 11, 2, fetchBody("idle-topic", 0, 1024, 1500)));
    expect(await half.waitClosed(3000)).toBe(true);
    expect(await idle.waitClosed(3000)).toBe(true);
    const response = await polling.frame(4000);
    expect(response).not.toBeNull();
    expect(Date.now() - t0).toBeGreaterThanOrEqual(1400);
    expect(polling.closed).toBe(false);
    expect(b.logLines.some((l) => /idle for \d+ ms/.test(l))).toBe(true);
    expect(b.logLines.some((l) => /request frame still incomplete/.test(l))).toBe(true);
  });
});

describe("consumers that stop reading", () => {
  it("16 of them delay another consumer's fetch and an acks=-1 produce by less than 100 ms", async () => {
    const b = await broker({ serving: "sendfile" });
    const producer = await KafkaProducer.connect(b.bootstrap, { acks: 1, batchBytes: 256 * 1024 });
    await producer.partitionsOf("big");
    for (let i = 0; i < 96; i++) producer.append("big", 0, { value: Buffer.alloc(250 * 1024, i) });
    await producer.flush();
    await producer.close();
    const consumer = await RawClient.connect(b.port);
    const writer = await RawClient.connect(b.port);
    let id = 1;
    const timeFetch = async () => {
      const t0 = process.hrtime.bigint();
      consumer.write(frame(API.Fetch, 11, ++id, fetchBody("big", 0, MiB)));
      const r = readFetchResponse(new WireReader((await consumer.frame(60_000))!, 4), 11);
      expect(r.topics[0].partitions[0].records!.length).toBeGreaterThan(0);
      return Number(process.hrtime.bigint() - t0) / 1e6;
    };
    const timeProduce = async () => {
      const t0 = process.hrtime.bigint();
      writer.write(frame(API.Produce, 7, ++id, (w) => writeProduceRequest(w, 7, { transactionalId: null, acks: -1, timeoutMs: 30_000, topics: [{ name: "big", partitions: [{ partitionIndex: 0, records: buildBatch([{ value: Buffer.from("fsync me") }]) }] }] })));
      const r = readProduceResponse(new WireReader((await writer.frame(60_000))!, 4), 7);
      expect(r.topics[0].partitions[0].errorCode).toBe(ERROR.NONE);
      return Number(process.hrtime.bigint() - t0) / 1e6;
    };
    const measure = async () => {
      const fetches: number[] = [];
      const produces: number[] = [];
      for (let i = 0; i < 9; i++) {
        fetches.push(await timeFetch());
        produces.push(await timeProduce());
      }
      return { fetch: median(fetches), produce: median(produces), worst: Math.max(...fetches, ...produces) };
    };
    const quiet = await measure();
    // 16 consumers ask for 24 MiB each and never read a byte of the answer.
    const stalled: RawClient[] = [];
    for (let i = 0; i < 16; i++) {
      const c = await RawClient.connect(b.port);
      c.socket.pause();
      c.write(frame(API.Fetch, 11, 1, fetchBody("big", 0, 24 * MiB)));
      stalled.push(c);
    }
    for (let waited = 0; (await b.stats()).send.writableWaits < 16; waited += 50) {
      if (waited > 20_000) throw new Error("the stalled consumers never filled their sockets");
      await sleep(50);
    }
    const loaded = await measure();
    expect(loaded.fetch - quiet.fetch).toBeLessThan(100);
    expect(loaded.produce - quiet.produce).toBeLessThan(100);
    expect(loaded.worst).toBeLessThan(2000);
    const stats = await b.stats();
    expect(stats.connections).toBeGreaterThanOrEqual(18);
    for (const c of stalled) expect(c.closed).toBe(false);
    for (const c of stalled) c.close();
    consumer.close();
    writer.close();
  });
});
