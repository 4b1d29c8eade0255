// Metadata (key 3), v0-v8: brokers, topics and partition leaders. Clients connect to the host/port given
// here for everything else, so the broker advertises the address it listens on.
// v0: an empty topic list means all topics; v1+: null means all, empty means none. v4+ lets the client
// forbid auto-creation.
import { WireReader } from "../wire-reader";
import { WireWriter } from "../wire-writer";

export interface MetadataRequest {
  /** null = every topic. */
  topics: string[] | null;
  allowAutoTopicCreation: boolean;
}

export interface MetadataBroker {
  nodeId: number;
  host: string;
  port: number;
  rack: string | null;
}

export interface MetadataPartition {
  errorCode: number;
  partitionIndex: number;
  leaderId: number;
  leaderEpoch: number;
  replicaNodes: number[];
  isrNodes: number[];
  offlineReplicas: number[];
}

export interface MetadataTopic {
  errorCode: number;
  name: string;
  isInternal: boolean;
  partitions: MetadataPartition[];
}

export interface MetadataResponse {
  throttleTimeMs: number;
  brokers: MetadataBroker[];
  clusterId: string | null;
  controllerId: number;
  topics: MetadataTopic[];
}

/** Kafka's "no authorized operations requested" value for v8's bitfields. */
const AUTHORIZED_OPERATIONS_OMITTED = -2147483648;

export function readMetadataRequest(r: WireReader, version: number): MetadataRequest {
  let topics = version >= 1 ? r.nullableArray((r) => r.string()) : r.array((r) => r.string());
  if (version === 0 && topics!.length === 0) topics = null;
  const allowAutoTopicCreation = version >= 4 ? r.bool() : true;
  if (version >= 8) {
    r.bool(); // include_cluster_authorized_operations: no ACLs here
    r.bool(); // include_topic_authorized_operations
  }
  return { topics, allowAutoTopicCreation };
}

export function writeMetadataRequest(w: WireWriter, version: number, q: MetadataRequest): void {
  if (version === 0 && q.topics === null) w.int32(0);
  else w.array(q.topics, (w, t) => w.string(t));
  if (version >= 4) w.bool(q.allowAutoTopicCreation);
  if (version >= 8) w.bool(false).bool(false);
}

export function writeMetadataResponse(w: WireWriter, version: number, m: MetadataResponse): void {
  if (version >= 3) w.int32(m.throttleTimeMs);
  w.array(m.brokers, (w, b) => {
    w.int32(b.nodeId).string(b.host).int32(b.port);
    if (version >= 1) w.string(b.rack);
  });
  if (version >= 2) w.string(m.clusterId);
  if (version >= 1) w.int32(m.controllerId);
  w.array(m.topics, (w, t) => {
    w.int16(t.errorCode).string(t.name);
    if (version >= 1) w.bool(t.isInternal);
    w.array(t.partitions, (w, p) => {
      w.int16(p.errorCode).int32(p.partitionIndex).int32(p.leaderId);
      if (version >= 7) w.int32(p.leaderEpoch);
      w.array(p.replicaNodes, (w, n) => w.int32(n));
      w.array(p.isrNodes, (w, n) => w.int32(n));
      if (version >= 5) w.array(p.offlineReplicas, (w, n) => w.int32(n));
    });
    if (version >= 8) w.int32(AUTHORIZED_OPERATIONS_OMITTED);
  });
  if (version >= 8) w.int32(AUTHORIZED_OPERATIONS_OMITTED);
}

export function readMetadataResponse(r: WireReader, version: number): MetadataResponse {
  const throttleTimeMs = version >= 3 ? r.int32() : 0;
  const brokers = r.array((r) => ({ nodeId: r.int32(), host: r.string(), port: r.int32(), rack: version >= 1 ? r.nullableString() : null }));
  const clusterId = version >= 2 ? r.nullableString() : null;
  const controllerId = version >= 1 ? r.int32() : -1;
  const topics = r.array((r) => {
    const errorCode = r.int16();
    const name = r.string();
    const isInternal = version >= 1 ? r.bool() : false;
    const partitions = r.array((r) => ({
      errorCode: r.int16(),
      partitionIndex: r.int32(),
      leaderId: r.int32(),
      leaderEpoch: version >= 7 ? r.int32() : -1,
      replicaNodes: r.array((r) => r.int32()),
      isrNodes: r.array((r) => r.int32()),
      offlineReplicas: version >= 5 ? r.array((r) => r.int32()) : [],
    }));
    if (version >= 8) r.int32();
    return { errorCode, name, isInternal, partitions };
  });
  if (version >= 8) r.int32();
  return { throttleTimeMs, brokers, clusterId, controllerId, topics };
}
