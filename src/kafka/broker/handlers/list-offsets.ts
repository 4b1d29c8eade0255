// ListOffsets: -1 = the log end (next offset), -2 = the log start, else the first offset at or after a timestamp.
import { ERROR } from "../../protocol/error-codes";
import { readListOffsetsRequest, writeListOffsetsResponse, LATEST_TIMESTAMP, EARLIEST_TIMESTAMP, ListOffsetsPartitionResponse } from "../../protocol/messages/list-offsets";
import { Request, Outcome, BrokerContext, respond, countError } from "../request";

export function handleListOffsets(request: Request, context: BrokerContext): Outcome {
  const version = request.header.apiVersion;
  const q = readListOffsetsRequest(request.body, version);
  const topics = q.topics.map((t) => ({
    name: t.name,
    partitions: t.partitions.map((p): ListOffsetsPartitionResponse => {
      const log = context.logs.partition(t.name, p.partitionIndex);
      const base = { partitionIndex: p.partitionIndex, errorCode: ERROR.NONE as number, timestamp: -1, offset: -1, leaderEpoch: 0 };
      if (!log) {
        countError(context, "UNKNOWN_TOPIC_OR_PARTITION");
        return { ...base, errorCode: ERROR.UNKNOWN_TOPIC_OR_PARTITION, leaderEpoch: -1 };
      }
      if (p.timestamp === LATEST_TIMESTAMP) return { ...base, offset: log.logEndOffset };
      if (p.timestamp === EARLIEST_TIMESTAMP) return { ...base, offset: log.logStartOffset };
      const found = log.offsetForTimestamp(p.timestamp);
      return found ? { ...base, ...found } : base;
    }),
  }));
  return respond(request.header, (w) => writeListOffsetsResponse(w, version, { throttleTimeMs: 0, topics }));
}
