// The Kafka APIs this broker answers, and the versions of each. Only the last non-flexible versions
// (no tagged fields, no compact arrays) are implemented: kcat (librdkafka 2.0) and kafkajs 2.x negotiate
// down to them through ApiVersions. Produce >= 3 and Fetch >= 4 are the floor of RecordBatch v2
// (message format v2): below them clients send magic 0/1 message sets this broker does not store.
// Version layouts: Kafka's clients/src/main/resources/common/message/*.json.

/** API keys (Kafka's ApiKeys enum). */
export const API = {
  Produce: 0,
  Fetch: 1,
  ListOffsets: 2,
  Metadata: 3,
  OffsetCommit: 8,
  OffsetFetch: 9,
  FindCoordinator: 10,
  JoinGroup: 11,
  Heartbeat: 12,
  LeaveGroup: 13,
  SyncGroup: 14,
  ApiVersions: 18,
} as const;

export type ApiKey = (typeof API)[keyof typeof API];

/** A supported version range, inclusive at both ends. */
export interface VersionRange {
  apiKey: ApiKey;
  minVersion: number;
  maxVersion: number;
}

/** What ApiVersions advertises, in API-key order. */
export const SUPPORTED_VERSIONS: readonly VersionRange[] = [
  { apiKey: API.Produce, minVersion: 3, maxVersion: 7 },
  { apiKey: API.Fetch, minVersion: 4, maxVersion: 11 },
  { apiKey: API.ListOffsets, minVersion: 1, maxVersion: 5 },
  { apiKey: API.Metadata, minVersion: 0, maxVersion: 8 },
  { apiKey: API.OffsetCommit, minVersion: 2, maxVersion: 7 },
  { apiKey: API.OffsetFetch, minVersion: 1, maxVersion: 5 },
  { apiKey: API.FindCoordinator, minVersion: 0, maxVersion: 2 },
  { apiKey: API.JoinGroup, minVersion: 0, maxVersion: 5 },
  { apiKey: API.Heartbeat, minVersion: 0, maxVersion: 3 },
  { apiKey: API.LeaveGroup, minVersion: 0, maxVersion: 3 },
  { apiKey: API.SyncGroup, minVersion: 0, maxVersion: 3 },
  { apiKey: API.ApiVersions, minVersion: 0, maxVersion: 2 },
];

const NAMES = new Map<number, string>(Object.entries(API).map(([name, key]) => [key, name]));

/** "Fetch", or "api 42" for a key this broker does not know. */
export function apiName(apiKey: number): string {
  return NAMES.get(apiKey) ?? `api ${apiKey}`;
}

/** The supported range of an API, or undefined if this broker does not implement it. */
export function supportedRange(apiKey: number): VersionRange | undefined {
  return SUPPORTED_VERSIONS.find((range) => range.apiKey === apiKey);
}

/** Whether `version` of `apiKey` is one this broker can parse and answer. */
export function isSupported(apiKey: number, version: number): boolean {
  const range = supportedRange(apiKey);
  return range !== undefined && version >= range.minVersion && version <= range.maxVersion;
}
