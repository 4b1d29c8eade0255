// Statistics and the small readers the transfer records are built from.
import { describe, it, expect } from "vitest";
import { median, summarize, summarizeFields } from "../src/statistics/spread";
import { parseProcIo, procIoDelta, readProcIo } from "../src/experiments/proc-io";
import { crc32, formatChecksum } from "../src/experiments/checksum";

describe("statistics", () => {
  it("median of odd and even counts, unsorted input untouched", () => {
    const values = [5, 1, 3];
    expect(median(values)).toBe(3);
    expect(values).toEqual([5, 1, 3]);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([7])).toBe(7);
  });

  it("summarize gives median, min, max and n; refuses no data", () => {
    expect(summarize([0.3, 0.1, 0.2, 0.9, 0.25])).toEqual({ median: 0.25, min: 0.1, max: 0.9, n: 5 });
    expect(() => summarize([])).toThrow(/zero runs/);
  });

  it("summarizeFields summarises each named field", () => {
    const rows = [{ a: 1, b: 10 }, { a: 3, b: 30 }, { a: 2, b: 20 }];
    expect(summarizeFields(rows, ["a", "b"])).toEqual({ a: { median: 2, min: 1, max: 3, n: 3 }, b: { median: 20, min: 10, max: 30, n: 3 } });
  });
});

describe("/proc/self/io", () => {
  it("parses every field and takes deltas", () => {
    const text = "rchar: 100\nwchar: 50\nsyscr: 7\nsyscw: 3\nread_bytes: 4096\nwrite_bytes: 0\ncancelled_write_bytes: 0\n";
    const a = parseProcIo(text);
    expect(a).toEqual({ rchar: 100, wchar: 50, syscr: 7, syscw: 3, readBytes: 4096, writeBytes: 0, cancelledWriteBytes: 0 });
    expect(procIoDelta(a, { ...a, syscr: 17, readBytes: 8192 })).toMatchObject({ syscr: 10, readBytes: 4096, rchar: 0 });
    expect(() => parseProcIo("rchar: 1\n")).toThrow(/no wchar field/);
  });

  it("reads this process's counters, which grow with reads", () => {
    const before = readProcIo();
    const after = readProcIo();
    expect(after.syscr).toBeGreaterThan(before.syscr);
  });
});

describe("checksum", () => {
  it("is the standard CRC-32 and continues across pieces", () => {
    const data = Buffer.from("123456789");
    expect(formatChecksum(crc32(data))).toBe("cbf43926"); // the CRC-32 check value
    expect(crc32(data.subarray(4), crc32(data.subarray(0, 4)))).toBe(crc32(data));
    expect(formatChecksum(0)).toBe("00000000");
  });
});
