// OffsetCommit (key 8), v2-v7: a group's consumed positions, kept by the coordinator. A commit from a
// member must carry the current generation; generation -1 with an empty member id is a "simple" commit
// from a consumer that assigns partitions itself (kcat, our fan-out consumers).
import { WireReader } from "../wire-reader";
import { WireWriter } from "../wire-writer";

export interface OffsetCommitRequest {
  groupId: string;
  generationId: number;
  memberId: string;
  groupInstanceId: string | null;
  topics: Array<{ name: string; partitions: Array<{ partitionIndex: number; committedOffset: number; committedLeaderEpoch: number; committedMetadata: string | null }> }>;
}

export interface OffsetCommitResponse {
  throttleTimeMs: number;
  topics: Array<{ name: string; partitions: Array<{ partitionIndex: number; errorCode: number }> }>;
}

export function readOffsetCommitRequest(r: WireReader, version: number): OffsetCommitRequest {
  const groupId = r.string();
  const generationId = r.int32();
  const memberId = r.string();
  const groupInstanceId = version >= 7 ? r.nullableString() : null;
  if (version <= 4) r.int64(); // retention_time_ms: retention is the broker's business since v5
  const topics = r.array((r) => ({
    name: r.string(),
    partitions: r.array((r) => ({
      partitionIndex: r.int32(),
      committedOffset: r.int64(),
      committedLeaderEpoch: version >= 6 ? r.int32() : -1,
      committedMetadata: r.nullableString(),
    })),
  }));
  return { groupId, generationId, memberId, groupInstanceId, topics };
}

export function writeOffsetCommitRequest(w: WireWriter, version: number, q: OffsetCommitRequest): void {
  w.string(q.groupId).int32(q.generationId).string(q.memberId);
  if (version >= 7) w.string(q.groupInstanceId);
  if (version <= 4) w.int64(-1);
  w.array(q.topics, (w, t) => {
    w.string(t.name);
    w.array(t.partitions, (w, p) => {
      w.int32(p.partitionIndex).int64(p.committedOffset);
      if (version >= 6) w.int32(p.committedLeaderEpoch);
      w.string(p.committedMetadata);
    });
  });
}

export function writeOffsetCommitResponse(w: WireWriter, version: number, o: OffsetCommitResponse): void {
  if (version >= 3) w.int32(o.throttleTimeMs);
  w.array(o.topics, (w, t) => w.string(t.name).array(t.partitions, (w, p) => w.int32(p.partitionIndex).int16(p.errorCode)));
}

export function readOffsetCommitResponse(r: WireReader, version: number): OffsetCommitResponse {
  const throttleTimeMs = version >= 3 ? r.int32() : 0;
  const topics = r.array((r) => ({ name: r.string(), partitions: r.array((r) => ({ partitionIndex: r.int32(), errorCode: r.int16() })) }));
  return { throttleTimeMs, topics };
}
