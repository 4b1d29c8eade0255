// ListOffsets (key 2), v1-v5: the offset for a timestamp. Timestamp -1 asks for the log end (the next
// offset to be written), -2 for the log start; any other value for the first offset whose batch has a
// timestamp at or after it.
import { WireReader } from "../wire-reader";
import { WireWriter } from "../wire-writer";

/** The special timestamps (Kafka's ListOffsetsRequest.LATEST_TIMESTAMP / EARLIEST_TIMESTAMP). */
export const LATEST_TIMESTAMP = -1;
export const EARLIEST_TIMESTAMP = -2;

export interface ListOffsetsRequest {
  replicaId: number;
  isolationLevel: number;
  topics: Array<{ name: string; partitions: Array<{ partitionIndex: number; currentLeaderEpoch: number; timestamp: number }> }>;
}

export interface ListOffsetsPartitionResponse {
  partitionIndex: number;
  errorCode: number;
  timestamp: number;
  offset: number;
  leaderEpoch: number;
}

export interface ListOffsetsResponse {
  throttleTimeMs: number;
  topics: Array<{ name: string; partitions: ListOffsetsPartitionResponse[] }>;
}

export function readListOffsetsRequest(r: WireReader, version: number): ListOffsetsRequest {
  const replicaId = r.int32();
  const isolationLevel = version >= 2 ? r.int8() : 0;
  const topics = r.array((r) => ({
    name: r.string(),
    partitions: r.array((r) => ({ partitionIndex: r.int32(), currentLeaderEpoch: version >= 4 ? r.int32() : -1, timestamp: r.int64() })),
  }));
  return { replicaId, isolationLevel, topics };
}

export function writeListOffsetsRequest(w: WireWriter, version: number, q: ListOffsetsRequest): void {
  w.int32(q.replicaId);
  if (version >= 2) w.int8(q.isolationLevel);
  w.array(q.topics, (w, t) => {
    w.string(t.name);
    w.array(t.partitions, (w, p) => {
      w.int32(p.partitionIndex);
      if (version >= 4) w.int32(p.currentLeaderEpoch);
      w.int64(p.timestamp);
    });
  });
}

export function writeListOffsetsResponse(w: WireWriter, version: number, l: ListOffsetsResponse): void {
  if (version >= 2) w.int32(l.throttleTimeMs);
  w.array(l.topics, (w, t) => {
    w.string(t.name);
    w.array(t.partitions, (w, p) => {
      w.int32(p.partitionIndex).int16(p.errorCode).int64(p.timestamp).int64(p.offset);
      if (version >= 4) w.int32(p.leaderEpoch);
    });
  });
}

export function readListOffsetsResponse(r: WireReader, version: number): ListOffsetsResponse {
  const throttleTimeMs = version >= 2 ? r.int32() : 0;
  const topics = r.array((r) => ({
    name: r.string(),
    partitions: r.array((r) => ({
      partitionIndex: r.int32(),
      errorCode: r.int16(),
      timestamp: r.int64(),
      offset: r.int64(),
      leaderEpoch: version >= 4 ? r.int32() : -1,
    })),
  }));
  return { throttleTimeMs, topics };
}
