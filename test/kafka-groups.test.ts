// The group coordinator: kafkajs members sharing a group split its partitions and a survivor takes over
// when one leaves; the workbook's own members get Kafka's range assignment and survive a member that
// dies without leaving (session timeout); and the coordinator's rules one by one (KIP-394 member ids,
// generations, unknown members, protocol mismatch, commits during a rebalance, offsets after a restart).
import { describe, it, expect, afterAll } from "vitest";
import * as path from "path";
import { Kafka, logLevel, Consumer } from "kafkajs";
import { brokerCli, inProcessBroker, tempDir, cleanupKafka, sleep } from "./support/kafka";
import { GroupMember } from "../src/kafka/client/group-member";
import { rangeAssign } from "../src/kafka/client/range-assignor";
import { GroupCoordinator } from "../src/kafka/broker/group-coordinator";
import { ERROR } from "../src/kafka/protocol/error-codes";
import type { JoinGroupRequest } from "../src/kafka/protocol/messages/join-group";

process.env.KAFKAJS_NO_PARTITIONER_WARNING = "1";
afterAll(cleanupKafka);

/** Resolves once `predicate` holds, polling; fails after `ms`. */
async function eventually(predicate: () => boolean, ms: number, what: string): Promise<void> {
  const deadline = Date.now() + ms;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

describe("kafkajs consumer groups", () => {
  it("two members split the partitions; when one leaves, the survivor takes them all", async () => {
    const broker = await brokerCli(path.join(tempDir("groups"), "data"), ["--partitions", "4"]);
    const kafka = new Kafka({ clientId: "group-test", brokers: [broker.bootstrap], logLevel: logLevel.NOTHING });
    const producer = kafka.producer();
    await producer.connect();
    await producer.send({ topic: "shared", messages: [{ value: "create", partition: 0 }] });
    const assignments = new Map<string, number[]>();
    const received = new Map<string, Array<{ partition: number; value: string }>>();
    const member = async (name: string): Promise<Consumer> => {
      // kafkajs heartbeats between fetches: a short long-poll lets it learn of rebalances quickly.
      const c = kafka.consumer({ groupId: "split", sessionTimeout: 6000, heartbeatInterval: 300, rebalanceTimeout: 10_000, maxWaitTimeInMs: 300 });
      c.on(c.events.GROUP_JOIN, (e) => assignments.set(name, [...(e.payload.memberAssignment.shared ?? [])].sort()));
      received.set(name, []);
      await c.connect();
      await c.subscribe({ topics: ["shared"] });
      void c.run({ eachMessage: async ({ partition, message }) => void received.get(name)!.push({ partition, value: message.value!.toString() }) });
      return c;
    };
    const a = await member("a");
    await eventually(() => assignments.get("a")?.length === 4, 20_000, "a to own all four partitions");
    const b = await member("b");
    await eventually(() => assignments.get("a")?.length === 2 && assignments.get("b")?.length === 2, 30_000, "a and b to split the partitions");
    expect([...assignments.get("a")!, ...assignments.get("b")!].sort()).toEqual([0, 1, 2, 3]);
    await producer.send({ topic: "shared", messages: Array.from({ length: 40 }, (_, i) => ({ value: `split ${i}`, partition: i % 4 })) });
    await eventually(() => received.get("a")!.length + received.get("b")!.length >= 40, 20_000, "the 40 records");
    for (const name of ["a", "b"]) for (const r of received.get(name)!) expect(assignments.get(name)).toContain(r.partition);
    expect([...received.get("a")!, ...received.get("b")!].map((r) => r.value).sort()).toEqual(Array.from({ length: 40 }, (_, i) => `split ${i}`).sort());
    await b.disconnect(); // LeaveGroup: the coordinator rebalances at once, no session timeout to wait for
    await eventually(() => assignments.get("a")?.length === 4, 20_000, "a to take over b's partitions");
    const before = received.get("a")!.length;
    await producer.send({ topic: "shared", messages: Array.from({ length: 20 }, (_, i) => ({ value: `after ${i}`, partition: i % 4 })) });
    await eventually(() => received.get("a")!.length >= before + 20, 20_000, "the survivor to read every partition");
    expect(new Set(received.get("a")!.slice(before).map((r) => r.partition))).toEqual(new Set([0, 1, 2, 3]));
    await a.disconnect();
    await producer.disconnect();
    expect(broker.stderr()).toMatch(/group split: member .* removed \(left the group\)/);
    await broker.stop();
  });

  it("committed offsets survive a broker restart (stored in __consumer_offsets)", async () => {
    const dataDir = path.join(tempDir("groups"), "data");
    let broker = await brokerCli(dataDir);
    let kafka = new Kafka({ clientId: "commit-test", brokers: [broker.bootstrap], logLevel: logLevel.NOTHING });
    const producer = kafka.producer();
    await producer.connect();
    await producer.send({ topic: "committed", messages: Array.from({ length: 7 }, (_, i) => ({ value: `m${i}` })) });
    await producer.disconnect();
    const c = kafka.consumer({ groupId: "keeps" });
    await c.connect();
    await c.subscribe({ topics: ["committed"], fromBeginning: true });
    let n = 0;
    await new Promise<void>((resolve) => void c.run({ eachMessage: async () => void (++n === 7 && resolve()) }));
    await c.disconnect();
    expect(await broker.stop("SIGINT")).toBe(0);
    broker = await brokerCli(dataDir);
    kafka = new Kafka({ clientId: "commit-test", brokers: [broker.bootstrap], logLevel: logLevel.NOTHING });
    const admin = kafka.admin();
    await admin.connect();
    const offsets = await admin.fetchOffsets({ groupId: "keeps", topics: ["committed"] });
    await admin.disconnect();
    expect(offsets[0].partitions).toEqual([{ partition: 0, offset: "7", metadata: null }]);
    await broker.stop();
  });
});

describe("the workbook's group members (range assignment)", () => {
  it("Kafka's range assignor: 7 partitions over 3 members give [0 1 2] [3 4] [5 6] in member-id order", () => {
    const plan = rangeAssign(new Map([["m-b", ["t"]], ["m-a", ["t"]], ["m-c", ["t", "u"]]]), new Map([["t", 7], ["u", 2]]));
    expect(plan.get("m-a")!.get("t")).toEqual([0, 1, 2]);
    expect(plan.get("m-b")!.get("t")).toEqual([3, 4]);
    expect(plan.get("m-c")!.get("t")).toEqual([5, 6]);
    expect(plan.get("m-c")!.get("u")).toEqual([0, 1]);
  });

  it("three members get contiguous ranges over generations; a member that dies without leaving is dropped after its session timeout", async () => {
    const broker = await inProcessBroker({ groupMinSessionTimeoutMs: 100 });
    broker.logs.createTopic("ranged", 7);
    const options = { groupId: "ranges", topics: ["ranged"], sessionTimeoutMs: 1500, rebalanceTimeoutMs: 5000, heartbeatIntervalMs: 100 };
    const bootstrap = `127.0.0.1:${broker.port}`;
    const latest = new Map<GroupMember, number[]>();
    const join = async () => {
      const joined = GroupMember.join(bootstrap, options);
      const { member } = await joined;
      member.onAssignment = (a) => latest.set(member, a.partitions.get("ranged") ?? []);
      latest.set(member, (await joined).assignment.partitions.get("ranged") ?? []);
      return member;
    };
    const members = [await join(), await join(), await join()];
    await eventually(() => broker.coordinator.describe("ranges")!.state === "Stable" && [...latest.values()].reduce((s, p) => s + p.length, 0) === 7 && members.every((m) => latest.get(m)!.length >= 2), 10_000, "three-way range assignment");
    const sizes = members.map((m) => latest.get(m)!).sort((a, b) => a[0] - b[0]);
    expect(sizes).toEqual([[0, 1, 2], [3, 4], [5, 6]]);
    const generation = broker.coordinator.describe("ranges")!.generationId;
    expect(generation).toBeGreaterThanOrEqual(3);
    // One member vanishes without LeaveGroup: after its 1.5 s session the other two rebalance.
    const dead = members.pop()!;
    dead.abandon();
    await eventually(() => broker.coordinator.describe("ranges")!.members.length === 2 && broker.coordinator.describe("ranges")!.state === "Stable" && members.every((m) => latest.get(m)!.length >= 3), 10_000, "the survivors to take over");
    expect(members.map((m) => latest.get(m)!).flat().sort()).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(broker.coordinator.describe("ranges")!.generationId).toBeGreaterThan(generation);
    expect(broker.logLines.some((l) => /no heartbeat within its session timeout of 1500 ms/.test(l))).toBe(true);
    await members[0].commit([{ topic: "ranged", partition: 0, offset: 42 }]);
    expect((await members[1].committed([{ topic: "ranged", partition: 0 }])).get("ranged-0")).toBe(42);
    for (const m of members) await m.close();
    expect(broker.coordinator.describe("ranges")!.state).toBe("Empty");
  });
});

describe("the coordinator's rules", () => {
  const coordinator = () => new GroupCoordinator({ minSessionTimeoutMs: 10, maxSessionTimeoutMs: 60_000, initialRebalanceDelayMs: 0, log: () => undefined });
  const request = (memberId = "", protocols = ["range"]): JoinGroupRequest => ({
    groupId: "g", sessionTimeoutMs: 10_000, rebalanceTimeoutMs: 2000, memberId, groupInstanceId: null, protocolType: "consumer",
    protocols: protocols.map((name) => ({ name, metadata: Buffer.from(name) })),
  });

  it("KIP-394: JoinGroup v4+ without an id gets MEMBER_ID_REQUIRED and an id; v3 joins at once", async () => {
    const c = coordinator();
    const first = await c.join(request(), 5, "client");
    expect(first.errorCode).toBe(ERROR.MEMBER_ID_REQUIRED);
    expect(first.memberId).toMatch(/^client-/);
    const joined = await c.join(request(first.memberId), 5, "client");
    expect([joined.errorCode, joined.generationId, joined.leader, joined.members.length]).toEqual([ERROR.NONE, 1, first.memberId, 1]);
    const d = coordinator();
    const old = await d.join(request(), 3, "old");
    expect([old.errorCode, old.generationId]).toEqual([ERROR.NONE, 1]);
    c.close();
    d.close();
  });

  it("a second member makes a rebalance: the first learns by heartbeat, both get the next generation, the follower's SyncGroup waits for the leader's", async () => {
    const c = coordinator();
    const a = await c.join(request((await c.join(request(), 5, "a")).memberId), 5, "a");
    expect((await c.sync({ groupId: "g", generationId: 1, memberId: a.memberId, groupInstanceId: null, assignments: [{ memberId: a.memberId, assignment: Buffer.from("all") }] })).assignment.toString()).toBe("all");
    const bId = (await c.join(request(), 5, "b")).memberId;
    const bJoin = c.join(request(bId), 5, "b");
    expect(c.heartbeat("g", 1, a.memberId)).toBe(ERROR.REBALANCE_IN_PROGRESS);
    expect(c.commitCheck("g", 1, a.memberId)).toBe(ERROR.REBALANCE_IN_PROGRESS);
    const aJoin = await c.join(request(a.memberId), 5, "a");
    const b = await bJoin;
    expect([aJoin.generationId, b.generationId]).toEqual([2, 2]);
    expect([aJoin.leader, aJoin.members.length, b.members.length]).toEqual([a.memberId, 2, 0]);
    expect(c.heartbeat("g", 1, a.memberId)).toBe(ERROR.ILLEGAL_GENERATION);
    expect(c.heartbeat("g", 2, "nobody")).toBe(ERROR.UNKNOWN_MEMBER_ID);
    let followerDone = false;
    const follower = c.sync({ groupId: "g", generationId: 2, memberId: b.memberId, groupInstanceId: null, assignments: [] }).then((r) => ((followerDone = true), r));
    await sleep(20);
    expect(followerDone).toBe(false);
    await c.sync({ groupId: "g", generationId: 2, memberId: a.memberId, groupInstanceId: null, assignments: [{ memberId: a.memberId, assignment: Buffer.from("half A") }, { memberId: b.memberId, assignment: Buffer.from("half B") }] });
    expect((await follower).assignment.toString()).toBe("half B");
    expect(c.describe("g")!.state).toBe("Stable");
    expect(c.commitCheck("g", 2, b.memberId)).toBe(ERROR.NONE);
    expect(c.leave("g", b.memberId)).toBe(ERROR.NONE);
    expect(c.describe("g")!.state).toBe("PreparingRebalance");
    c.close();
  });

  it("refuses mismatched protocols, out-of-range session timeouts and empty group ids; allows simple commits only on an empty group", async () => {
    const c = coordinator();
    const a = await c.join(request((await c.join(request(), 5, "a")).memberId, ["range"]), 5, "a");
    expect((await c.join(request("", ["roundrobin"]), 3, "x")).errorCode).toBe(ERROR.INCONSISTENT_GROUP_PROTOCOL);
    expect((await c.join({ ...request(), sessionTimeoutMs: 5 }, 5, "x")).errorCode).toBe(ERROR.INVALID_SESSION_TIMEOUT);
    expect((await c.join({ ...request(), groupId: "" }, 5, "x")).errorCode).toBe(ERROR.INVALID_GROUP_ID);
    expect(c.commitCheck("g", -1, "")).toBe(ERROR.UNKNOWN_MEMBER_ID);
    expect(c.commitCheck("other", -1, "")).toBe(ERROR.NONE);
    expect(c.leave("g", a.memberId)).toBe(ERROR.NONE);
    expect(c.describe("g")!.state).toBe("Empty");
    expect(c.commitCheck("g", -1, "")).toBe(ERROR.NONE);
    c.close();
  });
});
