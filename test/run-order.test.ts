// The experiments' run order: warm-up rounds first, every variant once a round, rotated so none always runs first.
import { describe, it, expect } from "vitest";
import { interleavedRuns } from "../src/experiments/run-order";

describe("interleavedRuns", () => {
  it("runs warm-up rounds, then measured rounds, each variant once a round, rotated by one each round", () => {
    const order = interleavedRuns(["a", "b", "c"], 1, 2);
    expect(order.map((r) => `${r.warmup ? "w" : "m"}${r.round}:${r.item}`)).toEqual([
      "w0:a", "w0:b", "w0:c",
      "m0:b", "m0:c", "m0:a",
      "m1:c", "m1:a", "m1:b",
    ]);
  });

  it("has no runs for no variants, and no warm-up when asked for none", () => {
    expect(interleavedRuns([], 2, 3)).toEqual([]);
    expect(interleavedRuns(["x"], 0, 2)).toEqual([{ item: "x", round: 0, warmup: false }, { item: "x", round: 1, warmup: false }]);
  });
});
