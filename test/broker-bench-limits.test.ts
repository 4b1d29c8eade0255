// What the broker benchmark says limited a run: the busiest part when it kept a core busy, else the machine when
// all its CPUs were, else waits; with every part's busy cores in the line.
import { describe, it, expect } from "vitest";
import { limitOf } from "../src/bench/broker-bench";

describe("what limited a benchmark run", () => {
  it("names the part that kept its core busy (the busiest of several)", () => {
    expect(limitOf([{ name: "the broker", cores: 0.9 }, { name: "one consumer", cores: 0.95 }], 1.9, 2)).toBe(
      "limited by one consumer's core (cores busy: the broker 0.90, one consumer 0.95, all CPUs 1.90 of 2)",
    );
  });

  it("names the machine when no part is at a core but all CPUs are busy, and says so from the parts without a machine figure", () => {
    expect(limitOf([{ name: "the broker", cores: 0.6 }, { name: "one consumer", cores: 0.5 }], 1.8, 2)).toMatch(/^limited by the machine's 2 CPUs/);
    expect(limitOf([{ name: "the sender", cores: 0.8 }, { name: "the receiver", cores: 0.9 }], null, 2)).toMatch(/^limited by the receiver's core \(cores busy: the sender 0\.80, the receiver 0\.90\)$/);
  });

  it("says waits when nothing is near busy, and marks a part it could not measure", () => {
    expect(limitOf([{ name: "the broker", cores: 0.02 }, { name: "the kcat consumer", cores: null }], 0.2, 2)).toBe(
      "limited by waits, not CPU (round trips, timers, fsync, socket buffers) (cores busy: the broker 0.02, the kcat consumer ?, all CPUs 0.20 of 2)",
    );
  });
});
