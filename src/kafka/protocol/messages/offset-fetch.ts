// OffsetFetch (key 9), v1-v5: a group's committed positions; offset -1 where nothing was committed.
// v2+: a null topic list asks for every partition the group committed, and a top-level error code appears.
import { WireReader } from "../wire-reader";
import { WireWriter } from "../wire-writer";

export interface OffsetFetchRequest {
  groupId: string;
  /** null = every committed partition (v2+). */
  topics: Array<{ name: string; partitionIndexes: number[] }> | null;
}

export interface OffsetFetchPartition {
  partitionIndex: number;
  committedOffset: number;
  committedLeaderEpoch: number;
  metadata: string | null;
  errorCode: number;
}

export interface OffsetFetchResponse {
  throttleTimeMs: number;
  topics: Array<{ name: string; partitions: OffsetFetchPartition[] }>;
  errorCode: number;
}

export function readOffsetFetchRequest(r: WireReader, version: number): OffsetFetchRequest {
  const groupId = r.string();
  const element = (r: WireReader) => ({ name: r.string(), partitionIndexes: r.array((r) => r.int32()) });
  const topics = version >= 2 ? r.nullableArray(element) : r.array(element);
  return { groupId, topics };
}

export function writeOffsetFetchRequest(w: WireWriter, _version: number, q: OffsetFetchRequest): void {
  w.string(q.groupId);
  w.array(q.topics, (w, t) => w.string(t.name).array(t.partitionIndexes, (w, p) => w.int32(p)));
}

export function writeOffsetFetchResponse(w: WireWriter, version: number, o: OffsetFetchResponse): void {
  if (version >= 3) w.int32(o.throttleTimeMs);
  w.array(o.topics, (w, t) => {
    w.string(t.name);
    w.array(t.partitions, (w, p) => {
      w.int32(p.partitionIndex).int64(p.committedOffset);
      if (version >= 5) w.int32(p.committedLeaderEpoch);
      w.string(p.metadata).int16(p.errorCode);
    });
  });
  if (version >= 2) w.int16(o.errorCode);
}

export function readOffsetFetchResponse(r: WireReader, version: number): OffsetFetchResponse {
  const throttleTimeMs = version >= 3 ? r.int32() : 0;
  const topics = r.array((r) => ({
    name: r.string(),
    partitions: r.array((r) => ({
      partitionIndex: r.int32(),
      committedOffset: r.int64(),
      committedLeaderEpoch: version >= 5 ? r.int32() : -1,
      metadata: r.nullableString(),
      errorCode: r.int16(),
    })),
  }));
  const errorCode = version >= 2 ? r.int16() : 0;
  return { throttleTimeMs, topics, errorCode };
}
