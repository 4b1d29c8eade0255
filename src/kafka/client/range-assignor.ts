// Kafka's RangeAssignor (the Java consumer's default, "range"): per topic, the members subscribed to it
// sorted by member id, the partitions in order, and each member a contiguous range; the first
// (partitions % members) members get one extra. 7 partitions, 3 members: [0 1 2] [3 4] [5 6].
// The group leader runs it; the coordinator only relays the result.

export const RANGE_PROTOCOL = "range";

/** member id -> topic -> assigned partitions. */
export type AssignmentPlan = Map<string, Map<string, number[]>>;

export function rangeAssign(subscriptions: Map<string, string[]>, partitionCounts: Map<string, number>): AssignmentPlan {
  const plan: AssignmentPlan = new Map([...subscriptions.keys()].map((m) => [m, new Map()]));
  const topics = new Set([...subscriptions.values()].flat());
  for (const topic of [...topics].sort()) {
    const members = [...subscriptions].filter(([, t]) => t.includes(topic)).map(([m]) => m).sort();
    const partitions = partitionCounts.get(topic) ?? 0;
    const each = Math.floor(partitions / members.length);
    const extra = partitions % members.length;
    let next = 0;
    members.forEach((member, i) => {
      const count = each + (i < extra ? 1 : 0);
      plan.get(member)!.set(topic, Array.from({ length: count }, (_, k) => next + k));
      next += count;
    });
  }
  return plan;
}
