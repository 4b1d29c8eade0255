// ApiVersions (key 18), v0-v2: which APIs and versions the broker speaks. The request body is empty.
// A v3+ request is flexible; Kafka (KIP-511) answers it in the v0 layout with UNSUPPORTED_VERSION and the
// ranges, and the client retries with a version from them: librdkafka does exactly that.
import { WireReader } from "../wire-reader";
import { WireWriter } from "../wire-writer";
import type { VersionRange } from "../api-keys";

export interface ApiVersionsResponse {
  errorCode: number;
  apiKeys: Array<Pick<VersionRange, "minVersion" | "maxVersion"> & { apiKey: number }>;
  throttleTimeMs: number;
}

export function writeApiVersionsResponse(w: WireWriter, version: number, r: ApiVersionsResponse): void {
  w.int16(r.errorCode);
  w.array(r.apiKeys, (w, k) => w.int16(k.apiKey).int16(k.minVersion).int16(k.maxVersion));
  if (version >= 1) w.int32(r.throttleTimeMs);
}

export function readApiVersionsResponse(r: WireReader, version: number): ApiVersionsResponse {
  const errorCode = r.int16();
  const apiKeys = r.array((r) => ({ apiKey: r.int16(), minVersion: r.int16(), maxVersion: r.int16() }));
  const throttleTimeMs = version >= 1 && r.remaining >= 4 ? r.int32() : 0;
  return { errorCode, apiKeys, throttleTimeMs };
}
