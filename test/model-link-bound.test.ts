// The link part of the model: the slower of the link and the CPU-bound pipeline, its crossover, and the cores
// a sender needs to fill a link. Expected values are worked out by hand in the comments.
import { describe, it, expect } from "vitest";
import { linkBoundTime, crossoverRate, coresToFill } from "../src/model/link-bound";
import { GiB } from "../src/units/sizes";

const MiB128 = 134_217_728; // 128 MiB = 1,073,741,824 bits

describe("linkBoundTime", () => {
  it("is the link's time when the link is slower: 128 MiB at 1 Gbit/s takes 1.0737 s, not the pipeline's 0.12 s", () => {
    expect(linkBoundTime(MiB128, 1e9, 0.12)).toEqual({ seconds: 1.073741824, linkSeconds: 1.073741824, cpuBoundSeconds: 0.12, bound: "link" });
  });

  it("is the pipeline's time when the CPU is slower: 128 MiB at 10 Gbit/s needs 0.1074 s of link, the CPU 0.12 s", () => {
    const t = linkBoundTime(MiB128, 10e9, 0.12);
    expect(t.bound).toBe("cpu");
    expect(t.seconds).toBe(0.12);
    expect(t.linkSeconds).toBeCloseTo(0.1073741824, 12);
  });

  it("gives a tie to the link (it is then exactly full), and with no link the pipeline alone sets the time", () => {
    expect(linkBoundTime(1000, 10_000, 0.8).bound).toBe("link"); // 8000 bits at 10 kbit/s = 0.8 s
    expect(linkBoundTime(MiB128, null, 0.12)).toEqual({ seconds: 0.12, linkSeconds: null, cpuBoundSeconds: 0.12, bound: "cpu" });
  });

  it("refuses what is not a transfer: no bytes, a rate outside 1 kbit/s..1 Tbit/s, a CPU time that is not positive", () => {
    expect(() => linkBoundTime(0, 1e9, 0.1)).toThrow(/bytes must be a whole number of bytes from 1/);
    expect(() => linkBoundTime(MiB128, 0, 0.1)).toThrow(/rate must be null \(no link\) or bit\/s from 1000/);
    expect(() => linkBoundTime(MiB128, 2e12, 0.1)).toThrow(/rate must be/);
    expect(() => linkBoundTime(MiB128, 1e9, 0)).toThrow(/cpuBoundSeconds must be a positive number of seconds, got 0/);
    expect(() => linkBoundTime(MiB128, 1e9, Number.NaN)).toThrow(/cpuBoundSeconds/);
  });
});

describe("crossoverRate", () => {
  it("is the pipeline's own throughput: 128 MiB in 0.12 s is 8.947848533 Gbit/s", () => {
    expect(crossoverRate(MiB128, 0.12)).toBeCloseTo(8_947_848_533.33, 1);
  });

  it("is where the two limits meet: just below it the link bounds the time, just above it the CPU", () => {
    const rate = crossoverRate(MiB128, 0.12);
    expect(linkBoundTime(MiB128, rate * 0.99, 0.12).bound).toBe("link");
    expect(linkBoundTime(MiB128, rate * 1.01, 0.12).bound).toBe("cpu");
  });
});

describe("coresToFill", () => {
  it("is CPU per byte times bytes per second: 56 ms per GiB at 1 Gbit/s is 0.00652 of a core, at 100 Gbit/s 0.652", () => {
    const perByte = 0.056 / GiB;
    // 0.056 s / 1073741824 B * 125,000,000 B/s = 7,000,000 / 1,073,741,824
    expect(coresToFill(perByte, 1e9)).toBeCloseTo(0.006519258, 8);
    expect(coresToFill(perByte, 100e9)).toBeCloseTo(0.6519258, 6);
  });

  it("needs a rate: an unshaped link has nothing to fill; a negative cost is refused", () => {
    expect(() => coresToFill(1e-9, null as unknown as number)).toThrow(/unshaped link has no rate to fill/);
    expect(() => coresToFill(-1, 1e9)).toThrow(/cpuSecondsPerByte must be a non-negative number/);
  });
});
