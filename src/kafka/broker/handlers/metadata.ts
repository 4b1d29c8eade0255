// Metadata: this broker (node 0) leads every partition. Topics a client asks about are created with the
// configured partition count when auto-creation is on and the client allows it (Kafka's behaviour).
import { ERROR } from "../../protocol/error-codes";
import { readMetadataRequest, writeMetadataResponse, MetadataTopic } from "../../protocol/messages/metadata";
import { topicNameProblem, isInternalTopic } from "../../log/topic-names";
import { Request, Outcome, BrokerContext, respond } from "../request";

/** The broker's node id; one broker, so it is the controller and every partition's leader. */
export const NODE_ID = 0;
export const CLUSTER_ID = "zero-copy-workbook";

export function handleMetadata(request: Request, context: BrokerContext): Outcome {
  const version = request.header.apiVersion;
  const q = readMetadataRequest(request.body, version);
  const names = q.topics ?? context.logs.topicNames();
  const topics: MetadataTopic[] = names.map((name) => {
    let partitions = context.logs.partitions(name);
    if (!partitions && q.topics !== null) {
      const problem = topicNameProblem(name);
      if (problem) return { errorCode: ERROR.INVALID_TOPIC_EXCEPTION, name, isInternal: false, partitions: [] };
      if (!context.config.autoCreateTopics || !q.allowAutoTopicCreation) return { errorCode: ERROR.UNKNOWN_TOPIC_OR_PARTITION, name, isInternal: false, partitions: [] };
      partitions = context.logs.createTopic(name, context.config.defaultPartitions);
      context.log(`created topic ${name} with ${partitions.length} partition(s) (auto-created by ${request.header.clientId ?? "a client"})`);
    }
    return {
      errorCode: ERROR.NONE,
      name,
      isInternal: isInternalTopic(name),
      partitions: (partitions ?? []).map((_, i) => ({ errorCode: ERROR.NONE, partitionIndex: i, leaderId: NODE_ID, leaderEpoch: 0, replicaNodes: [NODE_ID], isrNodes: [NODE_ID], offlineReplicas: [] })),
    };
  });
  return respond(request.header, (w) =>
    writeMetadataResponse(w, version, {
      throttleTimeMs: 0,
      brokers: [{ nodeId: NODE_ID, host: context.advertised.host, port: context.advertised.port, rack: null }],
      clusterId: CLUSTER_ID,
      controllerId: NODE_ID,
      topics,
    }),
  );
}
