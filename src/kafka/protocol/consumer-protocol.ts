// The "consumer" embedded protocol: what group members put in JoinGroup's metadata (their subscription)
// and what the leader puts in SyncGroup's assignments. The coordinator never reads these bytes; the
// workbook's own group member writes and reads them (ConsumerProtocolSubscription / ...Assignment v0).
import { WireReader } from "./wire-reader";
import { WireWriter } from "./wire-writer";

/** JoinGroup's protocol_type for consumers. */
export const CONSUMER_PROTOCOL_TYPE = "consumer";

export interface Subscription {
  topics: string[];
  userData: Buffer | null;
}

export interface Assignment {
  partitions: Array<{ topic: string; partitions: number[] }>;
  userData: Buffer | null;
}

export function encodeSubscription(s: Subscription): Buffer {
  const w = new WireWriter(64).int16(0);
  w.array(s.topics, (w, t) => w.string(t)).bytes(s.userData);
  return Buffer.from(w.finish());
}

/** Reads v0 and ignores what later versions append (owned partitions, rack). */
export function decodeSubscription(bytes: Buffer): Subscription {
  const r = new WireReader(bytes);
  r.int16();
  const topics = r.array((r) => r.string());
  const userData = r.remaining >= 4 ? r.nullableBytes() : null;
  return { topics, userData };
}

export function encodeAssignment(a: Assignment): Buffer {
  const w = new WireWriter(64).int16(0);
  w.array(a.partitions, (w, t) => w.string(t.topic).array(t.partitions, (w, p) => w.int32(p))).bytes(a.userData);
  return Buffer.from(w.finish());
}

/** An empty assignment is sent as zero bytes by some clients: that means no partitions. */
export function decodeAssignment(bytes: Buffer): Assignment {
  if (bytes.length === 0) return { partitions: [], userData: null };
  const r = new WireReader(bytes);
  r.int16();
  const partitions = r.array((r) => ({ topic: r.string(), partitions: r.array((r) => r.int32()) }));
  const userData = r.remaining >= 4 ? r.nullableBytes() : null;
  return { partitions, userData };
}
