// Fetch (key 1), v4-v11: record batches from a fetch offset on, at most max bytes, waiting up to max wait
// for at least min bytes. In every version up to 11 a partition's records come last in its entry and are
// length-prefixed, so once the broker knows how many bytes of each log it will send, it knows the frame's
// size before the first byte: it writes the header, then lets sendfile(2) move the records from the file.
// That is Kafka's FetchResponse + FileRecords.writeTo. Fetch sessions (v7+, KIP-227) are not kept: every
// request is answered in full and session_id stays 0, which clients accept.
import { WireReader } from "../wire-reader";
import { WireWriter, startFrame, finishFrame } from "../wire-writer";

export interface FetchRequestPartition {
  partition: number;
  currentLeaderEpoch: number;
  fetchOffset: number;
  logStartOffset: number;
  partitionMaxBytes: number;
}

export interface FetchRequest {
  replicaId: number;
  maxWaitMs: number;
  minBytes: number;
  maxBytes: number;
  isolationLevel: number;
  sessionId: number;
  sessionEpoch: number;
  topics: Array<{ name: string; partitions: FetchRequestPartition[] }>;
  forgottenTopics: Array<{ name: string; partitions: number[] }>;
  rackId: string;
}

export interface FetchPartitionResponse<R> {
  partitionIndex: number;
  errorCode: number;
  highWatermark: number;
  lastStableOffset: number;
  logStartOffset: number;
  /** null for READ_UNCOMMITTED; [] for READ_COMMITTED (no transactions here, so nothing was aborted). */
  abortedTransactions: Array<{ producerId: number; firstOffset: number }> | null;
  preferredReadReplica: number;
  records: R | null;
}

export interface FetchResponse<R> {
  throttleTimeMs: number;
  errorCode: number;
  sessionId: number;
  topics: Array<{ name: string; partitions: Array<FetchPartitionResponse<R>> }>;
}

/** Record bytes the broker will send from somewhere else (a file range): only their size goes in the header. */
export interface SizedRecords {
  readonly sizeInBytes: number;
}

export function readFetchRequest(r: WireReader, version: number): FetchRequest {
  const replicaId = r.int32();
  const maxWaitMs = r.int32();
  const minBytes = r.int32();
  const maxBytes = r.int32();
  const isolationLevel = r.int8();
  const sessionId = version >= 7 ? r.int32() : 0;
  const sessionEpoch = version >= 7 ? r.int32() : -1;
  const topics = r.array((r) => ({
    name: r.string(),
    partitions: r.array((r) => ({
      partition: r.int32(),
      currentLeaderEpoch: version >= 9 ? r.int32() : -1,
      fetchOffset: r.int64(),
      logStartOffset: version >= 5 ? r.int64() : -1,
      partitionMaxBytes: r.int32(),
    })),
  }));
  const forgottenTopics = version >= 7 ? r.array((r) => ({ name: r.string(), partitions: r.array((r) => r.int32()) })) : [];
  const rackId = version >= 11 ? r.string() : "";
  return { replicaId, maxWaitMs, minBytes, maxBytes, isolationLevel, sessionId, sessionEpoch, topics, forgottenTopics, rackId };
}

export function writeFetchRequest(w: WireWriter, version: number, q: FetchRequest): void {
  w.int32(q.replicaId).int32(q.maxWaitMs).int32(q.minBytes).int32(q.maxBytes).int8(q.isolationLevel);
  if (version >= 7) w.int32(q.sessionId).int32(q.sessionEpoch);
  w.array(q.topics, (w, t) => {
    w.string(t.name);
    w.array(t.partitions, (w, p) => {
      w.int32(p.partition);
      if (version >= 9) w.int32(p.currentLeaderEpoch);
      w.int64(p.fetchOffset);
      if (version >= 5) w.int64(p.logStartOffset);
      w.int32(p.partitionMaxBytes);
    });
  });
  if (version >= 7) w.array(q.forgottenTopics, (w, t) => w.string(t.name).array(t.partitions, (w, p) => w.int32(p)));
  if (version >= 11) w.string(q.rackId);
}

/**
 * The whole response frame as the pieces to send in order: header buffers, and between them the record sets
 * exactly where their bytes belong. The frame's INT32 size already counts every record byte.
 */
export function fetchResponseFrame<R extends SizedRecords>(version: number, correlationId: number, f: FetchResponse<R>): Array<Buffer | R> {
  const w = startFrame(128);
  w.int32(correlationId);
  w.int32(f.throttleTimeMs);
  if (version >= 7) w.int16(f.errorCode).int32(f.sessionId);
  const cuts: Array<{ at: number; records: R }> = [];
  let recordBytes = 0;
  w.array(f.topics, (w, t) => {
    w.string(t.name);
    w.array(t.partitions, (w, p) => {
      w.int32(p.partitionIndex).int16(p.errorCode).int64(p.highWatermark).int64(p.lastStableOffset);
      if (version >= 5) w.int64(p.logStartOffset);
      w.array(p.abortedTransactions, (w, a) => w.int64(a.producerId).int64(a.firstOffset));
      if (version >= 11) w.int32(p.preferredReadReplica);
      if (p.records === null) {
        w.int32(-1);
      } else {
        w.int32(p.records.sizeInBytes);
        cuts.push({ at: w.length, records: p.records });
        recordBytes += p.records.sizeInBytes;
      }
    });
  });
  const frame = finishFrame(w, recordBytes);
  const parts: Array<Buffer | R> = [];
  let from = 0;
  for (const cut of cuts) {
    if (cut.at > from) parts.push(frame.subarray(from, cut.at));
    if (cut.records.sizeInBytes > 0) parts.push(cut.records);
    from = cut.at;
  }
  if (from < frame.length) parts.push(frame.subarray(from));
  return parts;
}

/** Client side: the response with each partition's records as a view into the frame (no copy). */
export function readFetchResponse(r: WireReader, version: number): FetchResponse<Buffer> {
  const throttleTimeMs = r.int32();
  const errorCode = version >= 7 ? r.int16() : 0;
  const sessionId = version >= 7 ? r.int32() : 0;
  const topics = r.array((r) => ({
    name: r.string(),
    partitions: r.array((r) => ({
      partitionIndex: r.int32(),
      errorCode: r.int16(),
      highWatermark: r.int64(),
      lastStableOffset: r.int64(),
      logStartOffset: version >= 5 ? r.int64() : -1,
      abortedTransactions: r.nullableArray((r) => ({ producerId: r.int64(), firstOffset: r.int64() })),
      preferredReadReplica: version >= 11 ? r.int32() : -1,
      records: r.nullableBytes(),
    })),
  }));
  return { throttleTimeMs, errorCode, sessionId, topics };
}
