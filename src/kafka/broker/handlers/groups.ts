// The group APIs: FindCoordinator (always this broker), JoinGroup, SyncGroup, Heartbeat, LeaveGroup
// (group-coordinator.ts), OffsetCommit and OffsetFetch (offset-store.ts).
import { ERROR, errorName } from "../../protocol/error-codes";
import { readFindCoordinatorRequest, writeFindCoordinatorResponse, KEY_TYPE_GROUP } from "../../protocol/messages/find-coordinator";
import { readJoinGroupRequest, writeJoinGroupResponse } from "../../protocol/messages/join-group";
import { readSyncGroupRequest, writeSyncGroupResponse } from "../../protocol/messages/sync-group";
import { readHeartbeatRequest, writeHeartbeatResponse } from "../../protocol/messages/heartbeat";
import { readLeaveGroupRequest, writeLeaveGroupResponse } from "../../protocol/messages/leave-group";
import { readOffsetCommitRequest, writeOffsetCommitResponse } from "../../protocol/messages/offset-commit";
import { readOffsetFetchRequest, writeOffsetFetchResponse, OffsetFetchPartition } from "../../protocol/messages/offset-fetch";
import { NODE_ID } from "./metadata";
import { Request, Outcome, BrokerContext, respond, countError } from "../request";
import type { OffsetCommit } from "../offset-store";

export function handleFindCoordinator(request: Request, context: BrokerContext): Outcome {
  const version = request.header.apiVersion;
  const q = readFindCoordinatorRequest(request.body, version);
  const ok = q.keyType === KEY_TYPE_GROUP && q.key !== "";
  const errorCode = ok ? ERROR.NONE : q.keyType === KEY_TYPE_GROUP ? ERROR.INVALID_GROUP_ID : ERROR.COORDINATOR_NOT_AVAILABLE;
  if (!ok) countError(context, errorName(errorCode));
  const errorMessage = ok ? null : q.keyType === KEY_TYPE_GROUP ? "the group id is empty" : "this broker has no transaction coordinator";
  return respond(request.header, (w) =>
    writeFindCoordinatorResponse(w, version, { throttleTimeMs: 0, errorCode, errorMessage, nodeId: ok ? NODE_ID : -1, host: ok ? context.advertised.host : "", port: ok ? context.advertised.port : -1 }),
  );
}

export async function handleJoinGroup(request: Request, context: BrokerContext): Promise<Outcome> {
  const version = request.header.apiVersion;
  const q = readJoinGroupRequest(request.body, version);
  const result = await context.coordinator.join(q, version, request.header.clientId ?? "");
  if (result.errorCode !== ERROR.NONE && result.errorCode !== ERROR.MEMBER_ID_REQUIRED) countError(context, errorName(result.errorCode));
  return respond(request.header, (w) => writeJoinGroupResponse(w, version, { throttleTimeMs: 0, ...result }));
}

export async function handleSyncGroup(request: Request, context: BrokerContext): Promise<Outcome> {
  const version = request.header.apiVersion;
  const result = await context.coordinator.sync(readSyncGroupRequest(request.body, version));
  if (result.errorCode !== ERROR.NONE) countError(context, errorName(result.errorCode));
  return respond(request.header, (w) => writeSyncGroupResponse(w, version, { throttleTimeMs: 0, ...result }));
}

export function handleHeartbeat(request: Request, context: BrokerContext): Outcome {
  const version = request.header.apiVersion;
  const q = readHeartbeatRequest(request.body, version);
  const errorCode = context.coordinator.heartbeat(q.groupId, q.generationId, q.memberId);
  return respond(request.header, (w) => writeHeartbeatResponse(w, version, { throttleTimeMs: 0, errorCode }));
}

export function handleLeaveGroup(request: Request, context: BrokerContext): Outcome {
  const version = request.header.apiVersion;
  const q = readLeaveGroupRequest(request.body, version);
  const members = q.members.map((m) => ({ ...m, errorCode: context.coordinator.leave(q.groupId, m.memberId) }));
  const errorCode = version <= 2 ? members[0].errorCode : ERROR.NONE;
  return respond(request.header, (w) => writeLeaveGroupResponse(w, version, { throttleTimeMs: 0, errorCode, members }));
}

export async function handleOffsetCommit(request: Request, context: BrokerContext): Promise<Outcome> {
  const version = request.header.apiVersion;
  const q = readOffsetCommitRequest(request.body, version);
  const groupError = q.groupId === "" ? ERROR.INVALID_GROUP_ID : context.coordinator.commitCheck(q.groupId, q.generationId, q.memberId);
  const commits: OffsetCommit[] = [];
  const topics = q.topics.map((t) => ({
    name: t.name,
    partitions: t.partitions.map((p) => {
      let errorCode: number = groupError;
      if (errorCode === ERROR.NONE && !context.logs.partition(t.name, p.partitionIndex)) errorCode = ERROR.UNKNOWN_TOPIC_OR_PARTITION;
      if (errorCode === ERROR.NONE) commits.push({ topic: t.name, partition: p.partitionIndex, offset: { offset: p.committedOffset, leaderEpoch: p.committedLeaderEpoch, metadata: p.committedMetadata, commitTimestamp: Date.now() } });
      else countError(context, errorName(errorCode));
      return { partitionIndex: p.partitionIndex, errorCode };
    }),
  }));
  try {
    await context.offsets.commit(q.groupId, commits);
  } catch (error) {
    context.log(`offset commit for group ${q.groupId} failed: ${(error as Error).message}`);
    for (const t of topics) for (const p of t.partitions) if (p.errorCode === ERROR.NONE) p.errorCode = ERROR.KAFKA_STORAGE_ERROR;
  }
  return respond(request.header, (w) => writeOffsetCommitResponse(w, version, { throttleTimeMs: 0, topics }));
}

export function handleOffsetFetch(request: Request, context: BrokerContext): Outcome {
  const version = request.header.apiVersion;
  const q = readOffsetFetchRequest(request.body, version);
  const entry = (p: number, c: ReturnType<typeof context.offsets.get>): OffsetFetchPartition => ({
    partitionIndex: p, committedOffset: c?.offset ?? -1, committedLeaderEpoch: c?.leaderEpoch ?? -1, metadata: c?.metadata ?? "", errorCode: ERROR.NONE,
  });
  const topics = q.topics
    ? q.topics.map((t) => ({ name: t.name, partitions: t.partitionIndexes.map((p) => entry(p, context.offsets.get(q.groupId, t.name, p))) }))
    : [...context.offsets.all(q.groupId)].map(([name, partitions]) => ({ name, partitions: [...partitions].map(([p, c]) => entry(p, c)) }));
  return respond(request.header, (w) => writeOffsetFetchResponse(w, version, { throttleTimeMs: 0, topics, errorCode: ERROR.NONE }));
}
