// Produce (key 0), v3-v7: record batches for partitions, and how long the producer waits for them.
// acks 0: no response at all; 1: after the leader appended; -1: after every in-sync replica has it, which
// for this single-broker log means after fsync(2). Records are one RecordBatch v2 per partition (v3+).
import { WireReader } from "../wire-reader";
import { WireWriter, startFrame, finishFrame } from "../wire-writer";

export interface ProduceRequest {
  transactionalId: string | null;
  acks: number;
  timeoutMs: number;
  topics: Array<{ name: string; partitions: Array<{ partitionIndex: number; records: Buffer | null }> }>;
}

export interface ProducePartitionResponse {
  partitionIndex: number;
  errorCode: number;
  baseOffset: number;
  logAppendTimeMs: number;
  logStartOffset: number;
}

export interface ProduceResponse {
  topics: Array<{ name: string; partitions: ProducePartitionResponse[] }>;
  throttleTimeMs: number;
}

export function readProduceRequest(r: WireReader, _version: number): ProduceRequest {
  const transactionalId = r.nullableString();
  const acks = r.int16();
  const timeoutMs = r.int32();
  const topics = r.array((r) => ({
    name: r.string(),
    partitions: r.array((r) => ({ partitionIndex: r.int32(), records: r.nullableBytes() })),
  }));
  return { transactionalId, acks, timeoutMs, topics };
}

export function writeProduceRequest(w: WireWriter, _version: number, q: ProduceRequest): void {
  w.string(q.transactionalId).int16(q.acks).int32(q.timeoutMs);
  w.array(q.topics, (w, t) => {
    w.string(t.name);
    w.array(t.partitions, (w, p) => w.int32(p.partitionIndex).bytes(p.records));
  });
}

export function writeProduceResponse(w: WireWriter, version: number, p: ProduceResponse): void {
  w.array(p.topics, (w, t) => {
    w.string(t.name);
    w.array(t.partitions, (w, q) => {
      w.int32(q.partitionIndex).int16(q.errorCode).int64(q.baseOffset).int64(q.logAppendTimeMs);
      if (version >= 5) w.int64(q.logStartOffset);
    });
  });
  w.int32(p.throttleTimeMs);
}

export function readProduceResponse(r: WireReader, version: number): ProduceResponse {
  const topics = r.array((r) => ({
    name: r.string(),
    partitions: r.array((r) => ({
      partitionIndex: r.int32(),
      errorCode: r.int16(),
      baseOffset: r.int64(),
      logAppendTimeMs: r.int64(),
      logStartOffset: version >= 5 ? r.int64() : -1,
    })),
  }));
  return { topics, throttleTimeMs: r.int32() };
}

/**
 * Client side: the whole request frame as buffers, each partition's batch its own part (written with
 * writev, never copied into the header buffer). `head` writes the request header.
 */
export function produceRequestFrame(head: (w: WireWriter) => void, q: ProduceRequest): Buffer[] {
  const w = startFrame(128);
  head(w);
  w.string(q.transactionalId).int16(q.acks).int32(q.timeoutMs);
  const cuts: Array<{ at: number; records: Buffer }> = [];
  let recordBytes = 0;
  w.array(q.topics, (w, t) => {
    w.string(t.name);
    w.array(t.partitions, (w, p) => {
      w.int32(p.partitionIndex);
      if (p.records === null) return void w.int32(-1);
      w.int32(p.records.length);
      cuts.push({ at: w.length, records: p.records });
      recordBytes += p.records.length;
    });
  });
  const frame = finishFrame(w, recordBytes);
  const parts: Buffer[] = [];
  let from = 0;
  for (const cut of cuts) {
    parts.push(frame.subarray(from, cut.at), cut.records);
    from = cut.at;
  }
  if (from < frame.length) parts.push(frame.subarray(from));
  return parts;
}
