// FindCoordinator (key 10), v0-v2: which broker coordinates a group (key type 0) or a transactional id
// (key type 1). On a single broker the answer is always this broker, for groups.
import { WireReader } from "../wire-reader";
import { WireWriter } from "../wire-writer";

export const KEY_TYPE_GROUP = 0;

export interface FindCoordinatorRequest {
  key: string;
  keyType: number;
}

export interface FindCoordinatorResponse {
  throttleTimeMs: number;
  errorCode: number;
  errorMessage: string | null;
  nodeId: number;
  host: string;
  port: number;
}

export function readFindCoordinatorRequest(r: WireReader, version: number): FindCoordinatorRequest {
  return { key: r.string(), keyType: version >= 1 ? r.int8() : KEY_TYPE_GROUP };
}

export function writeFindCoordinatorRequest(w: WireWriter, version: number, q: FindCoordinatorRequest): void {
  w.string(q.key);
  if (version >= 1) w.int8(q.keyType);
}

export function writeFindCoordinatorResponse(w: WireWriter, version: number, f: FindCoordinatorResponse): void {
  if (version >= 1) w.int32(f.throttleTimeMs);
  w.int16(f.errorCode);
  if (version >= 1) w.string(f.errorMessage);
  w.int32(f.nodeId).string(f.host).int32(f.port);
}

export function readFindCoordinatorResponse(r: WireReader, version: number): FindCoordinatorResponse {
  const throttleTimeMs = version >= 1 ? r.int32() : 0;
  const errorCode = r.int16();
  const errorMessage = version >= 1 ? r.nullableString() : null;
  return { throttleTimeMs, errorCode, errorMessage, nodeId: r.int32(), host: r.string(), port: r.int32() };
}
