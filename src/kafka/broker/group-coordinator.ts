// The group coordinator of a single broker: Kafka's classic consumer-group protocol (GroupCoordinator.scala).
//
//   Empty --join--> PreparingRebalance --all known members rejoined, or rebalance timeout--> CompletingRebalance
//   CompletingRebalance --leader's SyncGroup--> Stable --join / leave / session expiry--> PreparingRebalance
//   (any state) --last member gone--> Empty
//
// A rebalance is a barrier: every member's JoinGroup waits until every known member has sent one (those that
// do not within the rebalance timeout are dropped), then all get the new generation, and the leader also
// gets every member's subscription. The leader computes the assignment (the coordinator never reads the
// subscriptions: the range or round-robin assignor runs in the client) and sends it in SyncGroup; every
// member's SyncGroup waits for it. Heartbeats keep a member alive between rebalances and tell it when to
// rejoin (REBALANCE_IN_PROGRESS). KIP-394 (JoinGroup v4+): a member without an id is given one and must
// join again with it. Group membership lives in memory; committed offsets are in offset-store.ts.
// Not thread-safe: event loop only.
import { randomUUID } from "crypto";
import { ERROR } from "../protocol/error-codes";
import type { JoinGroupRequest, JoinGroupResponse } from "../protocol/messages/join-group";
import type { SyncGroupRequest, SyncGroupResponse } from "../protocol/messages/sync-group";

export type GroupState = "Empty" | "PreparingRebalance" | "CompletingRebalance" | "Stable";

export interface CoordinatorConfig {
  minSessionTimeoutMs: number;
  maxSessionTimeoutMs: number;
  initialRebalanceDelayMs: number;
  log: (line: string) => void;
}

/** What a member's pending JoinGroup or SyncGroup is answered with. */
type JoinReply = (response: Omit<JoinGroupResponse, "throttleTimeMs">) => void;
type SyncReply = (response: Omit<SyncGroupResponse, "throttleTimeMs">) => void;

interface Member {
  memberId: string;
  groupInstanceId: string | null;
  clientId: string;
  sessionTimeoutMs: number;
  rebalanceTimeoutMs: number;
  protocols: Array<{ name: string; metadata: Buffer }>;
  awaitingJoin: JoinReply | null;
  awaitingSync: SyncReply | null;
  sessionTimer: NodeJS.Timeout | null;
  assignment: Buffer;
}

/** One consumer group's state. */
class Group {
  state: GroupState = "Empty";
  generationId = 0;
  protocolType: string | null = null;
  protocolName: string | null = null;
  leaderId: string | null = null;
  readonly members = new Map<string, Member>();
  /** KIP-394: ids handed out by MEMBER_ID_REQUIRED, waiting for the member's second JoinGroup. */
  readonly pendingMembers = new Map<string, NodeJS.Timeout>();
  rebalanceTimer: NodeJS.Timeout | null = null;
  /** True while an empty group waits group.initial.rebalance.delay.ms for more members. */
  initialDelay = false;

  constructor(readonly groupId: string) {}
}

/** A snapshot for tests and the broker's stats. */
export interface GroupDescription {
  groupId: string;
  state: GroupState;
  generationId: number;
  protocolName: string | null;
  leaderId: string | null;
  members: string[];
}

export class GroupCoordinator {
  private readonly groups = new Map<string, Group>();

  constructor(private readonly config: CoordinatorConfig) {}

  describe(groupId: string): GroupDescription | null {
    const g = this.groups.get(groupId);
    if (!g) return null;
    return { groupId, state: g.state, generationId: g.generationId, protocolName: g.protocolName, leaderId: g.leaderId, members: [...g.members.keys()] };
  }

  /** The group's state as OffsetCommit needs it: null if the group does not exist. */
  commitCheck(groupId: string, generationId: number, memberId: string): number {
    const g = this.groups.get(groupId);
    if (generationId < 0 && memberId === "") {
      // A "simple" commit: allowed unless the group is managed by members right now (Kafka does the same).
      return !g || g.state === "Empty" ? ERROR.NONE : ERROR.UNKNOWN_MEMBER_ID;
    }
    if (!g || !g.members.has(memberId)) return ERROR.UNKNOWN_MEMBER_ID;
    if (generationId !== g.generationId) return ERROR.ILLEGAL_GENERATION;
    if (g.state === "PreparingRebalance" || g.state === "CompletingRebalance") return ERROR.REBALANCE_IN_PROGRESS;
    return ERROR.NONE;
  }

  /** JoinGroup; resolves when the rebalance completes (or at once for errors and the KIP-394 round). */
  join(request: JoinGroupRequest, version: number, clientId: string): Promise<Omit<JoinGroupResponse, "throttleTimeMs">> {
    const fail = (errorCode: number, memberId = request.memberId) =>
      Promise.resolve({ errorCode, generationId: -1, protocolName: "", leader: "", memberId, members: [] });
    if (request.groupId === "") return fail(ERROR.INVALID_GROUP_ID);
    if (request.sessionTimeoutMs < this.config.minSessionTimeoutMs || request.sessionTimeoutMs > this.config.maxSessionTimeoutMs) {
      return fail(ERROR.INVALID_SESSION_TIMEOUT);
    }
    if (request.protocols.length === 0 || request.protocolType === "") return fail(ERROR.INCONSISTENT_GROUP_PROTOCOL);
    let group = this.groups.get(request.groupId);
    if (!group) this.groups.set(request.groupId, (group = new Group(request.groupId)));
    const g = group;
    if (g.members.size > 0 && (g.protocolType !== request.protocolType || !this.sharesProtocol(g, request.protocols))) {
      return fail(ERROR.INCONSISTENT_GROUP_PROTOCOL);
    }
    if (request.memberId === "") {
      const memberId = `${clientId || "member"}-${randomUUID()}`;
      if (version >= 4) {
        // KIP-394: hand out the id and wait for the member to come back with it (within its session timeout).
        g.pendingMembers.set(memberId, setTimeout(() => g.pendingMembers.delete(memberId), request.sessionTimeoutMs).unref());
        return fail(ERROR.MEMBER_ID_REQUIRED, memberId);
      }
      return this.addMemberAndRebalance(g, memberId, request, clientId);
    }
    const pending = g.pendingMembers.get(request.memberId);
    if (pending) {
      clearTimeout(pending);
      g.pendingMembers.delete(request.memberId);
      return this.addMemberAndRebalance(g, request.memberId, request, clientId);
    }
    const member = g.members.get(request.memberId);
    if (!member) return fail(ERROR.UNKNOWN_MEMBER_ID);
    const sameMetadata = sameProtocols(member.protocols, request.protocols);
    if ((g.state === "CompletingRebalance" || g.state === "Stable") && sameMetadata && (g.state === "CompletingRebalance" || member.memberId !== g.leaderId)) {
      // Nothing changed (maybe the member missed our answer): tell it the current generation again.
      return Promise.resolve(this.joinResult(g, member));
    }
    return new Promise((resolve) => {
      member.protocols = request.protocols;
      member.sessionTimeoutMs = request.sessionTimeoutMs;
      member.rebalanceTimeoutMs = request.rebalanceTimeoutMs;
      this.respondJoin(member, null);
      member.awaitingJoin = resolve;
      this.stopSession(member);
      if (g.state !== "PreparingRebalance") this.prepareRebalance(g, `member ${member.memberId} rejoined`);
      else this.tryCompleteJoin(g);
    });
  }

  /** Adds a new member with a pending JoinGroup and starts (or joins) a rebalance. */
  private addMemberAndRebalance(g: Group, memberId: string, request: JoinGroupRequest, clientId: string): Promise<Omit<JoinGroupResponse, "throttleTimeMs">> {
    return new Promise((resolve) => {
      const member: Member = {
        memberId, groupInstanceId: request.groupInstanceId, clientId, sessionTimeoutMs: request.sessionTimeoutMs,
        rebalanceTimeoutMs: request.rebalanceTimeoutMs, protocols: request.protocols, awaitingJoin: resolve, awaitingSync: null,
        sessionTimer: null, assignment: Buffer.alloc(0),
      };
      if (g.members.size === 0) g.protocolType = request.protocolType;
      g.members.set(memberId, member);
      if (!g.leaderId) g.leaderId = memberId;
      if (g.state !== "PreparingRebalance") this.prepareRebalance(g, `member ${memberId} joined`);
      else this.tryCompleteJoin(g);
    });
  }

  /** Enters PreparingRebalance: members waiting in SyncGroup are told to rejoin, the join barrier is armed. */
  private prepareRebalance(g: Group, reason: string): void {
    if (g.state === "CompletingRebalance") {
      for (const m of g.members.values()) this.respondSync(m, ERROR.REBALANCE_IN_PROGRESS);
    }
    const wasEmpty = g.state === "Empty";
    g.state = "PreparingRebalance";
    this.config.log(`group ${g.groupId}: preparing rebalance for generation ${g.generationId + 1} (${reason})`);
    if (g.rebalanceTimer) clearTimeout(g.rebalanceTimer);
    const rebalanceTimeout = Math.max(0, ...[...g.members.values()].map((m) => m.rebalanceTimeoutMs));
    if (wasEmpty && this.config.initialRebalanceDelayMs > 0) {
      // Kafka's InitialDelayedJoin: let more members of a starting group arrive before the first generation.
      g.initialDelay = true;
      g.rebalanceTimer = setTimeout(() => {
        g.initialDelay = false;
        this.tryCompleteJoin(g);
        if (g.state === "PreparingRebalance") g.rebalanceTimer = setTimeout(() => this.completeJoin(g), rebalanceTimeout);
      }, Math.min(this.config.initialRebalanceDelayMs, rebalanceTimeout));
    } else {
      g.rebalanceTimer = setTimeout(() => this.completeJoin(g), rebalanceTimeout);
    }
    this.tryCompleteJoin(g);
  }

  /** Completes the join barrier if every member has rejoined. */
  private tryCompleteJoin(g: Group): void {
    if (g.state !== "PreparingRebalance" || g.initialDelay) return;
    if ([...g.members.values()].every((m) => m.awaitingJoin) && g.pendingMembers.size === 0) this.completeJoin(g);
  }

  /** Ends PreparingRebalance: drops members that did not rejoin, starts the next generation, answers every JoinGroup. */
  private completeJoin(g: Group): void {
    if (g.state !== "PreparingRebalance") return;
    if (g.rebalanceTimer) clearTimeout(g.rebalanceTimer);
    g.rebalanceTimer = null;
    g.initialDelay = false;
    for (const m of [...g.members.values()]) {
      if (!m.awaitingJoin) this.removeMember(g, m, "did not rejoin within the rebalance timeout");
    }
    g.generationId++;
    if (g.members.size === 0) {
      g.state = "Empty";
      g.protocolName = null;
      g.leaderId = null;
      return;
    }
    g.protocolName = this.selectProtocol(g);
    if (!g.leaderId || !g.members.has(g.leaderId)) g.leaderId = g.members.keys().next().value!;
    g.state = "CompletingRebalance";
    this.config.log(`group ${g.groupId}: generation ${g.generationId} with ${g.members.size} member(s), protocol ${g.protocolName}, leader ${g.leaderId}`);
    for (const m of g.members.values()) {
      m.assignment = Buffer.alloc(0);
      this.respondJoin(m, this.joinResult(g, m));
      this.startSession(g, m);
    }
  }

  /** The JoinGroup answer for a member of the current generation (the leader also gets every subscription). */
  private joinResult(g: Group, m: Member): Omit<JoinGroupResponse, "throttleTimeMs"> {
    const isLeader = m.memberId === g.leaderId;
    return {
      errorCode: ERROR.NONE,
      generationId: g.generationId,
      protocolName: g.protocolName ?? "",
      leader: g.leaderId ?? "",
      memberId: m.memberId,
      members: isLeader
        ? [...g.members.values()].map((x) => ({ memberId: x.memberId, groupInstanceId: x.groupInstanceId, metadata: x.protocols.find((p) => p.name === g.protocolName)?.metadata ?? Buffer.alloc(0) }))
        : [],
    };
  }

  /** SyncGroup; resolves when the leader's assignment is in (or at once). */
  sync(request: SyncGroupRequest): Promise<Omit<SyncGroupResponse, "throttleTimeMs">> {
    const answer = (errorCode: number, assignment: Buffer = Buffer.alloc(0)) => Promise.resolve({ errorCode, assignment });
    const g = this.groups.get(request.groupId);
    const m = g?.members.get(request.memberId);
    if (!g || !m) return answer(ERROR.UNKNOWN_MEMBER_ID);
    if (request.generationId !== g.generationId) return answer(ERROR.ILLEGAL_GENERATION);
    if (g.state === "PreparingRebalance") return answer(ERROR.REBALANCE_IN_PROGRESS);
    if (g.state === "Stable") return answer(ERROR.NONE, m.assignment);
    return new Promise((resolve) => {
      this.respondSync(m, ERROR.REBALANCE_IN_PROGRESS);
      m.awaitingSync = resolve;
      this.touch(g, m);
      if (m.memberId === g.leaderId) {
        const given = new Map(request.assignments.map((a) => [a.memberId, a.assignment]));
        for (const member of g.members.values()) member.assignment = copyBytes(given.get(member.memberId) ?? Buffer.alloc(0));
        g.state = "Stable";
        this.config.log(`group ${g.groupId}: generation ${g.generationId} stable`);
        for (const member of g.members.values()) this.respondSync(member, ERROR.NONE);
      }
    });
  }

  /** Heartbeat: refreshes the member's session; tells it to rejoin during a rebalance. */
  heartbeat(groupId: string, generationId: number, memberId: string): number {
    const g = this.groups.get(groupId);
    const m = g?.members.get(memberId);
    if (!g || !m) return ERROR.UNKNOWN_MEMBER_ID;
    if (generationId !== g.generationId) return ERROR.ILLEGAL_GENERATION;
    this.touch(g, m);
    return g.state === "PreparingRebalance" ? ERROR.REBALANCE_IN_PROGRESS : ERROR.NONE;
  }

  /** LeaveGroup for one member: it goes at once, and the others rebalance. */
  leave(groupId: string, memberId: string): number {
    const g = this.groups.get(groupId);
    const m = g?.members.get(memberId);
    if (!g || !m) return ERROR.UNKNOWN_MEMBER_ID;
    this.removeMember(g, m, "left the group");
    this.afterRemoval(g, `member ${memberId} left`);
    return ERROR.NONE;
  }

  /** After a member went: rebalance the rest, or become Empty. */
  private afterRemoval(g: Group, reason: string): void {
    if (g.members.size === 0 && g.state !== "PreparingRebalance") {
      g.state = "Empty";
      g.generationId++;
      g.protocolName = null;
      g.leaderId = null;
      this.config.log(`group ${g.groupId}: empty (${reason})`);
      return;
    }
    if (g.state === "Stable" || g.state === "CompletingRebalance") this.prepareRebalance(g, reason);
    else if (g.state === "PreparingRebalance") this.tryCompleteJoin(g);
  }

  private removeMember(g: Group, m: Member, why: string): void {
    this.stopSession(m);
    this.respondJoin(m, { errorCode: ERROR.UNKNOWN_MEMBER_ID, generationId: -1, protocolName: "", leader: "", memberId: m.memberId, members: [] });
    this.respondSync(m, ERROR.UNKNOWN_MEMBER_ID);
    g.members.delete(m.memberId);
    if (g.leaderId === m.memberId) g.leaderId = g.members.keys().next().value ?? null;
    this.config.log(`group ${g.groupId}: member ${m.memberId} removed (${why})`);
  }

  /** The session timer: a member that neither heartbeats nor joins within its session timeout is removed. */
  private startSession(g: Group, m: Member): void {
    this.stopSession(m);
    m.sessionTimer = setTimeout(() => {
      m.sessionTimer = null;
      if (!g.members.has(m.memberId) || m.awaitingJoin) return;
      this.removeMember(g, m, `no heartbeat within its session timeout of ${m.sessionTimeoutMs} ms`);
      this.afterRemoval(g, `member ${m.memberId} expired`);
    }, m.sessionTimeoutMs);
    m.sessionTimer.unref();
  }

  private stopSession(m: Member): void {
    if (m.sessionTimer) clearTimeout(m.sessionTimer);
    m.sessionTimer = null;
  }

  /** Proof of life: restarts the session timer (not while the member waits in JoinGroup). */
  private touch(g: Group, m: Member): void {
    if (!m.awaitingJoin) this.startSession(g, m);
  }

  private respondJoin(m: Member, response: Omit<JoinGroupResponse, "throttleTimeMs"> | null): void {
    const reply = m.awaitingJoin;
    m.awaitingJoin = null;
    if (reply && response) reply(response);
    else if (reply) reply({ errorCode: ERROR.REBALANCE_IN_PROGRESS, generationId: -1, protocolName: "", leader: "", memberId: m.memberId, members: [] });
  }

  private respondSync(m: Member, errorCode: number): void {
    const reply = m.awaitingSync;
    m.awaitingSync = null;
    reply?.({ errorCode, assignment: errorCode === ERROR.NONE ? m.assignment : Buffer.alloc(0) });
  }

  /** Whether `protocols` shares a name with every member's. */
  private sharesProtocol(g: Group, protocols: Array<{ name: string }>): boolean {
    const names = new Set(protocols.map((p) => p.name));
    return [...this.candidates(g)].some((name) => names.has(name));
  }

  /** Protocol names every member supports. */
  private candidates(g: Group): Set<string> {
    const members = [...g.members.values()];
    if (members.length === 0) return new Set();
    const common = new Set(members[0].protocols.map((p) => p.name));
    for (const m of members.slice(1)) {
      const names = new Set(m.protocols.map((p) => p.name));
      for (const name of [...common]) if (!names.has(name)) common.delete(name);
    }
    return common;
  }

  /** Kafka's vote: each member votes for the first protocol in its list that everyone supports; most votes wins. */
  private selectProtocol(g: Group): string {
    const candidates = this.candidates(g);
    const votes = new Map<string, number>();
    for (const m of g.members.values()) {
      const choice = m.protocols.find((p) => candidates.has(p.name))?.name;
      if (choice) votes.set(choice, (votes.get(choice) ?? 0) + 1);
    }
    return [...votes].sort((a, b) => b[1] - a[1])[0]?.[0] ?? "";
  }

  /** Stops every timer (broker shutdown); pending joins and syncs are answered COORDINATOR_NOT_AVAILABLE. */
  close(): void {
    for (const g of this.groups.values()) {
      if (g.rebalanceTimer) clearTimeout(g.rebalanceTimer);
      for (const t of g.pendingMembers.values()) clearTimeout(t);
      for (const m of g.members.values()) {
        this.stopSession(m);
        this.respondJoin(m, { errorCode: ERROR.COORDINATOR_NOT_AVAILABLE, generationId: -1, protocolName: "", leader: "", memberId: m.memberId, members: [] });
        this.respondSync(m, ERROR.COORDINATOR_NOT_AVAILABLE);
      }
    }
    this.groups.clear();
  }
}

/** Whether two protocol lists are the same names with the same metadata bytes. */
function sameProtocols(a: Array<{ name: string; metadata: Buffer }>, b: Array<{ name: string; metadata: Buffer }>): boolean {
  return a.length === b.length && a.every((p, i) => p.name === b[i].name && p.metadata.equals(b[i].metadata));
}

/** A copy that does not keep the request frame it came from alive. */
function copyBytes(bytes: Uint8Array): Buffer {
  const copy = Buffer.allocUnsafe(bytes.length);
  copy.set(bytes);
  return copy;
}
