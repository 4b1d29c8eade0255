// The broker as a separate process: every consumer gets every acknowledged record exactly once, in order,
// CRC-checked, while producers append concurrently; and after kill -9 during produce (acks after fsync)
// recovery truncates any torn tail and no acknowledged record is lost.
import { describe, it, expect, afterEach } from "vitest";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { spawnBroker, BrokerProcess } from "../src/broker/broker-process";
import { BrokerConfig } from "../src/broker/server";
import { produceRecords, ProduceResult } from "../src/broker/producer";
import { consumeRecords } from "../src/broker/consumer";
import { DeliveryLedger } from "../src/broker/test-records";
import { BrokerClient } from "../src/broker/client";
import { ACKS } from "../src/broker/protocol";
import { ServingMode } from "../src/broker/fetch-server";
import { liveCount } from "../src/cleanup/registry";
import { KiB, MiB } from "../src/units/sizes";

const dirs: string[] = [];
const running: BrokerProcess[] = [];
afterEach(async () => {
  for (const b of running.splice(0)) await b.kill9();
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

/** A broker config on a fresh temp dir with small segments (several rolls in a few MiB). */
function brokerConfig(serving: ServingMode, extra: Partial<BrokerConfig["log"]> = {}): BrokerConfig {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "workbook-broker-delivery-"));
  dirs.push(dir);
  return { serving, maxBatchBytes: 1 * MiB, log: { dir, segmentBytes: 512 * KiB, indexIntervalBytes: 4096, flush: { mode: "os" }, ...extra } };
}

/** Starts a broker child and remembers it for cleanup. */
async function start(config: BrokerConfig): Promise<BrokerProcess> {
  const broker = await spawnBroker(config);
  running.push(broker);
  return broker;
}

/** Acknowledged record counts per producer. */
function ackedCounts(results: ProduceResult[]): Map<number, number> {
  return new Map(results.map((r) => [r.producerId, r.acked]));
}

describe.each(["sendfile", "read-write"] as const)("exactly-once delivery, %s serving", (serving) => {
  it("3 producers and 4 consumers (2 tailing, 2 catching up) running at once", async () => {
    const broker = await start(brokerConfig(serving));
    const producers = 3;
    const perProducer = 1500;
    const total = producers * perProducer; // ~3.5 MiB of 800-byte records
    const ledgers = Array.from({ length: 4 }, () => new DeliveryLedger());
    const consume = (ledger: DeliveryLedger, maxBytes: number) =>
      consumeRecords({ port: broker.port, fromOffset: 0, untilOffset: total, maxBytes, maxWaitMs: 200, onRecord: (v, o) => ledger.receive(v, o) });
    // Two consumers tail from the start; two join once part of the log exists and catch up.
    const tailing = [consume(ledgers[0], 64 * KiB), consume(ledgers[1], 1 * MiB)];
    const produced = Promise.all(
      Array.from({ length: producers }, (_, p) =>
        produceRecords({ port: broker.port, producerId: p, records: perProducer, recordBytes: 800, recordsPerBatch: 1 + p * 7, acks: p === 0 ? ACKS.FSYNC : ACKS.APPEND }),
      ),
    );
    const client = await BrokerClient.connect(broker.port);
    while ((await client.offsets()).logEndOffset < total / 3) await new Promise((r) => setTimeout(r, 5));
    const catchingUp = [consume(ledgers[2], 100_000), consume(ledgers[3], 7000)];
    const acked = ackedCounts(await produced);
    const results = await Promise.all([...tailing, ...catchingUp]);
    for (const [i, ledger] of ledgers.entries()) {
      expect(ledger.missing(acked), `consumer ${i}`).toEqual([]);
      expect(ledger.records).toBe(total);
      expect(results[i].records).toBe(total);
    }
    type Stats = { bytesServed: number; responsesInFlight: number; logBytes: number; sendfileCalls: number; fileReads: number; log: { rolls: number } };
    // A consumer can hold every byte before the broker's send call returns: wait until nothing is in flight.
    let stats = await client.stats<Stats>();
    while (stats.responsesInFlight > 0) stats = await client.stats<Stats>();
    client.close();
    expect(stats.log.rolls).toBeGreaterThanOrEqual(5);
    expect(stats.bytesServed).toBe(results.reduce((s, r) => s + r.bytesFetched, 0));
    expect(stats.bytesServed).toBeGreaterThanOrEqual(4 * stats.logBytes); // whole batches: a fetch may resend part of a batch
    expect(serving === "sendfile" ? stats.sendfileCalls : stats.fileReads).toBeGreaterThan(0);
    expect(serving === "sendfile" ? stats.fileReads : stats.sendfileCalls).toBe(0);
    await broker.stop();
  });
});

/** Reads the whole log from a fresh broker and checks every acknowledged record is there exactly once, in order. */
async function checkAcknowledgedSurvived(broker: BrokerProcess, produced: ProduceResult[]): Promise<number> {
  const client = await BrokerClient.connect(broker.port);
  const { logEndOffset } = await client.offsets();
  client.close();
  const ledger = new DeliveryLedger();
  const read = await consumeRecords({ port: broker.port, fromOffset: 0, untilOffset: logEndOffset, onRecord: (v, o) => ledger.receive(v, o) });
  expect(read.records).toBe(logEndOffset);
  expect(ledger.missing(ackedCounts(produced))).toEqual([]);
  return logEndOffset;
}

describe("crash and recovery", () => {
  it("kill -9 during produce with acks after fsync loses no acknowledged record", async () => {
    const config = brokerConfig("read-write", { segmentBytes: 256 * KiB });
    const broker = await start(config);
    const produce = Array.from({ length: 2 }, (_, p) =>
      produceRecords({ port: broker.port, producerId: p, records: 1_000_000, recordBytes: 500, recordsPerBatch: 10, acks: ACKS.FSYNC, tolerateDisconnect: true }),
    );
    const client = await BrokerClient.connect(broker.port);
    while ((await client.offsets()).logEndOffset < 3000) await new Promise((r) => setTimeout(r, 2));
    await broker.kill9();
    const produced = await Promise.all(produce);
    for (const p of produced) {
      expect(p.disconnected).not.toBeNull();
      expect(p.acked).toBeGreaterThan(0);
    }
    const restarted = await start(config);
    expect(restarted.recovery.clean).toBe(false);
    expect(restarted.recovery.recovered.length).toBeGreaterThanOrEqual(2);
    const end = await checkAcknowledgedSurvived(restarted, produced);
    expect(end).toBeGreaterThanOrEqual(produced.reduce((s, p) => s + p.acked, 0));
    await restarted.stop();
  });

  it("a torn write (half a batch, then SIGKILL) is truncated by recovery", async () => {
    const config = brokerConfig("sendfile", { segmentBytes: 128 * KiB, tornWriteAtAppend: 150 });
    const broker = await start(config);
    const produced = await Promise.all(
      Array.from({ length: 2 }, (_, p) =>
        produceRecords({ port: broker.port, producerId: p, records: 100_000, recordBytes: 300, recordsPerBatch: 20, acks: ACKS.FSYNC, tolerateDisconnect: true }),
      ),
    );
    expect((await broker.exited).signal).toBe("SIGKILL");
    expect(produced.reduce((s, p) => s + p.batches, 0)).toBeLessThan(150);
    const restarted = await start({ ...config, log: { ...config.log, tornWriteAtAppend: undefined } });
    const batchBytes = 20 + 20 * (4 + 300);
    expect(restarted.recovery).toMatchObject({ clean: false, truncatedBytes: Math.floor(batchBytes / 2), deletedSegments: 0 });
    expect(restarted.recovery.recovered.at(-1)!.stoppedBecause).toMatch(/partial batch/);
    const end = await checkAcknowledgedSurvived(restarted, produced);
    expect(end).toBe(149 * 20); // 149 whole batches were appended before the torn one
    await restarted.stop();
    // A clean stop leaves a marker: the next start skips recovery.
    const again = await start(config);
    expect(again.recovery.clean).toBe(true);
    await again.stop();
    expect(liveCount()).toBe(0);
  });
});
