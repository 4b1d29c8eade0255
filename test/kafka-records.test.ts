// RecordBatch v2 as the broker and the clients handle it: CRC32C (native and TypeScript agree, RFC 3720's
// vector), varints, build -> validate -> decode round trips, what validation rejects, that stamping the
// offset leaves the CRC valid, the field-by-field dump, and the record-set reader consumers use.
import { describe, it, expect } from "vitest";
import * as crypto from "crypto";
import fc from "fast-check";
import { crc32c, crc32cPortable, crc32cImplementation } from "../src/kafka/records/crc32c";
import { VarintCursor, varintSize, writeVarint } from "../src/kafka/records/varint";
import { buildBatch, RecordBatchBuilder } from "../src/kafka/records/batch-builder";
import { validateBatch, stampBatch, readBatchHeader, InvalidBatch, FIELD, BATCH_HEADER_BYTES } from "../src/kafka/records/record-batch";
import { decodeRecords } from "../src/kafka/records/records";
import { dumpBatch, formatDump } from "../src/kafka/records/batch-dump";
import { readRecordSet, CorruptRecords } from "../src/kafka/records/record-set";
import { MiB } from "../src/units/sizes";

describe("CRC32C", () => {
  it("gives RFC 3720's check value for 123456789 in both implementations", () => {
    const bytes = Buffer.from("123456789");
    expect(crc32c(bytes)).toBe(0xe3069283);
    expect(crc32cPortable(bytes)).toBe(0xe3069283);
  });

  it("uses the native SSE4.2 loop on this machine", () => {
    expect(crc32cImplementation()).toBe("native sse4.2");
  });

  it("native and TypeScript agree on every length and alignment around the three-stream block sizes", () => {
    const data = crypto.randomBytes(3 * 8192 * 2 + 100);
    for (const length of [0, 1, 7, 8, 9, 255, 767, 768, 769, 24575, 24576, 24577, 49152 + 13]) {
      for (const start of [0, 1, 3, 7]) expect(crc32c(data, start, start + length)).toBe(crc32cPortable(data, start, start + length));
    }
  });

  it("continues from a previous value: crc(a + b) = crc(b, crc(a))", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 3000 }), fc.uint8Array({ maxLength: 3000 }), (a, b) => {
        const whole = Buffer.concat([a, b]);
        expect(crc32c(b, 0, b.length, crc32c(a))).toBe(crc32c(whole));
      }),
      { numRuns: 200 },
    );
  });
});

describe("varints", () => {
  it("round-trip zigzag varints and varlongs, with the size they say", () => {
    fc.assert(
      fc.property(fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }), fc.integer({ min: -(2 ** 52), max: 2 ** 52 }), (small, large) => {
        const b = Buffer.alloc(32);
        const end1 = writeVarint(b, 0, small);
        const end2 = writeVarint(b, end1, large);
        expect(end1).toBe(varintSize(small));
        expect(end2 - end1).toBe(varintSize(large));
        const cursor = new VarintCursor(b, 0, end2);
        expect(cursor.varint()).toBe(small);
        expect(cursor.varlong()).toBe(large);
        expect(cursor.at).toBe(end2);
      }),
    );
  });

  it("encodes as Kafka does: 0 -> 00, -1 -> 01, 1 -> 02, 300 -> d8 04", () => {
    const enc = (v: number) => {
      const b = Buffer.alloc(10);
      return b.subarray(0, writeVarint(b, 0, v)).toString("hex");
    };
    expect([enc(0), enc(-1), enc(1), enc(300)]).toEqual(["00", "01", "02", "d804"]);
  });
});

const recordArb = fc.record({
  key: fc.option(fc.uint8Array({ maxLength: 40 }), { nil: null }),
  value: fc.option(fc.uint8Array({ maxLength: 300 }), { nil: null }),
  headers: fc.array(fc.record({ key: fc.string({ maxLength: 10 }), value: fc.option(fc.uint8Array({ maxLength: 20 }).map((u) => Buffer.from(u)), { nil: null }) }), { maxLength: 3 }),
  timestamp: fc.integer({ min: 1_600_000_000_000, max: 1_900_000_000_000 }),
});

describe("RecordBatch v2", () => {
  it("build -> validate -> decode gives back every key, value, header and timestamp", () => {
    fc.assert(
      fc.property(fc.array(recordArb, { minLength: 1, maxLength: 20 }), (records) => {
        const batch = buildBatch(records);
        const header = validateBatch(batch, 0, batch.length);
        expect(header.recordCount).toBe(records.length);
        expect(header.magic).toBe(2);
        const decoded = decodeRecords(batch);
        decoded.forEach((r, i) => {
          expect(r.offset).toBe(i);
          expect(r.timestamp).toBe(records[i].timestamp);
          expect(r.key === null ? null : Buffer.from(r.key)).toEqual(records[i].key === null ? null : Buffer.from(records[i].key!));
          expect(r.value === null ? null : Buffer.from(r.value)).toEqual(records[i].value === null ? null : Buffer.from(records[i].value!));
          expect(r.headers.map((h) => [h.key, h.value && Buffer.from(h.value)])).toEqual(records[i].headers.map((h) => [h.key, h.value]));
        });
      }),
      { numRuns: 150 },
    );
  });

  it("stamping base offset and leader epoch keeps the CRC valid (they are outside it)", () => {
    const batch = buildBatch([{ value: Buffer.from("a") }, { value: Buffer.from("b") }]);
    stampBatch(batch, 0, 123_456_789_012, 7);
    const h = validateBatch(batch, 0, batch.length);
    expect([h.baseOffset, h.partitionLeaderEpoch]).toEqual([123_456_789_012, 7]);
    expect(decodeRecords(batch).map((r) => r.offset)).toEqual([123_456_789_012, 123_456_789_013]);
  });

  it("rejects what Kafka's LogValidator rejects, naming the problem", () => {
    const good = () => buildBatch([{ value: Buffer.from("hello") }, { value: Buffer.from("world") }]);
    const reject = (mutate: (b: Buffer) => Buffer, reason: InvalidBatch["reason"], message: RegExp) => {
      const b = mutate(good());
      let error: unknown;
      try {
        validateBatch(b, 0, b.length);
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(InvalidBatch);
      expect((error as InvalidBatch).reason).toBe(reason);
      expect((error as Error).message).toMatch(message);
    };
    reject((b) => (b.writeInt8(1, FIELD.magic), b), "unsupported-format", /magic 1/);
    reject((b) => (b[b.length - 1] ^= 1, b), "corrupt", /CRC32C mismatch/);
    reject((b) => Buffer.concat([b, Buffer.alloc(3)]), "corrupt", /exactly one batch/);
    reject((b) => b.subarray(0, 40), "corrupt", /shorter than/);
    reject((b) => {
      // A lying record count, CRC fixed up so only the count is wrong.
      b.writeInt32BE(3, FIELD.recordCount);
      b.writeInt32BE(2, FIELD.lastOffsetDelta);
      b.writeUInt32BE(crc32c(b, FIELD.attributes, b.length), FIELD.crc);
      return b;
    }, "corrupt", /record 2 of 3|runs past/);
    reject((b) => {
      b.writeInt16BE(0x10, FIELD.attributes);
      b.writeUInt32BE(crc32c(b, FIELD.attributes, b.length), FIELD.crc);
      return b;
    }, "unsupported-feature", /transactional/);
  });

  it("the builder keeps batches within its limit, except a first record that is larger", () => {
    const builder = new RecordBatchBuilder(1000);
    let appended = 0;
    while (builder.tryAppend({ value: Buffer.alloc(100) })) appended++;
    const batch = builder.build();
    expect(batch.length).toBeLessThanOrEqual(1000);
    expect(appended).toBeGreaterThan(5);
    builder.reset();
    expect(builder.tryAppend({ value: Buffer.alloc(5000) })).toBe(true);
    expect(builder.build().length).toBeGreaterThan(5000);
  });

  it("tryAppendValue writes the same bytes as tryAppend with a null key", () => {
    const a = new RecordBatchBuilder(1 * MiB);
    const b = new RecordBatchBuilder(1 * MiB);
    for (let i = 0; i < 50; i++) {
      const value = Buffer.alloc(i * 7 + 1, i);
      a.tryAppendValue(value.length, (buf, at) => value.copy(buf, at));
      b.tryAppend({ value, timestamp: 0 });
    }
    const [x, y] = [a.build(), b.build()];
    // Timestamps differ (Date.now vs 0): compare the records region only.
    expect(decodeRecords(x).map((r) => r.value)).toEqual(decodeRecords(y).map((r) => r.value));
    expect(x.subarray(BATCH_HEADER_BYTES)).toEqual(y.subarray(BATCH_HEADER_BYTES));
  });
});

describe("the field-by-field dump", () => {
  it("covers every byte of the batch exactly once, in order, and says the CRC is valid", () => {
    const batch = buildBatch([{ key: Buffer.from("k"), value: Buffer.from("v1"), headers: [{ key: "h", value: Buffer.from("x") }] }, { key: null, value: null }]);
    const rows = dumpBatch(batch);
    let next = 0;
    for (const r of rows) {
      expect(r.position).toBe(next);
      next += r.size;
    }
    expect(next).toBe(batch.length);
    expect(rows.find((r) => r.field === "crc")!.note).toMatch(/valid/);
    expect(rows.find((r) => r.field === "magic")!.value).toBe("2");
    expect(rows.find((r) => r.field === "record[1].keyLength")!.note).toBe("null key");
    expect(formatDump(rows)[0]).toMatch(/^bytes\s+field\s+value\s+note$/);
  });

  it("flags a corrupted batch", () => {
    const batch = buildBatch([{ value: Buffer.from("v") }]);
    batch[batch.length - 2] ^= 0xff;
    expect(dumpBatch(batch).find((r) => r.field === "crc")!.note).toMatch(/MISMATCH/);
  });
});

describe("reading fetched record sets", () => {
  const log = (counts: number[]) => {
    let offset = 0;
    return Buffer.concat(
      counts.map((n) => {
        const b = buildBatch(Array.from({ length: n }, (_, i) => ({ value: Buffer.from(`r${offset + i}`) })));
        stampBatch(b, 0, offset, 0);
        offset += n;
        return b;
      }),
    );
  };

  it("returns whole batches and ignores a partial one at the end, as Kafka may send", () => {
    const bytes = log([3, 4, 5]);
    const set = readRecordSet(bytes, 0, bytes.length - 10, 0);
    expect(set.batches.map((b) => [b.baseOffset, b.recordCount])).toEqual([[0, 3], [3, 4]]);
    expect(set.nextOffset).toBe(7);
  });

  it("accepts a first batch that starts before the fetch offset, and skips batches wholly before it", () => {
    const bytes = log([3, 4, 5]);
    expect(readRecordSet(bytes, 0, bytes.length, 5).batches.map((b) => b.baseOffset)).toEqual([3, 7]);
    expect(readRecordSet(bytes, 0, bytes.length, 3).nextOffset).toBe(12);
  });

  it("throws on a gap in offsets or a corrupted batch", () => {
    const bytes = log([3, 4, 5]);
    expect(() => readRecordSet(bytes, 0, bytes.length, 1000)).not.toThrow();
    const second = readBatchHeader(bytes, 0).sizeInBytes;
    const gap = Buffer.concat([bytes.subarray(0, second), bytes.subarray(second + readBatchHeader(bytes, second).sizeInBytes)]);
    expect(() => readRecordSet(gap, 0, gap.length, 0)).toThrow(/skip from 3 to 7/);
    const bad = Buffer.from(bytes);
    bad[second + 70] ^= 1;
    expect(() => readRecordSet(bad, 0, bad.length, 0)).toThrow(CorruptRecords);
  });
});
