// What "an acknowledged record survives a crash" means, shown on the broker itself: the workbook's producer
// writes numbered records with acks=-1 (the broker answers after fsync), the broker process is killed with
// SIGKILL while produce requests are in flight, the first half of one more batch is appended to the active
// segment by hand (the torn write a power cut can leave; a killed process cannot tear a write(2)), and the
// broker is started again on the same folder. Its recovery report says what it checked and cut; then the
// workbook's consumer and kcat (librdkafka, CRC checks on) each read the whole partition back, and every
// acknowledged record must be there, once, at its own offset. Record i of the run is at offset i: one
// producer, one partition, no retries. Entry point: runBrokerCrash().
import * as fs from "fs";
import * as path from "path";
import { spawnKafkaBroker, KafkaBrokerProcess } from "./kafka-broker-process";
import { makeScratchDir } from "../cleanup/scratch-dir";
import { machineConditions } from "./conditions";
import { kcatVersion, runKcat, KCAT_MISSING } from "./kcat";
import type { BrokerCrashResult, DataFile, ReadBack } from "./broker-crash-records";
import { KafkaProducer } from "../kafka/client/producer";
import { KafkaConsumer } from "../kafka/client/consumer";
import { RecordBatchBuilder } from "../kafka/records/batch-builder";
import { decodeRecords } from "../kafka/records/records";
import { dumpFirstBatch } from "../kafka/records/batch-dump";
import { describeRecovery } from "../kafka/log/log-manager";
import { KiB, MiB } from "../units/sizes";

export interface BrokerCrashOptions {
  /** SIGKILL goes to the broker once this many records are acknowledged. */
  killAfterAcknowledged?: number;
  /** Bytes of each record's value: "record 000000042" and filler. */
  recordBytes?: number;
  batchBytes?: number;
  segmentBytes?: number;
  /** Lay the first half of a batch on the log's end after the kill. */
  tearTail?: boolean;
  /** Read the log back with kcat too (skipped, and said so, when kcat is not installed). */
  withKcat?: boolean;
  scratchParent?: string;
  onProgress?: (line: string) => void;
}

export const CRASH_DEFAULTS = { killAfterAcknowledged: 20_000, recordBytes: 100, batchBytes: 16 * KiB, segmentBytes: MiB, tearTail: true, withKcat: true };

const TOPIC = "crash";
const KEY = Buffer.from("crash");
/** The value's readable head: "record " and the record's number in 9 digits. */
const HEAD = "record ".length;
const DIGITS = 9;

/** The value of record `i`: "record 000000042", then dots up to `bytes`. */
export function crashRecordValue(i: number, bytes: number): Buffer {
  const value = Buffer.alloc(bytes, ".".charCodeAt(0));
  value.write(`record ${String(i).padStart(DIGITS, "0")}`, 0, "latin1");
  return value;
}

/** The record number a value carries, or -1 if it is not a crash record's value. */
export function crashRecordNumber(value: Buffer | null): number {
  if (!value || value.length < HEAD + DIGITS || value.toString("latin1", 0, HEAD) !== "record ") return -1;
  const digits = value.toString("latin1", HEAD, HEAD + DIGITS);
  return /^\d+$/.test(digits) ? Number(digits) : -1;
}

/** Every file of the data folder (one level of partition folders), relative paths, sorted. */
function listDataFolder(dataDir: string): DataFile[] {
  const out: DataFile[] = [];
  for (const entry of fs.readdirSync(dataDir, { withFileTypes: true })) {
    const full = path.join(dataDir, entry.name);
    if (entry.isDirectory()) {
      for (const inner of fs.readdirSync(full)) out.push({ path: `${entry.name}/${inner}`, bytes: fs.statSync(path.join(full, inner)).size });
    } else {
      out.push({ path: entry.name, bytes: fs.statSync(full).size });
    }
  }
  return out.sort((a, b) => a.path.localeCompare(b.path));
}

/** Checks records read back in offset order against the acknowledged count; `numbers[k]` is the value's number at offset `offsets[k]`. */
function judge(client: ReadBack["client"], checks: string, offsets: number[], numbers: number[], logEndOffset: number, acknowledged: number, sample: string[]): ReadBack {
  let misplaced = 0;
  let found = 0;
  const seen = new Set<number>();
  offsets.forEach((offset, k) => {
    // record i sits at offset i, once
    const ok = offset === k && numbers[k] === offset && !seen.has(offset);
    seen.add(offset);
    if (!ok) misplaced++;
    else if (offset < acknowledged) found++;
  });
  return { client, checks, records: offsets.length, logEndOffset, acknowledgedFound: found, lost: acknowledged - found, misplaced, sample };
}

/** The workbook's consumer reads the partition from offset 0 to its end, every batch CRC32C-checked. */
async function readWithWorkbook(bootstrap: string, acknowledged: number): Promise<ReadBack> {
  const consumer = await KafkaConsumer.connect(bootstrap, { clientId: "crash-reader", checkCrcs: true, maxWaitMs: 100 });
  try {
    await consumer.assign([{ topic: TOPIC, partition: 0, offset: "earliest" }]);
    const end = await consumer.endOffset(TOPIC, 0);
    const offsets: number[] = [];
    const numbers: number[] = [];
    const sample: string[] = [];
    while (consumer.position(TOPIC, 0) < end) {
      for (const fetched of await consumer.fetch()) {
        for (const batch of fetched.batches) {
          for (const record of decodeRecords(fetched.bytes, batch.start)) {
            if (record.offset < batch.baseOffset || offsets.includes(record.offset)) continue;
            offsets.push(record.offset);
            numbers.push(crashRecordNumber(record.value));
            if (sample.length < 3) sample.push(`${record.offset} ${record.key?.toString("latin1") ?? "null"} ${record.value?.toString("latin1", 0, HEAD + DIGITS)}...`);
          }
        }
      }
    }
    return judge("workbook", "every batch's CRC32C (native), offsets contiguous", offsets, numbers, end, acknowledged, sample);
  } finally {
    consumer.close();
  }
}

/** kcat reads the partition from the beginning to its end with CRC checks on, one "offset key value" line per record. */
async function readWithKcat(bootstrap: string, acknowledged: number, logEndOffset: number): Promise<ReadBack> {
  const chunks: Buffer[] = [];
  const args = ["-b", bootstrap, "-C", "-t", TOPIC, "-p", "0", "-o", "beginning", "-e", "-q", "-X", "check.crcs=true", "-f", "%o %k %s\\n"];
  await runKcat(args, (d) => chunks.push(d), 120_000);
  const lines = Buffer.concat(chunks).toString("latin1").split("\n").filter((l) => l.length > 0);
  const offsets = lines.map((l) => Number(l.slice(0, l.indexOf(" "))));
  const numbers = lines.map((l) => crashRecordNumber(Buffer.from(l.slice(l.indexOf(" ", l.indexOf(" ") + 1) + 1), "latin1")));
  const sample = lines.slice(0, 3).map((l) => l.slice(0, l.indexOf(" ", l.indexOf(" ") + 1) + 1 + HEAD + DIGITS) + "...");
  return judge("kcat", `kcat ${args.join(" ")}`, offsets, numbers, logEndOffset, acknowledged, sample);
}

/** Produces with acks=-1 until `killAfter` records are acknowledged, then SIGKILLs the broker mid-stream. */
async function produceUntilKilled(broker: KafkaBrokerProcess, o: typeof CRASH_DEFAULTS): Promise<BrokerCrashResult["produce"]> {
  // A bounded buffer, as an application's producer has: appends wait for acknowledgements.
  const producer = await KafkaProducer.connect(broker.bootstrap, { clientId: "crash-producer", acks: -1, batchBytes: o.batchBytes, lingerMs: 0, bufferBytes: 8 * o.batchBytes });
  let acknowledged = 0;
  let appended = 0;
  let killing: Promise<void> | null = null;
  let killedAt = 0;
  let pendingAtKill = 0;
  const t0 = process.hrtime.bigint();
  producer.onAck = (ack) => {
    // One producer, one partition: acknowledgements come in order, and record i is at offset i.
    if (ack.firstRecord !== acknowledged || ack.baseOffset !== acknowledged) throw new Error(`ack for records from ${ack.firstRecord} at offset ${ack.baseOffset}, expected ${acknowledged}`);
    acknowledged += ack.recordCount;
    if (!killing && acknowledged >= o.killAfterAcknowledged) {
      killedAt = Number(process.hrtime.bigint() - t0) / 1e9;
      pendingAtKill = producer.pendingBytes;
      killing = broker.kill9();
    }
  };
  try {
    await producer.partitionsOf(TOPIC);
    while (!killing) {
      producer.append(TOPIC, 0, { key: KEY, value: crashRecordValue(appended, o.recordBytes) });
      appended++;
      if (appended % 64 === 0) {
        await producer.whenBelowLimit();
        await new Promise((resolve) => setImmediate(resolve));
      }
    }
    await producer.flush();
    throw new Error("the producer's flush succeeded after its broker was killed");
  } catch (error) {
    if (!killing) throw error;
    // The broker is gone: the producer's error is the expected end of the stream.
  } finally {
    await producer.close().catch(() => undefined);
  }
  await killing;
  return { appended, acknowledged, unacknowledged: appended - acknowledged, secondsToKill: killedAt, pendingBytesAtKill: pendingAtKill };
}

/** Lays the first half of a fresh batch on the end of the partition's newest segment; returns what it wrote. */
function tearTail(partitionDir: string, o: typeof CRASH_DEFAULTS, from: number): { file: string; bytes: number; batchBytes: number } {
  const logs = fs.readdirSync(partitionDir).filter((f) => f.endsWith(".log")).sort();
  const builder = new RecordBatchBuilder(o.batchBytes);
  for (let i = from; builder.tryAppend({ key: KEY, value: crashRecordValue(i, o.recordBytes) }) && builder.recordCount < 20; i++);
  const batch = builder.build();
  const half = batch.subarray(0, Math.floor(batch.length / 2));
  fs.appendFileSync(path.join(partitionDir, logs[logs.length - 1]), half);
  return { file: `${path.basename(partitionDir)}/${logs[logs.length - 1]}`, bytes: half.length, batchBytes: batch.length };
}

export async function runBrokerCrash(options: BrokerCrashOptions = {}): Promise<BrokerCrashResult> {
  const o = { ...CRASH_DEFAULTS, ...Object.fromEntries(Object.entries(options).filter(([k, v]) => v !== undefined && k !== "scratchParent" && k !== "onProgress")) } as typeof CRASH_DEFAULTS;
  const whole = (name: string, v: number, min: number, max: number) => {
    if (!Number.isSafeInteger(v) || v < min || v > max) throw new RangeError(`${name} must be a whole number from ${min} to ${max}, got ${v}`);
  };
  whole("killAfterAcknowledged", o.killAfterAcknowledged, 1, 100_000_000);
  whole("recordBytes", o.recordBytes, HEAD + DIGITS, 64 * KiB);
  whole("batchBytes", o.batchBytes, 1024, MiB);
  whole("segmentBytes", o.segmentBytes, 64 * KiB, 1 << 30);
  const log = options.onProgress ?? (() => undefined);
  const machine = machineConditions();
  const kcat = o.withKcat ? await kcatVersion() : null;
  const scratch = makeScratchDir("broker-crash", o.killAfterAcknowledged * (o.recordBytes + 40) * 3 + 16 * MiB, options.scratchParent);
  const dataDir = path.join(scratch.dir, "data");
  const partitionDir = path.join(dataDir, `${TOPIC}-0`);
  const relative = (file: string) => path.relative(dataDir, file);
  let broker: KafkaBrokerProcess | null = null;
  try {
    broker = await spawnKafkaBroker({ dataDir, serving: "sendfile", segmentBytes: o.segmentBytes });
    const produced = await produceUntilKilled(broker, o);
    broker = null;
    log(`killed the broker (SIGKILL) after ${produced.acknowledged} acknowledged records, ${produced.unacknowledged} more appended`);
    const afterKill = listDataFolder(dataDir).filter((f) => f.path.startsWith(`${TOPIC}-0/`));
    const torn = o.tearTail ? tearTail(partitionDir, o, produced.appended) : null;
    broker = await spawnKafkaBroker({ dataDir, serving: "sendfile", segmentBytes: o.segmentBytes });
    const report = broker.recovery;
    const p = report.partitions.find((x) => x.topic === TOPIC);
    if (!p) throw new Error(`the restarted broker found no partition ${TOPIC}-0 to recover`);
    log(`restarted: ${describeRecovery(report)[0]}`);
    const readBack = [await readWithWorkbook(broker.bootstrap, produced.acknowledged)];
    const kcatSkipped: string | null = o.withKcat ? (kcat ? null : KCAT_MISSING) : "not asked for";
    if (kcat) readBack.push(await readWithKcat(broker.bootstrap, produced.acknowledged, readBack[0].logEndOffset));
    await broker.stop();
    broker = null;
    const dataFolder = listDataFolder(dataDir).filter((f) => f.path !== ".lock");
    const firstLog = dataFolder.find((f) => f.path.startsWith(`${TOPIC}-0/`) && f.path.endsWith(".log"))!;
    return {
      kind: "broker-crash",
      conditions: {
        ...machine,
        topic: TOPIC,
        recordBytes: o.recordBytes,
        batchBytes: o.batchBytes,
        segmentBytes: o.segmentBytes,
        acks: -1,
        killAfterAcknowledged: o.killAfterAcknowledged,
        tearTail: o.tearTail,
        kcatVersion: kcat,
        notes: [
          `acks=-1 in this single-broker design means "after the broker's fsync of the batch" (Kafka: after every in-sync replica has it).`,
          "SIGKILL ends the broker but not the kernel: what it wrote is in the page cache and reaches the disk later, so a kill cannot tear a write. A power cut can; the torn tail here is laid on by hand, half a batch, to show recovery cut it.",
          `Recovery after an unclean shutdown checks every batch (size, offsets, magic, CRC32C) from the segment holding the last checkpointed recovery point on, and cuts the log at the first bad byte.`,
        ],
      },
      produce: produced,
      afterKill,
      tornTail: torn,
      recovery: {
        clean: report.clean,
        lines: describeRecovery(report),
        batchesValidated: p.batchesValidated,
        bytesValidated: p.bytesValidated,
        truncatedBytes: p.truncatedBytes,
        truncatedAt: p.truncation ? { file: relative(p.truncation.file), position: p.truncation.position, reason: p.truncation.reason } : null,
      },
      readBack,
      kcatSkipped,
      dataFolder,
      firstBatch: { file: firstLog.path, rows: dumpFirstBatch(path.join(dataDir, firstLog.path)) },
    };
  } finally {
    if (broker) await broker.stop().catch(() => undefined);
    scratch.remove();
  }
}
