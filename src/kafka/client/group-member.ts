// A consumer group member: FindCoordinator, JoinGroup (with KIP-394's member-id round), SyncGroup (the
// leader computes the range assignment), Heartbeat every `heartbeatIntervalMs` (rejoining when the
// coordinator answers REBALANCE_IN_PROGRESS), OffsetCommit/OffsetFetch, and LeaveGroup on close.
// It tells its owner about each new assignment through `onAssignment`. Not thread-safe.
import { API } from "../protocol/api-keys";
import { ERROR, KafkaError, errorName } from "../protocol/error-codes";
import { CONSUMER_PROTOCOL_TYPE, encodeSubscription, decodeSubscription, encodeAssignment, decodeAssignment } from "../protocol/consumer-protocol";
import { readFindCoordinatorResponse, writeFindCoordinatorRequest, KEY_TYPE_GROUP } from "../protocol/messages/find-coordinator";
import { readJoinGroupResponse, writeJoinGroupRequest } from "../protocol/messages/join-group";
import { readSyncGroupResponse, writeSyncGroupRequest } from "../protocol/messages/sync-group";
import { readHeartbeatResponse, writeHeartbeatRequest } from "../protocol/messages/heartbeat";
import { readLeaveGroupResponse, writeLeaveGroupRequest } from "../protocol/messages/leave-group";
import { readOffsetCommitResponse, writeOffsetCommitRequest } from "../protocol/messages/offset-commit";
import { readOffsetFetchResponse, writeOffsetFetchRequest } from "../protocol/messages/offset-fetch";
import { KafkaConnection, ConnectionOptions } from "./kafka-connection";
import { KafkaCluster } from "./cluster";
import { rangeAssign, RANGE_PROTOCOL } from "./range-assignor";

export interface GroupMemberOptions extends Partial<ConnectionOptions> {
  groupId: string;
  topics: string[];
  sessionTimeoutMs: number;
  rebalanceTimeoutMs: number;
  heartbeatIntervalMs: number;
}

/** One generation's assignment: topic -> partitions. */
export interface GroupAssignment {
  generationId: number;
  memberId: string;
  leader: boolean;
  partitions: Map<string, number[]>;
}

export class GroupMember {
  onAssignment: ((assignment: GroupAssignment) => void) | null = null;
  /** Why the member stopped, if it did (a fatal error from the coordinator). */
  error: Error | null = null;
  private memberId = "";
  private generationId = -1;
  private heartbeat: NodeJS.Timeout | null = null;
  private rejoining: Promise<GroupAssignment> | null = null;
  private closed = false;

  private constructor(
    private readonly cluster: KafkaCluster,
    private readonly coordinator: KafkaConnection,
    readonly options: GroupMemberOptions,
  ) {}

  /** Finds the group's coordinator, joins, and resolves with the first assignment. */
  static async join(bootstrap: string, options: GroupMemberOptions): Promise<{ member: GroupMember; assignment: GroupAssignment }> {
    const cluster = await KafkaCluster.connect(bootstrap, options);
    try {
      for (const t of options.topics) await cluster.partitions(t);
      const any = cluster.any;
      const version = any.version(API.FindCoordinator, 0, 2);
      const found = await any.request(API.FindCoordinator, version, (w) => writeFindCoordinatorRequest(w, version, { key: options.groupId, keyType: KEY_TYPE_GROUP }), (r) => readFindCoordinatorResponse(r, version));
      if (found.errorCode !== ERROR.NONE) throw new KafkaError(found.errorCode, `FindCoordinator for group ${options.groupId}: ${found.errorMessage ?? ""}`);
      const coordinator = await KafkaConnection.connect(found.host, found.port, options);
      const member = new GroupMember(cluster, coordinator, options);
      const assignment = await member.rejoin();
      return { member, assignment };
    } catch (error) {
      cluster.close();
      throw error;
    }
  }

  /** Runs a join round (and the sync after it); concurrent callers share it. */
  rejoin(): Promise<GroupAssignment> {
    this.rejoining ??= this.joinRound().finally(() => (this.rejoining = null));
    return this.rejoining;
  }

  private async joinRound(): Promise<GroupAssignment> {
    this.stopHeartbeat();
    const c = this.coordinator;
    const jv = c.version(API.JoinGroup, 0, 5);
    const metadata = encodeSubscription({ topics: this.options.topics, userData: null });
    for (let attempt = 0; ; attempt++) {
      const join = await c.request(
        API.JoinGroup, jv,
        (w) => writeJoinGroupRequest(w, jv, {
          groupId: this.options.groupId, sessionTimeoutMs: this.options.sessionTimeoutMs, rebalanceTimeoutMs: this.options.rebalanceTimeoutMs,
          memberId: this.memberId, groupInstanceId: null, protocolType: CONSUMER_PROTOCOL_TYPE, protocols: [{ name: RANGE_PROTOCOL, metadata }],
        }),
        (r) => readJoinGroupResponse(r, jv),
      );
      if (join.errorCode === ERROR.MEMBER_ID_REQUIRED) {
        this.memberId = join.memberId;
        continue;
      }
      if (join.errorCode === ERROR.UNKNOWN_MEMBER_ID && attempt < 3) {
        this.memberId = "";
        continue;
      }
      if (join.errorCode === ERROR.REBALANCE_IN_PROGRESS && attempt < 10) continue;
      if (join.errorCode !== ERROR.NONE) throw new KafkaError(join.errorCode, `JoinGroup ${this.options.groupId}`);
      this.memberId = join.memberId;
      this.generationId = join.generationId;
      const leader = join.leader === join.memberId;
      const assignments = leader ? await this.assign(join.members) : [];
      const sv = c.version(API.SyncGroup, 0, 3);
      const sync = await c.request(
        API.SyncGroup, sv,
        (w) => writeSyncGroupRequest(w, sv, { groupId: this.options.groupId, generationId: this.generationId, memberId: this.memberId, groupInstanceId: null, assignments }),
        (r) => readSyncGroupResponse(r, sv),
      );
      if (sync.errorCode === ERROR.REBALANCE_IN_PROGRESS && attempt < 10) continue;
      if (sync.errorCode !== ERROR.NONE) throw new KafkaError(sync.errorCode, `SyncGroup ${this.options.groupId}`);
      const partitions = new Map(decodeAssignment(sync.assignment).partitions.map((t) => [t.topic, t.partitions]));
      const assignment: GroupAssignment = { generationId: this.generationId, memberId: this.memberId, leader, partitions };
      this.startHeartbeat();
      this.onAssignment?.(assignment);
      return assignment;
    }
  }

  /** The leader's job: the range assignment of every member's subscription. */
  private async assign(members: Array<{ memberId: string; metadata: Buffer }>): Promise<Array<{ memberId: string; assignment: Buffer }>> {
    const subscriptions = new Map(members.map((m) => [m.memberId, decodeSubscription(m.metadata).topics]));
    const counts = new Map<string, number>();
    for (const topic of new Set([...subscriptions.values()].flat())) counts.set(topic, await this.cluster.partitions(topic, false));
    const plan = rangeAssign(subscriptions, counts);
    return [...plan].map(([memberId, topics]) => ({
      memberId,
      assignment: encodeAssignment({ partitions: [...topics].map(([topic, partitions]) => ({ topic, partitions })), userData: null }),
    }));
  }

  private startHeartbeat(): void {
    this.stopHeartbeat();
    this.heartbeat = setTimeout(() => void this.beat(), this.options.heartbeatIntervalMs);
  }

  private stopHeartbeat(): void {
    if (this.heartbeat) clearTimeout(this.heartbeat);
    this.heartbeat = null;
  }

  /** One heartbeat; REBALANCE_IN_PROGRESS (or a stale generation) means: rejoin now. */
  private async beat(): Promise<void> {
    if (this.closed) return;
    try {
      const v = this.coordinator.version(API.Heartbeat, 0, 3);
      const r = await this.coordinator.request(API.Heartbeat, v, (w) => writeHeartbeatRequest(w, v, { groupId: this.options.groupId, generationId: this.generationId, memberId: this.memberId, groupInstanceId: null }), (r) => readHeartbeatResponse(r, v));
      if (this.closed) return;
      if (r.errorCode === ERROR.NONE) return this.startHeartbeat();
      if (r.errorCode === ERROR.REBALANCE_IN_PROGRESS || r.errorCode === ERROR.ILLEGAL_GENERATION || r.errorCode === ERROR.UNKNOWN_MEMBER_ID) {
        if (r.errorCode === ERROR.UNKNOWN_MEMBER_ID) this.memberId = "";
        await this.rejoin();
        return;
      }
      throw new KafkaError(r.errorCode, `Heartbeat ${this.options.groupId}`);
    } catch (error) {
      if (!this.closed) this.error = error as Error;
    }
  }

  /** Commits offsets for this generation. */
  async commit(offsets: Array<{ topic: string; partition: number; offset: number }>): Promise<void> {
    const v = this.coordinator.version(API.OffsetCommit, 2, 7);
    const byTopic = new Map<string, Array<{ partition: number; offset: number }>>();
    for (const o of offsets) byTopic.set(o.topic, [...(byTopic.get(o.topic) ?? []), o]);
    const r = await this.coordinator.request(
      API.OffsetCommit, v,
      (w) => writeOffsetCommitRequest(w, v, {
        groupId: this.options.groupId, generationId: this.generationId, memberId: this.memberId, groupInstanceId: null,
        topics: [...byTopic].map(([name, ps]) => ({ name, partitions: ps.map((p) => ({ partitionIndex: p.partition, committedOffset: p.offset, committedLeaderEpoch: -1, committedMetadata: null })) })),
      }),
      (r) => readOffsetCommitResponse(r, v),
    );
    for (const t of r.topics) for (const p of t.partitions) if (p.errorCode !== ERROR.NONE) throw new KafkaError(p.errorCode, `OffsetCommit ${t.name}-${p.partitionIndex}`);
  }

  /** The group's committed offsets for these partitions (-1 where none). */
  async committed(partitions: Array<{ topic: string; partition: number }>): Promise<Map<string, number>> {
    const v = this.coordinator.version(API.OffsetFetch, 1, 5);
    const byTopic = new Map<string, number[]>();
    for (const p of partitions) byTopic.set(p.topic, [...(byTopic.get(p.topic) ?? []), p.partition]);
    const r = await this.coordinator.request(
      API.OffsetFetch, v,
      (w) => writeOffsetFetchRequest(w, v, { groupId: this.options.groupId, topics: [...byTopic].map(([name, partitionIndexes]) => ({ name, partitionIndexes })) }),
      (r) => readOffsetFetchResponse(r, v),
    );
    if (r.errorCode !== ERROR.NONE) throw new KafkaError(r.errorCode, "OffsetFetch");
    return new Map(r.topics.flatMap((t) => t.partitions.map((p) => [`${t.name}-${p.partitionIndex}`, p.committedOffset] as [string, number])));
  }

  /** LeaveGroup, then closes the connections. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.stopHeartbeat();
    try {
      if (this.memberId && !this.coordinator.closed) {
        const v = this.coordinator.version(API.LeaveGroup, 0, 3);
        const r = await this.coordinator.request(API.LeaveGroup, v, (w) => writeLeaveGroupRequest(w, v, { groupId: this.options.groupId, members: [{ memberId: this.memberId, groupInstanceId: null }] }), (r) => readLeaveGroupResponse(r, v));
        if (r.errorCode !== ERROR.NONE && r.errorCode !== ERROR.UNKNOWN_MEMBER_ID) throw new KafkaError(r.errorCode, `LeaveGroup: ${errorName(r.errorCode)}`);
      }
    } finally {
      this.coordinator.close();
      this.cluster.close();
    }
  }

  /** Drops the connections without LeaveGroup: what a crashed member leaves behind (tests of session expiry). */
  abandon(): void {
    this.closed = true;
    this.stopHeartbeat();
    this.coordinator.close();
    this.cluster.close();
  }
}

