// SyncGroup (key 14), v0-v3: after a join round, the leader sends everyone's assignment; every member
// (leader included) gets its own back. Followers' requests wait until the leader's arrives.
import { WireReader } from "../wire-reader";
import { WireWriter } from "../wire-writer";

export interface SyncGroupRequest {
  groupId: string;
  generationId: number;
  memberId: string;
  groupInstanceId: string | null;
  assignments: Array<{ memberId: string; assignment: Buffer }>;
}

export interface SyncGroupResponse {
  throttleTimeMs: number;
  errorCode: number;
  assignment: Buffer;
}

export function readSyncGroupRequest(r: WireReader, version: number): SyncGroupRequest {
  const groupId = r.string();
  const generationId = r.int32();
  const memberId = r.string();
  const groupInstanceId = version >= 3 ? r.nullableString() : null;
  const assignments = r.array((r) => ({ memberId: r.string(), assignment: r.bytesField() }));
  return { groupId, generationId, memberId, groupInstanceId, assignments };
}

export function writeSyncGroupRequest(w: WireWriter, version: number, q: SyncGroupRequest): void {
  w.string(q.groupId).int32(q.generationId).string(q.memberId);
  if (version >= 3) w.string(q.groupInstanceId);
  w.array(q.assignments, (w, a) => w.string(a.memberId).bytes(a.assignment));
}

export function writeSyncGroupResponse(w: WireWriter, version: number, s: SyncGroupResponse): void {
  if (version >= 1) w.int32(s.throttleTimeMs);
  w.int16(s.errorCode).bytes(s.assignment);
}

export function readSyncGroupResponse(r: WireReader, version: number): SyncGroupResponse {
  const throttleTimeMs = version >= 1 ? r.int32() : 0;
  return { throttleTimeMs, errorCode: r.int16(), assignment: r.bytesField() };
}
