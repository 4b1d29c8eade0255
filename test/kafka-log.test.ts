// The log on disk in Kafka's layout: <topic>-<partition>/ folders, segments named by base offset, the
// sparse .index (8-byte entries: relative offset, position; one per index.interval.bytes), segment roll,
// fetch slices of whole batches, the recovery checkpoint, and recovery after a crash: a torn tail is cut,
// a corrupted batch and everything after it is cut, segments before the recovery point are not re-read.
import { describe, it, expect, afterAll } from "vitest";
import * as fs from "fs";
import * as path from "path";
import { LogManager, describeRecovery, CLEAN_SHUTDOWN_FILE, DataDirInUse } from "../src/kafka/log/log-manager";
import { PartitionLog } from "../src/kafka/log/partition-log";
import { OffsetIndex, INDEX_ENTRY_BYTES } from "../src/kafka/log/offset-index";
import { segmentFileName } from "../src/kafka/log/log-segment";
import { readRecoveryPoints, RECOVERY_CHECKPOINT_FILE } from "../src/kafka/log/recovery-checkpoint";
import { buildBatch } from "../src/kafka/records/batch-builder";
import { validateBatch, readBatchHeader, FIELD } from "../src/kafka/records/record-batch";
import { decodeRecords } from "../src/kafka/records/records";
import { readRecordSet } from "../src/kafka/records/record-set";
import { dumpFirstBatch } from "../src/kafka/records/batch-dump";
import { tempDir, cleanupKafka } from "./support/kafka";
import { MiB } from "../src/units/sizes";

afterAll(cleanupKafka);

const config = (dataDir: string, segmentBytes = 64 * 1024) => ({ dataDir, segmentBytes, indexIntervalBytes: 4096, checkpointIntervalMs: 60_000 });

/** Appends `n` batches of `perBatch` records of `size` bytes; record values say their offset. */
function fill(log: PartitionLog, n: number, perBatch = 10, size = 100): void {
  for (let i = 0; i < n; i++) {
    const first = log.logEndOffset;
    const batch = buildBatch(Array.from({ length: perBatch }, (_, j) => ({ value: Buffer.from(`offset ${first + j}`.padEnd(size, ".")) })));
    log.append(batch, 0, validateBatch(batch, 0, batch.length));
  }
}

/** Reads the whole partition back through read() and checks every record's value names its offset. */
function readAll(log: PartitionLog): number {
  let offset = log.logStartOffset;
  let records = 0;
  while (offset < log.logEndOffset) {
    const r = log.read(offset, 10_000);
    if (r.kind !== "records") throw new Error(`read at ${offset}: ${r.kind}`);
    const bytes = Buffer.alloc(r.slice.length);
    fs.readSync(r.slice.fd, bytes, 0, bytes.length, r.slice.position);
    const set = readRecordSet(bytes, 0, bytes.length, offset);
    for (const b of set.batches) {
      for (const rec of decodeRecords(bytes, b.start)) {
        expect(rec.value!.toString().startsWith(`offset ${rec.offset}.`)).toBe(true);
        records++;
      }
    }
    offset = set.nextOffset;
  }
  return records;
}

describe("the on-disk layout", () => {
  it("uses <topic>-<partition> folders and 20-digit base-offset segment names, and rolls at segmentBytes", async () => {
    const dir = tempDir("log");
    const m = LogManager.open(config(dir));
    const [p0] = m.createTopic("orders.v1", 2);
    fill(p0, 100);
    expect(fs.readdirSync(dir).filter((f) => !f.startsWith(".")).sort()).toEqual(["orders.v1-0", "orders.v1-1"]);
    const files = fs.readdirSync(path.join(dir, "orders.v1-0")).filter((f) => f.endsWith(".log"));
    expect(files.length).toBeGreaterThan(1);
    expect(files[0]).toBe("00000000000000000000.log");
    for (const f of files) expect(f).toMatch(/^\d{20}\.log$/);
    // Each segment starts where the previous ended, and none exceeds segmentBytes.
    for (const s of p0.segments) expect(s.size).toBeLessThanOrEqual(64 * 1024);
    p0.segments.slice(1).forEach((s, i) => expect(s.baseOffset).toBe(p0.segments[i].nextOffset));
    expect(segmentFileName(p0.segments[1].baseOffset, ".log")).toBe(path.basename(p0.segments[1].logFile));
    await m.close();
  });

  it("stores batches byte for byte as produced, except base offset and leader epoch", async () => {
    const dir = tempDir("log");
    const m = LogManager.open(config(dir));
    const [p] = m.createTopic("t", 1);
    const sent: Buffer[] = [];
    for (let i = 0; i < 3; i++) {
      const batch = buildBatch([{ key: Buffer.from(`k${i}`), value: Buffer.from(`v${i}`), headers: [{ key: "h", value: Buffer.from("x") }] }]);
      sent.push(Buffer.from(batch));
      p.append(batch, 0, validateBatch(batch, 0, batch.length));
    }
    await m.close();
    const stored = fs.readFileSync(path.join(dir, "t-0", "00000000000000000000.log"));
    let at = 0;
    sent.forEach((original, i) => {
      const size = readBatchHeader(stored, at).sizeInBytes;
      expect(size).toBe(original.length);
      expect(stored.subarray(at + FIELD.magic, at + size)).toEqual(original.subarray(FIELD.magic));
      expect(readBatchHeader(stored, at).baseOffset).toBe(i);
      at += size;
    });
    expect(at).toBe(stored.length);
    expect(dumpFirstBatch(path.join(dir, "t-0", "00000000000000000000.log")).find((r) => r.field === "record[0].key")!.value).toBe('"k0"');
  });

  it("writes Kafka's sparse index: 8-byte entries of (last offset - base, batch position), one per 4096 bytes", async () => {
    const dir = tempDir("log");
    const m = LogManager.open(config(dir, MiB));
    const [p] = m.createTopic("t", 1);
    fill(p, 50, 10, 100); // batches of ~1.1 KiB
    await m.close();
    const index = fs.readFileSync(path.join(dir, "t-0", "00000000000000000000.index"));
    const log = fs.readFileSync(path.join(dir, "t-0", "00000000000000000000.log"));
    expect(index.length % INDEX_ENTRY_BYTES).toBe(0);
    const entries = Array.from({ length: index.length / 8 }, (_, i) => ({ relative: index.readInt32BE(i * 8), position: index.readInt32BE(i * 8 + 4) }));
    expect(entries.length).toBeGreaterThan(5);
    let lastPosition = 0;
    for (const e of entries) {
      // The entry points at a batch start, and its offset is that batch's last offset.
      const h = readBatchHeader(log, e.position);
      expect(h.baseOffset + h.lastOffsetDelta).toBe(e.relative);
      // Kafka adds an entry once more than index.interval.bytes were appended since the last one.
      expect(e.position - lastPosition).toBeGreaterThan(4096);
      expect(e.position - lastPosition).toBeLessThan(4096 + 2 * h.sizeInBytes);
      lastPosition = e.position;
    }
    const loaded = OffsetIndex.load(path.join(dir, "t-0", "00000000000000000000.index"), 0, log.length)!;
    expect(loaded.lookup(entries[2].relative + 3).position).toBe(entries[2].position);
    expect(loaded.lookup(0).position).toBe(0);
  });

  it("serves whole batches: at most maxBytes, but always the first batch; reads every record back", async () => {
    const dir = tempDir("log");
    const m = LogManager.open(config(dir));
    const [p] = m.createTopic("t", 1);
    fill(p, 200);
    const one = p.read(55, 10);
    expect(one.kind).toBe("records");
    if (one.kind === "records") {
      expect(one.firstOffset).toBe(50);
      expect(one.slice.length).toBe(readBatchHeader(fs.readFileSync(p.segments[0].logFile), one.slice.position).sizeInBytes);
    }
    const many = p.read(0, 5000);
    if (many.kind === "records") expect(many.slice.length).toBeLessThanOrEqual(5000);
    expect(p.read(p.logEndOffset, 100).kind).toBe("empty");
    expect(p.read(p.logEndOffset + 1, 100).kind).toBe("out-of-range");
    expect(readAll(p)).toBe(2000);
    await m.close();
  });
});

describe("shutdown and recovery", () => {
  it("a clean shutdown leaves the marker and the checkpoint; the next start checks nothing", async () => {
    const dir = tempDir("log");
    let m = LogManager.open(config(dir));
    fill(m.createTopic("t", 1)[0], 100);
    await m.close();
    expect(fs.existsSync(path.join(dir, CLEAN_SHUTDOWN_FILE))).toBe(true);
    expect(fs.readFileSync(path.join(dir, RECOVERY_CHECKPOINT_FILE), "utf8")).toBe("0\n1\nt 0 1000\n");
    m = LogManager.open(config(dir));
    expect(m.recovery.clean).toBe(true);
    expect(m.recovery.partitions[0].segmentsValidated).toBe(0);
    expect(fs.existsSync(path.join(dir, CLEAN_SHUTDOWN_FILE))).toBe(false);
    expect(m.partition("t", 0)!.logEndOffset).toBe(1000);
    expect(readAll(m.partition("t", 0)!)).toBe(1000);
    await m.close();
  });

  it("after a crash, cuts a torn batch at the end and says so; only segments from the recovery point on are checked", async () => {
    const dir = tempDir("log");
    let m = LogManager.open(config(dir));
    const p = m.createTopic("t", 1)[0];
    fill(p, 100);
    await p.flush();
    await m.checkpoint();
    fill(p, 5);
    const tail = p.segments[p.segments.length - 1];
    const torn = buildBatch([{ value: Buffer.alloc(3000, 1) }]);
    fs.appendFileSync(tail.logFile, torn.subarray(0, 1234));
    const segments = p.segments.length;
    m.abandon();
    m = LogManager.open(config(dir));
    const r = m.recovery.partitions[0];
    expect(m.recovery.clean).toBe(false);
    expect(r.recoveryPoint).toBe(1000);
    expect(r.segmentsValidated).toBe(1);
    expect(r.segments).toBe(segments);
    expect(r.truncatedBytes).toBe(1234);
    expect(r.truncation!.reason).toMatch(/partial batch \(1234 of 3070 bytes\)/);
    expect(describeRecovery(m.recovery).join("\n")).toMatch(/truncated 1234 bytes at \d{20}\.log:\d+/);
    const log = m.partition("t", 0)!;
    expect(log.logEndOffset).toBe(1050);
    expect(readAll(log)).toBe(1050);
    // The log takes appends again right after the cut.
    fill(log, 1);
    expect(readAll(log)).toBe(1060);
    await m.close();
  });

  it("after a crash with no checkpoint, checks every batch's CRC: a flipped bit cuts the log there and deletes later segments", async () => {
    const dir = tempDir("log");
    let m = LogManager.open(config(dir));
    fill(m.createTopic("t", 1)[0], 150);
    const p = m.partition("t", 0)!;
    const victim = p.segments[1];
    const bad = readBatchHeader(fs.readFileSync(victim.logFile), 0).sizeInBytes * 3 + 80;
    const later = p.segments.slice(2).map((s) => s.logFile);
    m.abandon();
    const fd = fs.openSync(victim.logFile, "r+");
    const byte = Buffer.alloc(1);
    fs.readSync(fd, byte, 0, 1, bad);
    byte[0] ^= 0x40;
    fs.writeSync(fd, byte, 0, 1, bad);
    fs.closeSync(fd);
    m = LogManager.open(config(dir));
    const r = m.recovery.partitions[0];
    expect(m.recovery.checkpointProblem).toBe("no recovery checkpoint");
    expect(r.segmentsValidated).toBe(2);
    expect(r.truncation!.reason).toMatch(/CRC32C mismatch/);
    expect(r.deletedSegments.sort()).toEqual(later.sort());
    for (const f of later) expect(fs.existsSync(f)).toBe(false);
    const log = m.partition("t", 0)!;
    expect(log.logEndOffset).toBe(victim.baseOffset + 30);
    expect(readAll(log)).toBe(victim.baseOffset + 30);
    await m.close();
  });

  it("the checkpoint file is Kafka's format and is rewritten atomically", async () => {
    const dir = tempDir("log");
    const m = LogManager.open(config(dir));
    fill(m.createTopic("a", 2)[1], 3);
    await m.partition("a", 1)!.flush();
    await m.checkpoint();
    expect(readRecoveryPoints(dir).points).toEqual(new Map([["a 0", 0], ["a 1", 30]]));
    expect(fs.existsSync(path.join(dir, `${RECOVERY_CHECKPOINT_FILE}.tmp`))).toBe(false);
    await m.close();
  });

  it("locks its folder: a second broker on it gets one clear error", async () => {
    const dir = tempDir("log");
    const m = LogManager.open(config(dir));
    expect(() => LogManager.open(config(dir))).toThrow(DataDirInUse);
    expect(() => LogManager.open(config(dir))).toThrow(/in use by process \d+/);
    await m.close();
    LogManager.open(config(dir)).abandon();
  });

  it("acks=-1's group commit: flush() resolves only after fsync covered the offset, and concurrent flushes share one", async () => {
    const dir = tempDir("log");
    const m = LogManager.open(config(dir));
    const p = m.createTopic("t", 1)[0];
    fill(p, 10);
    const flushes = [p.flush(), p.flush(), p.flush()];
    fill(p, 10);
    flushes.push(p.flush());
    await Promise.all(flushes);
    expect(p.recoveryPoint).toBe(200);
    await m.close();
  });
});
