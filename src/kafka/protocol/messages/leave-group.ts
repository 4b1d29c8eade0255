// LeaveGroup (key 13), v0-v3: members leave at once instead of waiting out their session timeout.
// v0-v2 name one member; v3 (KIP-345) names a list and answers per member.
import { WireReader } from "../wire-reader";
import { WireWriter } from "../wire-writer";

export interface LeaveGroupRequest {
  groupId: string;
  members: Array<{ memberId: string; groupInstanceId: string | null }>;
}

export interface LeaveGroupResponse {
  throttleTimeMs: number;
  errorCode: number;
  members: Array<{ memberId: string; groupInstanceId: string | null; errorCode: number }>;
}

export function readLeaveGroupRequest(r: WireReader, version: number): LeaveGroupRequest {
  const groupId = r.string();
  if (version <= 2) return { groupId, members: [{ memberId: r.string(), groupInstanceId: null }] };
  return { groupId, members: r.array((r) => ({ memberId: r.string(), groupInstanceId: r.nullableString() })) };
}

export function writeLeaveGroupRequest(w: WireWriter, version: number, q: LeaveGroupRequest): void {
  w.string(q.groupId);
  if (version <= 2) w.string(q.members[0]?.memberId ?? "");
  else w.array(q.members, (w, m) => w.string(m.memberId).string(m.groupInstanceId));
}

export function writeLeaveGroupResponse(w: WireWriter, version: number, l: LeaveGroupResponse): void {
  if (version >= 1) w.int32(l.throttleTimeMs);
  w.int16(l.errorCode);
  if (version >= 3) w.array(l.members, (w, m) => w.string(m.memberId).string(m.groupInstanceId).int16(m.errorCode));
}

export function readLeaveGroupResponse(r: WireReader, version: number): LeaveGroupResponse {
  const throttleTimeMs = version >= 1 ? r.int32() : 0;
  const errorCode = r.int16();
  const members = version >= 3 ? r.array((r) => ({ memberId: r.string(), groupInstanceId: r.nullableString(), errorCode: r.int16() })) : [];
  return { throttleTimeMs, errorCode, members };
}
