// Committed offsets of consumer groups, kept the way Kafka keeps them: as records in the internal topic
// __consumer_offsets (one partition here), replayed into memory when the broker starts. So commits survive
// restarts and crashes: a commit is answered only after its batch is fsynced, like an acks=-1 produce.
//
//   key   (OffsetCommitKey v1)    version int16 = 1, group string, topic string, partition int32
//   value (OffsetCommitValue v3)  version int16 = 3, offset int64, leader epoch int32, metadata string,
//                                 commit timestamp int64
//
// Kafka's GroupMetadataManager writes the same two schemas (it also stores group metadata records, which
// this broker does not: group membership lives in memory and members rejoin after a restart).
import * as fs from "fs";
import { LogManager } from "../log/log-manager";
import { PartitionLog } from "../log/partition-log";
import { CONSUMER_OFFSETS_TOPIC } from "../log/topic-names";
import { WireReader } from "../protocol/wire-reader";
import { WireWriter } from "../protocol/wire-writer";
import { buildBatch } from "../records/batch-builder";
import { decodeRecords } from "../records/records";
import { validateBatch } from "../records/record-batch";
import { MiB } from "../../units/sizes";

export interface CommittedOffset {
  offset: number;
  leaderEpoch: number;
  metadata: string | null;
  commitTimestamp: number;
}

export interface OffsetCommit {
  topic: string;
  partition: number;
  offset: CommittedOffset;
}

const KEY_VERSION = 1;
const VALUE_VERSION = 3;

export class OffsetStore {
  /** group -> "topic\u0000partition" -> committed offset */
  private readonly groups = new Map<string, Map<string, CommittedOffset>>();
  private log: PartitionLog | null;

  private constructor(private readonly logs: LogManager) {
    this.log = logs.partition(CONSUMER_OFFSETS_TOPIC, 0) ?? null;
  }

  /** Loads every commit recorded in __consumer_offsets (last one per partition wins). */
  static load(logs: LogManager): OffsetStore {
    const store = new OffsetStore(logs);
    if (store.log) {
      for (let offset = store.log.logStartOffset; offset < store.log.logEndOffset; ) {
        const read = store.log.read(offset, MiB);
        if (read.kind !== "records") break;
        const bytes = Buffer.alloc(read.slice.length);
        fs.readSync(read.slice.fd, bytes, 0, bytes.length, read.slice.position);
        for (let at = 0; at < bytes.length; ) {
          const size = 12 + bytes.readInt32BE(at + 8);
          for (const record of decodeRecords(bytes, at)) {
            store.replay(record.key, record.value);
            offset = record.offset + 1;
          }
          at += size;
        }
      }
    }
    return store;
  }

  /** Applies one stored record to the in-memory map. */
  private replay(key: Buffer | null, value: Buffer | null): void {
    if (!key || !value) return;
    const k = new WireReader(key);
    if (k.int16() !== KEY_VERSION) return;
    const group = k.string();
    const topic = k.string();
    const partition = k.int32();
    const v = new WireReader(value);
    if (v.int16() !== VALUE_VERSION) return;
    this.put(group, topic, partition, { offset: v.int64(), leaderEpoch: v.int32(), metadata: v.nullableString(), commitTimestamp: v.int64() });
  }

  private put(group: string, topic: string, partition: number, committed: CommittedOffset): void {
    let offsets = this.groups.get(group);
    if (!offsets) this.groups.set(group, (offsets = new Map()));
    offsets.set(`${topic}\u0000${partition}`, committed);
  }

  /** Records the commits durably (append + fsync of __consumer_offsets), then makes them visible. */
  async commit(group: string, commits: OffsetCommit[]): Promise<void> {
    if (commits.length === 0) return;
    this.log ??= this.logs.createTopic(CONSUMER_OFFSETS_TOPIC, 1)[0];
    const batch = buildBatch(
      commits.map((c) => ({
        key: new WireWriter(64).int16(KEY_VERSION).string(group).string(c.topic).int32(c.partition).finish(),
        value: new WireWriter(64).int16(VALUE_VERSION).int64(c.offset.offset).int32(c.offset.leaderEpoch).string(c.offset.metadata).int64(c.offset.commitTimestamp).finish(),
      })),
    );
    this.log.append(batch, 0, validateBatch(batch, 0, batch.length));
    await this.log.flush();
    for (const c of commits) this.put(group, c.topic, c.partition, c.offset);
  }

  /** The committed offset, or null. */
  get(group: string, topic: string, partition: number): CommittedOffset | null {
    return this.groups.get(group)?.get(`${topic}\u0000${partition}`) ?? null;
  }

  /** Every partition the group committed: topic -> partition -> offset. */
  all(group: string): Map<string, Map<number, CommittedOffset>> {
    const out = new Map<string, Map<number, CommittedOffset>>();
    for (const [key, committed] of this.groups.get(group) ?? []) {
      const [topic, partition] = key.split("\u0000");
      if (!out.has(topic)) out.set(topic, new Map());
      out.get(topic)!.set(Number(partition), committed);
    }
    return out;
  }
}
