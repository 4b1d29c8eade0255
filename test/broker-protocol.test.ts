// The broker's wire protocol against a broker running in this process: every malformed request, bad batch,
// out-of-range offset and oversized frame gets an error response (never a crash), and the two serving
// modes put the same bytes on the wire.
import { describe, it, expect, beforeAll, afterAll } from "vitest";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as net from "net";
import fc from "fast-check";
import { startBroker, Broker } from "../src/broker/server";
import { BrokerClient, BrokerError, ok } from "../src/broker/client";
import { API, ACKS, ERROR, encodeRequest, encodeFetchRequest } from "../src/broker/protocol";
import { encodeBatch, decodeBatch, FIELD } from "../src/broker/record-batch";
import { crc32c } from "../src/broker/crc32c";
import { nativeAvailable } from "../src/native/zero-copy";
import { ServingMode } from "../src/broker/fetch-server";
import { KiB, MiB } from "../src/units/sizes";

const MAX_BATCH = 64 * KiB;
const dirs: string[] = [];
const brokers: Broker[] = [];

/** Starts an in-process broker on a fresh temp log. */
async function broker(serving: ServingMode = "read-write"): Promise<Broker> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "workbook-broker-proto-"));
  dirs.push(dir);
  const b = await startBroker({ log: { dir, segmentBytes: 256 * KiB, indexIntervalBytes: 4096, flush: { mode: "os" } }, serving, maxBatchBytes: MAX_BATCH });
  brokers.push(b);
  return b;
}

afterAll(async () => {
  for (const b of brokers) await b.close();
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

/** Expects `promise` to reject with a BrokerError of `code`. */
async function expectError(promise: Promise<unknown>, code: number, message?: RegExp): Promise<void> {
  const error = await promise.then(() => null, (e: unknown) => e);
  expect(error).toBeInstanceOf(BrokerError);
  expect((error as BrokerError).code).toBe(code);
  if (message) expect((error as BrokerError).detail).toMatch(message);
}

/** Resolves when the socket is closed by the broker. */
function closed(client: BrokerClient): Promise<void> {
  return new Promise((resolve) => (client.socket.destroyed ? resolve() : client.socket.once("close", () => resolve())));
}

let b: Broker;
let client: BrokerClient;
beforeAll(async () => {
  b = await broker();
  client = await BrokerClient.connect(b.port);
  for (let i = 0; i < 20; i++) await client.produce(encodeBatch([Buffer.from(`r${i}a`), Buffer.from(`r${i}b`)]), ACKS.APPEND);
});
afterAll(() => client.close());

describe("broker protocol: requests that work", () => {
  it("assigns consecutive offsets, reports them, and serves whole batches", async () => {
    expect(await client.offsets()).toEqual({ logStartOffset: 0, logEndOffset: 40 });
    expect(await client.produce(encodeBatch([Buffer.from("x")]), ACKS.FSYNC)).toBe(40);
    const { logEndOffset, records } = await client.fetch(11, 1 * MiB);
    expect(logEndOffset).toBe(41);
    const first = decodeBatch(records);
    expect(first.baseOffset).toBe(10); // the batch holding offset 11
    expect(first.values.map(String)).toEqual(["r5a", "r5b"]);
    const stats = await client.stats<{ produceRequests: number; errors: object }>();
    expect(stats.produceRequests).toBe(21);
  });

  it("long-polls at the log end: empty after maxWaitMs, or the new batch as soon as it is appended", async () => {
    const tail = await BrokerClient.connect(b.port);
    const { logEndOffset } = await tail.offsets();
    const empty = await tail.fetch(logEndOffset, 1024, 30);
    expect(empty).toEqual({ logEndOffset, records: Buffer.alloc(0) });
    const waiting = tail.fetch(logEndOffset, 1024, 10_000);
    await new Promise((r) => setTimeout(r, 20));
    await client.produce(encodeBatch([Buffer.from("late")]));
    const got = await waiting;
    expect(decodeBatch(got.records)).toMatchObject({ baseOffset: logEndOffset, recordCount: 1 });
    tail.close();
  });
});

describe("broker protocol: bad input gets an error, the connection stays usable", () => {
  it("unknown apiKey", async () => {
    const response = await client.request(99);
    expect(response.errorCode).toBe(ERROR.UNKNOWN_API);
    expect(response.body.toString()).toMatch(/unknown apiKey 99/);
    expect((await client.offsets()).logStartOffset).toBe(0);
  });

  it("malformed bodies", async () => {
    expect((await client.request(API.FETCH, Buffer.alloc(3))).errorCode).toBe(ERROR.INVALID_REQUEST);
    expect((await client.request(API.OFFSETS, Buffer.alloc(1))).errorCode).toBe(ERROR.INVALID_REQUEST);
    expect((await client.request(API.PRODUCE, Buffer.alloc(4))).errorCode).toBe(ERROR.INVALID_REQUEST);
    expect((await client.request(API.FETCH, encodeFetchRequest(0, 0, 0))).errorCode).toBe(ERROR.INVALID_REQUEST);
    await expectError(client.produce(encodeBatch([Buffer.from("x")]), 7 as never), ERROR.INVALID_REQUEST, /acks/);
  });

  it("corrupt batches: bad CRC, wrong length, trailing bytes", async () => {
    const before = await client.offsets();
    const batch = encodeBatch([Buffer.from("hello"), Buffer.from("world")]);
    const badCrc = Buffer.from(batch);
    badCrc[batch.length - 1] ^= 1;
    await expectError(client.produce(badCrc), ERROR.CORRUPT_BATCH, /CRC32C mismatch/);
    const short = Buffer.from(batch);
    short.writeUInt32BE(batch.length, FIELD.batchLength);
    await expectError(client.produce(short), ERROR.CORRUPT_BATCH);
    await expectError(client.produce(Buffer.concat([batch, Buffer.alloc(3)])), ERROR.CORRUPT_BATCH, /carries/);
    const miscounted = Buffer.from(batch);
    miscounted.writeUInt32BE(3, FIELD.recordCount);
    miscounted.writeUInt32BE(crc32c(miscounted, FIELD.recordCount), FIELD.crc);
    await expectError(client.produce(miscounted), ERROR.CORRUPT_BATCH, /record 2 of 3/);
    expect(await client.offsets()).toEqual(before); // nothing was appended
  });

  it("out-of-range offsets", async () => {
    const { logEndOffset } = await client.offsets();
    await expectError(client.fetch(logEndOffset + 1, 1024), ERROR.OFFSET_OUT_OF_RANGE, /outside the log/);
    await expectError(client.fetch(Number.MAX_SAFE_INTEGER, 1024), ERROR.OFFSET_OUT_OF_RANGE);
    const huge = Buffer.alloc(16);
    huge.writeBigUInt64BE(2n ** 64n - 1n, 0);
    huge.writeUInt32BE(1024, 8);
    expect((await client.request(API.FETCH, huge)).errorCode).toBe(ERROR.OFFSET_OUT_OF_RANGE);
  });

  it("a batch above maxBatchBytes is refused in-band", async () => {
    const big = encodeBatch([Buffer.alloc(MAX_BATCH + 100, 1)]);
    await expectError(client.produce(big), ERROR.BATCH_TOO_LARGE, /at most 65536/);
    expect((await client.offsets()).logStartOffset).toBe(0);
  });
});

describe("broker protocol: frames that cannot be trusted close the connection", () => {
  it("a frame larger than the broker's limit gets FRAME_TOO_LARGE, then the connection closes", async () => {
    const c = await BrokerClient.connect(b.port);
    const [header] = encodeRequest(API.PRODUCE, 77, Buffer.alloc(0));
    header.writeUInt32BE(50 * MiB, 0); // claims 50 MiB
    const response = await c.sendRaw(header);
    expect(response.errorCode).toBe(ERROR.FRAME_TOO_LARGE);
    expect(response.correlationId).toBe(77);
    await closed(c);
  });

  it("a frame smaller than a request header gets INVALID_REQUEST, then the connection closes", async () => {
    const c = await BrokerClient.connect(b.port);
    const response = await c.sendRaw(Buffer.from([0, 0, 0, 2, 1, 1]));
    expect(response.errorCode).toBe(ERROR.INVALID_REQUEST);
    await closed(c);
  });

  it("random garbage never takes the broker down", async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ minLength: 1, maxLength: 200 }), async (garbage) => {
        const socket = net.connect(b.port, "127.0.0.1");
        await new Promise((r) => socket.once("connect", r));
        socket.on("data", () => undefined);
        socket.on("error", () => undefined);
        socket.end(Buffer.from(garbage));
        await new Promise((r) => socket.once("close", r));
      }),
      { numRuns: 60 },
    );
    const c = await BrokerClient.connect(b.port);
    expect((await c.offsets()).logStartOffset).toBe(0);
    const stats = await c.stats<{ errors: Record<string, number> }>();
    expect(Object.values(stats.errors).reduce((s, n) => s + n, 0)).toBeGreaterThan(0);
    c.close();
  });

  it("a consumer that disconnects in the middle of a fetch does not hurt the broker", async () => {
    const c = await BrokerClient.connect(b.port);
    for (let i = 0; i < 30; i++) await c.produce(encodeBatch([Buffer.alloc(30_000, i)]));
    const socket = net.connect(b.port, "127.0.0.1");
    await new Promise((r) => socket.once("connect", r));
    socket.write(Buffer.concat(encodeRequest(API.FETCH, 1, encodeFetchRequest(0, 1 * MiB, 0))));
    await new Promise((r) => socket.once("data", r));
    socket.destroy();
    expect((await c.fetch(0, 100)).records.length).toBeGreaterThan(0);
    c.close();
  });
});

describe("broker protocol: serving modes", () => {
  const modes: ServingMode[] = nativeAvailable().ok ? ["read-write", "sendfile"] : ["read-write"];

  it("sendfile is available here (the native addon is built), or says why not", async () => {
    const status = nativeAvailable();
    if (!status.ok) {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), "workbook-broker-proto-"));
      dirs.push(dir);
      await expect(startBroker({ log: { dir, segmentBytes: 1 * MiB, indexIntervalBytes: 4096, flush: { mode: "os" } }, serving: "sendfile", maxBatchBytes: 1024 })).rejects.toThrow(/sendfile serving is unavailable/);
    }
    expect(status.ok).toBe(true);
  });

  it("both modes put the same bytes on the wire for the same fetches", async () => {
    const responses: Buffer[][] = [];
    for (const mode of modes) {
      const m = await broker(mode);
      const c = await BrokerClient.connect(m.port);
      for (let i = 0; i < 50; i++) await c.produce(encodeBatch(Array.from({ length: 1 + (i % 4) }, (_, k) => Buffer.alloc(700 * (k + 1), i + k))));
      const got: Buffer[] = [];
      for (const [offset, maxBytes] of [[0, 1], [0, 5000], [17, 20_000], [100, 1 * MiB], [121, 100]]) {
        const raw = await c.request(API.FETCH, encodeFetchRequest(offset, maxBytes, 0));
        got.push(ok(raw).body);
      }
      responses.push(got);
      const stats = await c.stats<{ sendfileTransfers: number; sendfileCalls: number; fileReads: number }>();
      expect(mode === "sendfile" ? stats.sendfileTransfers : stats.fileReads).toBe(5);
      if (mode === "sendfile") expect(stats.sendfileCalls).toBeGreaterThanOrEqual(5);
      c.close();
    }
    for (const other of responses.slice(1)) expect(other).toEqual(responses[0]);
    expect(responses[0][1].length).toBeLessThanOrEqual(12 + 5000);
  });
});
