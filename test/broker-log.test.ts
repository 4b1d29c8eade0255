// The broker's storage: CRC32C, the record batch format, the sparse offset index, segment roll, flush
// policy and crash recovery (torn tails truncated, later segments dropped, acknowledged data kept).
import { describe, it, expect, beforeEach, afterEach } from "vitest";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import fc from "fast-check";
import { crc32c } from "../src/broker/crc32c";
import { encodeBatch, decodeBatch, checkBatch, readBatchHeader, writeBaseOffset, BatchFormatError, BATCH_HEADER_BYTES, FIELD } from "../src/broker/record-batch";
import { Log, LogConfig } from "../src/broker/log";
import { OffsetIndex } from "../src/broker/offset-index";
import { segmentFileName } from "../src/broker/segment";
import { KiB, MiB } from "../src/units/sizes";

/** Bit-at-a-time CRC32C, straight from the definition; the reference the table-driven one must match. */
function crc32cBitwise(bytes: Uint8Array): number {
  let crc = 0xffffffff;
  for (const byte of bytes) {
    crc ^= byte;
    for (let k = 0; k < 8; k++) crc = crc & 1 ? (crc >>> 1) ^ 0x82f63b78 : crc >>> 1;
  }
  return ~crc >>> 0;
}

describe("crc32c", () => {
  it("matches the RFC 3720 test vectors", () => {
    expect(crc32c(Buffer.from("123456789"))).toBe(0xe3069283);
    expect(crc32c(Buffer.alloc(32, 0))).toBe(0x8a9136aa);
    expect(crc32c(Buffer.alloc(32, 0xff))).toBe(0x62a8ab43);
    expect(crc32c(Buffer.from(Array.from({ length: 32 }, (_, i) => i)))).toBe(0x46dd794e);
    expect(crc32c(Buffer.alloc(0))).toBe(0);
  });

  it("equals the bitwise definition and can be computed in pieces", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), fc.nat(300), (bytes, cut) => {
        const at = Math.min(cut, bytes.length);
        const whole = crc32c(bytes);
        expect(whole).toBe(crc32cBitwise(bytes));
        expect(crc32c(bytes, at, bytes.length, crc32c(bytes, 0, at))).toBe(whole);
      }),
    );
  });
});

describe("record batch", () => {
  const values = [Buffer.from("alpha"), Buffer.alloc(0), Buffer.from("a longer third record")];

  it("round-trips records and lays out the documented header", () => {
    const batch = encodeBatch(values, 41);
    expect(batch.length).toBe(BATCH_HEADER_BYTES + values.reduce((s, v) => s + 4 + v.length, 0));
    expect(Number(batch.readBigUInt64BE(FIELD.baseOffset))).toBe(41);
    expect(batch.readUInt32BE(FIELD.batchLength)).toBe(batch.length - 12);
    expect(batch.readUInt32BE(FIELD.crc)).toBe(crc32c(batch, FIELD.recordCount));
    const decoded = decodeBatch(batch);
    expect(decoded).toMatchObject({ baseOffset: 41, size: batch.length, recordCount: 3 });
    expect(decoded.values.map((v) => v.toString())).toEqual(values.map((v) => v.toString()));
  });

  it("lets the broker restamp baseOffset without recomputing the CRC", () => {
    const batch = encodeBatch(values);
    writeBaseOffset(batch, 123456789);
    expect(checkBatch(batch).baseOffset).toBe(123456789);
  });

  it("rejects every single-byte corruption after the CRC field", () => {
    const batch = encodeBatch(values);
    for (let i = FIELD.crc; i < batch.length; i++) {
      const bad = Buffer.from(batch);
      bad[i] ^= 0x5a;
      expect(() => checkBatch(bad), `byte ${i}`).toThrow(BatchFormatError);
    }
  });

  it("rejects truncated, overlong, empty and mis-framed batches", () => {
    const batch = encodeBatch(values);
    expect(() => checkBatch(batch.subarray(0, batch.length - 1))).toThrow(/only/);
    expect(() => checkBatch(batch.subarray(0, 10))).toThrow(/shorter than/);
    const empty = Buffer.alloc(BATCH_HEADER_BYTES);
    empty.writeUInt32BE(BATCH_HEADER_BYTES - 12, FIELD.batchLength);
    empty.writeUInt32BE(crc32c(empty, FIELD.recordCount), FIELD.crc);
    expect(() => checkBatch(empty)).toThrow(/recordCount is 0/);
    // A record count that does not match the records, with a valid CRC: framing check catches it.
    const miscounted = Buffer.from(batch);
    miscounted.writeUInt32BE(2, FIELD.recordCount);
    miscounted.writeUInt32BE(crc32c(miscounted, FIELD.recordCount), FIELD.crc);
    expect(() => checkBatch(miscounted)).toThrow(/after the last of 2 records/);
    expect(readBatchHeader(batch.subarray(0, 19))).toBeNull();
    expect(() => encodeBatch([])).toThrow(RangeError);
  });
});

describe("offset index", () => {
  it("finds the largest entry at or below a target and refuses to go backwards", () => {
    const index = new OffsetIndex("/nonexistent", 100);
    index.append(100, 0);
    index.append(110, 4096);
    index.append(130, 9000);
    expect(index.lookup(100)).toEqual({ offset: 100, position: 0 });
    expect(index.lookup(129)).toEqual({ offset: 110, position: 4096 });
    expect(index.lookup(10_000)).toEqual({ offset: 130, position: 9000 });
    expect(index.lastPositionAtOrBefore(9000)).toBe(9000);
    expect(index.lastPositionAtOrBefore(8999)).toBe(4096);
    expect(() => index.append(130, 10_000)).toThrow(/increase/);
  });
});

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "workbook-broker-log-"));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

/** A log config for tests: small segments so a few hundred KiB roll several times. */
function config(overrides: Partial<LogConfig> = {}): LogConfig {
  return { dir, segmentBytes: 64 * KiB, indexIntervalBytes: 4096, flush: { mode: "os" }, ...overrides };
}

/** Appends `batches` batches of `perBatch` records of `bytes` bytes; record i's value encodes its offset. */
function fill(log: Log, batches: number, perBatch = 5, bytes = 300): void {
  for (let b = 0; b < batches; b++) {
    const first = log.logEndOffset;
    const values = Array.from({ length: perBatch }, (_, i) => Buffer.alloc(bytes, `record ${first + i};`));
    expect(log.append(encodeBatch(values), perBatch)).toBe(first);
  }
}

/** Reads every record of the log through slice() (as fetches do) and checks offsets and contents. */
function readAll(log: Log, maxBytes = 10_000): number {
  let next = log.logStartOffset;
  while (next < log.logEndOffset) {
    const slice = log.slice(next, maxBytes);
    if (slice.kind !== "data") throw new Error(`expected data at ${next}, got ${slice.kind}`);
    const bytes = Buffer.alloc(slice.length);
    fs.readSync(slice.fd, bytes, 0, slice.length, slice.position);
    for (let at = 0; at < bytes.length; ) {
      const batch = decodeBatch(bytes, at);
      expect(batch.baseOffset <= next && next < batch.baseOffset + batch.recordCount).toBe(true);
      batch.values.forEach((v, i) => expect(v.toString().startsWith(`record ${batch.baseOffset + i};`)).toBe(true));
      next = batch.baseOffset + batch.recordCount;
      at += batch.size;
    }
  }
  return next;
}

/** Copies the log directory while the log is open: what a kill -9 leaves (no clean-shutdown marker). */
function crashCopy(): string {
  const copy = fs.mkdtempSync(path.join(os.tmpdir(), "workbook-broker-crash-"));
  for (const name of fs.readdirSync(dir)) fs.copyFileSync(path.join(dir, name), path.join(copy, name));
  return copy;
}

/** The .log files of a directory, oldest first. */
function logFiles(d: string): string[] {
  return fs.readdirSync(d).filter((n) => n.endsWith(".log")).sort();
}

describe("log", () => {
  it("appends sequentially, rolls segments by size and serves whole batches from every offset", async () => {
    const log = Log.open(config());
    fill(log, 100); // 100 x ~1.5 KiB = ~155 KiB -> 3 segments of <= 64 KiB
    expect(log.logEndOffset).toBe(500);
    expect(log.stats.rolls).toBeGreaterThanOrEqual(2);
    expect(log.segmentPaths.length).toBe(log.stats.rolls + 1);
    for (const file of log.segmentPaths) expect(fs.statSync(file).size).toBeLessThanOrEqual(64 * KiB);
    expect(readAll(log)).toBe(500);
    // A fetch in the middle of a batch starts at that batch; a fetch too small for one batch still gets it.
    const mid = log.slice(7, 1);
    expect(mid.kind === "data" && readBatchHeader(readAt(mid.fd, mid.position, 20))?.baseOffset).toBe(5);
    expect(mid.kind === "data" && mid.length).toBe(BATCH_HEADER_BYTES + 5 * 304);
    expect(log.slice(500, 1000)).toEqual({ kind: "empty", logEndOffset: 500 });
    expect(log.slice(501, 1000).kind).toBe("out-of-range");
    expect(log.slice(-1, 1000).kind).toBe("out-of-range");
    await log.close();
  });

  it("keeps the index sparse: about one entry per indexIntervalBytes", async () => {
    const log = Log.open(config({ segmentBytes: 1 * MiB, indexIntervalBytes: 8192 }));
    fill(log, 200, 1, 1000); // 200 batches of 1024 bytes in one segment
    await log.close();
    const entries = fs.statSync(path.join(dir, segmentFileName(0, ".index"))).size / 8;
    expect(entries).toBeGreaterThanOrEqual(Math.floor((200 * KiB) / (8192 + 1024)));
    expect(entries).toBeLessThanOrEqual(Math.ceil((200 * KiB) / 8192) + 1);
  });

  it("reopens after a clean shutdown without recovery and continues the offsets", async () => {
    const log = Log.open(config());
    fill(log, 60);
    await log.close();
    expect(fs.existsSync(path.join(dir, ".clean-shutdown"))).toBe(true);
    const again = Log.open(config());
    expect(again.recovery.clean).toBe(true);
    expect(fs.existsSync(path.join(dir, ".clean-shutdown"))).toBe(false);
    expect(again.logEndOffset).toBe(300);
    fill(again, 10);
    expect(readAll(again)).toBe(350);
    await again.close();
  });

  it("recovers after a crash: truncates a torn trailing batch and keeps every whole one", async () => {
    const log = Log.open(config());
    fill(log, 50);
    const copy = crashCopy();
    await log.close();
    const last = path.join(copy, logFiles(copy).at(-1)!);
    const torn = encodeBatch([Buffer.alloc(500, 1)]);
    writeBaseOffset(torn, 250);
    fs.appendFileSync(last, torn.subarray(0, 300)); // half a batch: what a kill -9 mid-write leaves
    const recovered = Log.open({ ...config(), dir: copy });
    expect(recovered.recovery).toMatchObject({ clean: false, truncatedBytes: 300, deletedSegments: 0, logEndOffset: 250 });
    expect(recovered.recovery.recovered.at(-1)!.stoppedBecause).toMatch(/partial batch/);
    fill(recovered, 3); // appends continue right after the last whole batch
    expect(readAll(recovered)).toBe(265);
    await recovered.close();
    fs.rmSync(copy, { recursive: true });
  });

  it("truncates at a corrupt batch and deletes the segments after it", async () => {
    const log = Log.open(config());
    fill(log, 100);
    const copy = crashCopy();
    await log.close();
    const files = logFiles(copy);
    expect(files.length).toBeGreaterThanOrEqual(3);
    const first = path.join(copy, files[0]);
    const size = fs.statSync(first).size;
    const fd = fs.openSync(first, "r+");
    fs.writeSync(fd, Buffer.from([0xff]), 0, 1, 5000); // flip one byte inside a batch body
    fs.closeSync(fd);
    const recovered = Log.open({ ...config(), dir: copy });
    const report = recovered.recovery;
    expect(report.clean).toBe(false);
    expect(report.recovered[0].stoppedBecause).toMatch(/CRC32C mismatch/);
    expect(report.deletedSegments).toBe(files.length - 1);
    expect(logFiles(copy)).toEqual([files[0]]);
    const kept = report.recovered[0].validBytes;
    expect(kept).toBeLessThanOrEqual(5000);
    expect(report.truncatedBytes).toBeGreaterThan(size - kept);
    expect(readAll(recovered)).toBe(recovered.logEndOffset);
    expect(recovered.logEndOffset).toBe(report.recovered[0].batches * 5);
    await recovered.close();
    fs.rmSync(copy, { recursive: true });
  });

  it("recovers a log whose crash left a stray partial header and a lost index", async () => {
    const log = Log.open(config());
    fill(log, 30);
    const copy = crashCopy();
    await log.close();
    for (const name of fs.readdirSync(copy)) if (name.endsWith(".index")) fs.rmSync(path.join(copy, name));
    fs.appendFileSync(path.join(copy, logFiles(copy).at(-1)!), Buffer.alloc(7, 0xee));
    const recovered = Log.open({ ...config(), dir: copy });
    expect(recovered.recovery).toMatchObject({ clean: false, truncatedBytes: 7, logEndOffset: 150 });
    expect(readAll(recovered, 3000)).toBe(150);
    await recovered.close();
    fs.rmSync(copy, { recursive: true });
  });

  it("flushes by policy: every batch, on an interval, or only when asked", async () => {
    const every = Log.open(config({ flush: { mode: "every-batch" } }));
    fill(every, 20);
    await every.flush();
    expect(every.stats.fsyncs).toBeGreaterThanOrEqual(1);
    expect(every.stats.fsyncs).toBeLessThanOrEqual(20); // group commit: appends during an fsync share the next one
    await every.close();
    fs.rmSync(dir, { recursive: true });
    fs.mkdirSync(dir);

    const os_ = Log.open(config({ flush: { mode: "os" } }));
    fill(os_, 20);
    await new Promise((r) => setTimeout(r, 50));
    expect(os_.stats.fsyncs).toBe(0);
    await os_.flush();
    expect(os_.stats.fsyncs).toBe(1);
    await os_.flush(); // nothing new: no fsync
    expect(os_.stats.fsyncs).toBe(1);
    await os_.close();
    fs.rmSync(dir, { recursive: true });
    fs.mkdirSync(dir);

    const timed = Log.open(config({ flush: { mode: "interval", intervalMs: 20 } }));
    fill(timed, 5);
    const start = Date.now();
    while (timed.stats.fsyncs === 0 && Date.now() - start < 5000) await new Promise((r) => setTimeout(r, 10));
    expect(timed.stats.fsyncs).toBeGreaterThanOrEqual(1);
    await timed.close();
  });
});

/** Reads `length` bytes at `position`. */
function readAt(fd: number, position: number, length: number): Buffer {
  const out = Buffer.alloc(length);
  fs.readSync(fd, out, 0, length, position);
  return out;
}
