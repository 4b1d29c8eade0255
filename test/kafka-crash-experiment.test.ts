// Chapter 6's crash experiment against the real broker and kcat: SIGKILL during an acks=-1 produce loses no
// acknowledged record (both clients read every one back at its offset); recovery cuts the torn tail laid on by
// hand and nothing more, and without one cuts nothing; the record is plain JSON with paths inside the data folder;
// nothing is left behind.
import { describe, it, expect, afterEach, afterAll } from "vitest";
import * as fs from "fs";
import { runBrokerCrash, crashRecordValue, crashRecordNumber } from "../src/experiments/broker-crash";
import { liveCount } from "../src/cleanup/registry";
import { childrenOf, scratchParent } from "./transfer-helpers";
import { KiB } from "../src/units/sizes";

const parent = scratchParent("broker-crash");
afterEach(() => {
  expect(childrenOf(process.pid)).toEqual([]);
  expect(fs.readdirSync(parent)).toEqual([]);
  expect(liveCount()).toBe(0);
});
afterAll(() => fs.rmSync(parent, { recursive: true, force: true }));

describe("the crash experiment", () => {
  it("reads every acknowledged record back with the workbook's consumer and kcat after SIGKILL and a torn tail", async () => {
    const r = await runBrokerCrash({ killAfterAcknowledged: 3000, segmentBytes: 128 * KiB, scratchParent: parent });
    expect(r.produce.acknowledged).toBeGreaterThanOrEqual(3000);
    expect(r.produce.appended).toBeGreaterThanOrEqual(r.produce.acknowledged);
    expect(r.readBack.map((x) => x.client)).toEqual(["workbook", "kcat"]);
    for (const x of r.readBack) {
      expect([x.lost, x.misplaced, x.acknowledgedFound]).toEqual([0, 0, r.produce.acknowledged]);
      // the log may keep records the broker wrote but never answered for; never fewer than were acknowledged
      expect(x.records).toBeGreaterThanOrEqual(r.produce.acknowledged);
      expect(x.records).toBeLessThanOrEqual(r.produce.appended);
      expect(x.records).toBe(x.logEndOffset);
    }
    expect(r.readBack[0].records).toBe(r.readBack[1].records);
    expect(r.readBack[1].sample[0]).toMatch(/^0 crash record 000000000\.\.\.$/);
    // recovery: unclean, the torn half batch cut exactly, at the end of the newest segment
    expect(r.recovery.clean).toBe(false);
    expect(r.tornTail!.bytes).toBe(Math.floor(r.tornTail!.batchBytes / 2));
    expect(r.recovery.truncatedBytes).toBe(r.tornTail!.bytes);
    expect(r.recovery.truncatedAt!.file).toBe(r.tornTail!.file);
    expect(r.recovery.lines[0]).toMatch(/^unclean shutdown/);
    // Kafka's layout: segments rolled at the size limit, named by base offset, each with its index
    const logs = r.dataFolder.filter((f) => f.path.endsWith(".log"));
    expect(logs.length).toBeGreaterThan(1);
    for (const f of logs) {
      expect(f.path).toMatch(/^crash-0\/\d{20}\.log$/);
      expect(f.bytes).toBeLessThanOrEqual(128 * KiB);
      expect(r.dataFolder.map((x) => x.path)).toContain(f.path.replace(/\.log$/, ".index"));
    }
    expect(r.dataFolder.map((x) => x.path)).toContain(".kafka_cleanshutdown");
    expect(r.firstBatch.rows.find((x) => x.field === "crc")!.note).toMatch(/valid$/);
    // nothing in the record points at this machine's folders
    expect(JSON.stringify(r)).not.toContain(parent);
  });

  it("without a torn tail, recovery after SIGKILL checks every batch and cuts nothing", async () => {
    const r = await runBrokerCrash({ killAfterAcknowledged: 1000, tearTail: false, withKcat: false, scratchParent: parent });
    expect(r.tornTail).toBeNull();
    expect(r.recovery.truncatedBytes).toBe(0);
    expect(r.recovery.batchesValidated).toBeGreaterThan(0);
    expect(r.kcatSkipped).toBe("not asked for");
    expect(r.readBack.map((x) => [x.client, x.lost, x.misplaced])).toEqual([["workbook", 0, 0]]);
  });

  it("numbers its records so that a value says which record it is", () => {
    expect(crashRecordNumber(crashRecordValue(42, 100))).toBe(42);
    expect(crashRecordValue(42, 100).toString("latin1", 0, 16)).toBe("record 000000042");
    expect(crashRecordNumber(Buffer.from("something else entirely"))).toBe(-1);
    expect(crashRecordNumber(null)).toBe(-1);
  });
});
