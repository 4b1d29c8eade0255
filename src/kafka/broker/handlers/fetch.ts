// Fetch: find whole batches from each partition's fetch offset, and if there are fewer than min bytes,
// long-poll: wait (up to max wait) for appends, then look again. The response's records are FileRecords,
// byte ranges of segment files that response-sender.ts moves with sendfile(2) (or pread + write).
// Limits as Kafka's (KIP-74): partitions in request order, each up to its partition max bytes and what is
// left of the response's max bytes, except that the first partition with data always gets a whole batch.
import { ERROR } from "../../protocol/error-codes";
import { readFetchRequest, fetchResponseFrame, FetchRequest, FetchResponse, FetchPartitionResponse } from "../../protocol/messages/fetch";
import { FileRecords } from "../response-sender";
import { Request, Outcome, BrokerContext, countError } from "../request";

/** READ_COMMITTED (1) clients get an empty aborted-transactions list; there are no transactions here. */
const READ_COMMITTED = 1;

/** Record bytes of an error or empty partition: Kafka sends an empty record set (length 0). */
const NO_RECORDS = new FileRecords(-1, 0, 0);

export async function handleFetch(request: Request, context: BrokerContext): Promise<Outcome> {
  const version = request.header.apiVersion;
  const q = readFetchRequest(request.body, version);
  let plan = planFetch(q, context);
  if (plan.recordBytes < q.minBytes && q.maxWaitMs > 0 && !plan.hasError) {
    await waitForAppends(q, context, request, () => (plan = planFetch(q, context)).recordBytes >= q.minBytes);
    if (request.connection.closed) return { kind: "silent" };
  }
  for (const p of plan.errors) countError(context, p);
  return { kind: "respond", parts: fetchResponseFrame(version, request.header.correlationId, plan.response) };
}

interface FetchPlan {
  response: FetchResponse<FileRecords>;
  recordBytes: number;
  hasError: boolean;
  errors: string[];
}

/** What the response would carry right now. */
function planFetch(q: FetchRequest, context: BrokerContext): FetchPlan {
  let remaining = q.maxBytes > 0 ? q.maxBytes : 0x7fffffff;
  let recordBytes = 0;
  let gaveFirstBatch = false;
  const errors: string[] = [];
  const aborted = q.isolationLevel === READ_COMMITTED ? [] : null;
  const topics = q.topics.map((t) => ({
    name: t.name,
    partitions: t.partitions.map((p): FetchPartitionResponse<FileRecords> => {
      const log = context.logs.partition(t.name, p.partition);
      const base = { partitionIndex: p.partition, errorCode: ERROR.NONE as number, highWatermark: -1, lastStableOffset: -1, logStartOffset: -1, abortedTransactions: aborted, preferredReadReplica: -1, records: NO_RECORDS };
      if (!log) {
        errors.push("UNKNOWN_TOPIC_OR_PARTITION");
        return { ...base, errorCode: ERROR.UNKNOWN_TOPIC_OR_PARTITION };
      }
      // One replica: everything appended is "replicated", so the high watermark is the log end.
      const offsets = { highWatermark: log.logEndOffset, lastStableOffset: log.logEndOffset, logStartOffset: log.logStartOffset };
      const limit = Math.min(p.partitionMaxBytes, remaining);
      if (limit <= 0 && gaveFirstBatch) return { ...base, ...offsets };
      const read = log.read(p.fetchOffset, limit);
      if (read.kind === "out-of-range") {
        errors.push("OFFSET_OUT_OF_RANGE");
        return { ...base, ...offsets, errorCode: ERROR.OFFSET_OUT_OF_RANGE };
      }
      if (read.kind === "empty" || (gaveFirstBatch && read.slice.length > limit)) return { ...base, ...offsets };
      gaveFirstBatch = true;
      remaining -= read.slice.length;
      recordBytes += read.slice.length;
      return { ...base, ...offsets, records: new FileRecords(read.slice.fd, read.slice.position, read.slice.length) };
    }),
  }));
  return { response: { throttleTimeMs: 0, errorCode: ERROR.NONE, sessionId: 0, topics }, recordBytes, hasError: errors.length > 0, errors };
}

/** Waits until `enough()` after an append, max wait passes, or the connection closes (Kafka's DelayedFetch). */
function waitForAppends(q: FetchRequest, context: BrokerContext, request: Request, enough: () => boolean): Promise<void> {
  return new Promise((resolve) => {
    const stops: Array<() => void> = [];
    let checkQueued = false;
    const finish = () => {
      clearTimeout(timer);
      for (const stop of stops) stop();
      resolve();
    };
    // Appends can come in bursts: check once per turn of the event loop, not once per append.
    const onAppend = () => {
      if (checkQueued) return;
      checkQueued = true;
      setImmediate(() => {
        checkQueued = false;
        if (enough()) finish();
      });
    };
    for (const t of q.topics) {
      for (const p of t.partitions) {
        const log = context.logs.partition(t.name, p.partition);
        if (log) stops.push(log.onAppend(onAppend));
      }
    }
    stops.push(request.connection.onClose(finish));
    const timer = setTimeout(finish, q.maxWaitMs);
  });
}
