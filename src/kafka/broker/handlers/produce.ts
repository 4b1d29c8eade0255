// Produce: validate each partition's batch as Kafka's LogValidator does, stamp its offsets and append it
// (page cache), then answer: acks=1 at once, acks=-1 once fsync(2) has made the batch durable (the only
// replica is in sync when it is on disk, in this single-broker design), acks=0 never. A bad batch for one
// partition fails that partition only; with acks=0 any error closes the connection, as Kafka does, since
// there is no response to carry it.
import { ERROR, errorName } from "../../protocol/error-codes";
import { readProduceRequest, writeProduceResponse, ProducePartitionResponse } from "../../protocol/messages/produce";
import { validateBatch, InvalidBatch } from "../../records/record-batch";
import { isInternalTopic } from "../../log/topic-names";
import type { PartitionLog } from "../../log/partition-log";
import { Request, Outcome, BrokerContext, respond, countError } from "../request";

export async function handleProduce(request: Request, context: BrokerContext): Promise<Outcome> {
  const version = request.header.apiVersion;
  const q = readProduceRequest(request.body, version);
  const acksValid = q.acks === 0 || q.acks === 1 || q.acks === -1;
  const toFlush: Array<{ log: PartitionLog; upTo: number; result: ProducePartitionResponse }> = [];
  const problems: string[] = [];
  const topics = q.topics.map((t) => ({
    name: t.name,
    partitions: t.partitions.map((p): ProducePartitionResponse => {
      const result = { partitionIndex: p.partitionIndex, errorCode: ERROR.NONE as number, baseOffset: -1, logAppendTimeMs: -1, logStartOffset: -1 };
      const fail = (code: number, why: string) => {
        result.errorCode = code;
        countError(context, errorName(code));
        problems.push(`${t.name}-${p.partitionIndex}: ${errorName(code)}: ${why}`);
        return result;
      };
      if (!acksValid) return fail(ERROR.INVALID_REQUIRED_ACKS, `acks must be 0, 1 or -1, got ${q.acks}`);
      if (isInternalTopic(t.name)) return fail(ERROR.INVALID_TOPIC_EXCEPTION, "clients cannot produce to an internal topic");
      const log = context.logs.partition(t.name, p.partitionIndex);
      if (!log) return fail(ERROR.UNKNOWN_TOPIC_OR_PARTITION, "no such topic partition (Metadata creates topics)");
      result.logStartOffset = log.logStartOffset;
      const records = p.records;
      if (!records || records.length === 0) return fail(ERROR.CORRUPT_MESSAGE, "no records");
      if (records.length > context.config.maxMessageBytes) return fail(ERROR.MESSAGE_TOO_LARGE, `batch of ${records.length} bytes exceeds maxMessageBytes ${context.config.maxMessageBytes}`);
      let header;
      try {
        header = validateBatch(records, 0, records.length);
        if (header.baseOffset !== 0) throw new InvalidBatch("corrupt", `baseOffset ${header.baseOffset}: a producer's batch starts at 0`);
      } catch (error) {
        if (!(error instanceof InvalidBatch)) throw error;
        const code = error.reason === "unsupported-format" ? ERROR.UNSUPPORTED_FOR_MESSAGE_FORMAT : error.reason === "corrupt" ? ERROR.CORRUPT_MESSAGE : ERROR.INVALID_REQUEST;
        return fail(code, error.message);
      }
      try {
        result.baseOffset = log.append(records, 0, header);
      } catch (error) {
        return fail(ERROR.KAFKA_STORAGE_ERROR, `append failed: ${(error as Error).message}`);
      }
      context.counters.batchesAppended++;
      context.counters.recordsAppended += header.recordCount;
      context.counters.bytesAppended += records.length;
      if (q.acks === -1) toFlush.push({ log, upTo: result.baseOffset + header.recordCount, result });
      return result;
    }),
  }));
  if (problems.length) context.log(`produce from ${request.connection.remote}: ${problems.slice(0, 3).join("; ")}${problems.length > 3 ? `; and ${problems.length - 3} more` : ""}`);
  // acks=-1: the group commit; every partition this request wrote is fsynced before we answer.
  await Promise.all(
    toFlush.map(({ log, upTo, result }) =>
      log.flush(upTo).catch((error: Error) => {
        result.errorCode = ERROR.KAFKA_STORAGE_ERROR;
        context.log(`fsync of ${log.topic}-${log.partition} failed: ${error.message}`);
      }),
    ),
  );
  if (q.acks === 0) return problems.length ? { kind: "close", reason: `acks=0 produce failed (${problems[0]}); closing so the producer notices` } : { kind: "silent" };
  return respond(request.header, (w) => writeProduceResponse(w, version, { topics, throttleTimeMs: 0 }));
}
