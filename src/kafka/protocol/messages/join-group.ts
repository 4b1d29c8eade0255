// JoinGroup (key 11), v0-v5: a member asks to be part of the group's next generation. The coordinator
// holds every member's request until all known members have rejoined (or the rebalance timeout passes),
// then answers them all: the leader gets every member's subscription and computes the assignment.
// v4+ (KIP-394): a member without an id first gets MEMBER_ID_REQUIRED and its new id, then joins with it.
import { WireReader } from "../wire-reader";
import { WireWriter } from "../wire-writer";

export interface JoinGroupRequest {
  groupId: string;
  sessionTimeoutMs: number;
  /** v0 has none: the session timeout doubles as the rebalance timeout. */
  rebalanceTimeoutMs: number;
  memberId: string;
  groupInstanceId: string | null;
  protocolType: string;
  protocols: Array<{ name: string; metadata: Buffer }>;
}

export interface JoinGroupResponse {
  throttleTimeMs: number;
  errorCode: number;
  generationId: number;
  protocolName: string;
  leader: string;
  memberId: string;
  members: Array<{ memberId: string; groupInstanceId: string | null; metadata: Buffer }>;
}

export function readJoinGroupRequest(r: WireReader, version: number): JoinGroupRequest {
  const groupId = r.string();
  const sessionTimeoutMs = r.int32();
  const rebalanceTimeoutMs = version >= 1 ? r.int32() : sessionTimeoutMs;
  const memberId = r.string();
  const groupInstanceId = version >= 5 ? r.nullableString() : null;
  const protocolType = r.string();
  const protocols = r.array((r) => ({ name: r.string(), metadata: r.bytesField() }));
  return { groupId, sessionTimeoutMs, rebalanceTimeoutMs, memberId, groupInstanceId, protocolType, protocols };
}

export function writeJoinGroupRequest(w: WireWriter, version: number, q: JoinGroupRequest): void {
  w.string(q.groupId).int32(q.sessionTimeoutMs);
  if (version >= 1) w.int32(q.rebalanceTimeoutMs);
  w.string(q.memberId);
  if (version >= 5) w.string(q.groupInstanceId);
  w.string(q.protocolType);
  w.array(q.protocols, (w, p) => w.string(p.name).bytes(p.metadata));
}

export function writeJoinGroupResponse(w: WireWriter, version: number, j: JoinGroupResponse): void {
  if (version >= 2) w.int32(j.throttleTimeMs);
  w.int16(j.errorCode).int32(j.generationId).string(j.protocolName).string(j.leader).string(j.memberId);
  w.array(j.members, (w, m) => {
    w.string(m.memberId);
    if (version >= 5) w.string(m.groupInstanceId);
    w.bytes(m.metadata);
  });
}

export function readJoinGroupResponse(r: WireReader, version: number): JoinGroupResponse {
  const throttleTimeMs = version >= 2 ? r.int32() : 0;
  const errorCode = r.int16();
  const generationId = r.int32();
  const protocolName = r.string();
  const leader = r.string();
  const memberId = r.string();
  const members = r.array((r) => ({ memberId: r.string(), groupInstanceId: version >= 5 ? r.nullableString() : null, metadata: r.bytesField() }));
  return { throttleTimeMs, errorCode, generationId, protocolName, leader, memberId, members };
}
