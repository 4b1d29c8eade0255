// Heartbeat (key 12), v0-v3: "I am alive, generation g". The answer REBALANCE_IN_PROGRESS tells the member
// to rejoin; UNKNOWN_MEMBER_ID or ILLEGAL_GENERATION that it has been dropped or is behind.
import { WireReader } from "../wire-reader";
import { WireWriter } from "../wire-writer";

export interface HeartbeatRequest {
  groupId: string;
  generationId: number;
  memberId: string;
  groupInstanceId: string | null;
}

export interface HeartbeatResponse {
  throttleTimeMs: number;
  errorCode: number;
}

export function readHeartbeatRequest(r: WireReader, version: number): HeartbeatRequest {
  return { groupId: r.string(), generationId: r.int32(), memberId: r.string(), groupInstanceId: version >= 3 ? r.nullableString() : null };
}

export function writeHeartbeatRequest(w: WireWriter, version: number, q: HeartbeatRequest): void {
  w.string(q.groupId).int32(q.generationId).string(q.memberId);
  if (version >= 3) w.string(q.groupInstanceId);
}

export function writeHeartbeatResponse(w: WireWriter, version: number, h: HeartbeatResponse): void {
  if (version >= 1) w.int32(h.throttleTimeMs);
  w.int16(h.errorCode);
}

export function readHeartbeatResponse(r: WireReader, version: number): HeartbeatResponse {
  const throttleTimeMs = version >= 1 ? r.int32() : 0;
  return { throttleTimeMs, errorCode: r.int16() };
}
