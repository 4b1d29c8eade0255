// Link rates as people write them: exact bit/s for good input, one line naming the flag for bad input,
// both through the parser and through `workbook transfer --link` (exit 2, nothing made).
import { describe, it, expect } from "vitest";
import { spawnSync } from "child_process";
import * as path from "path";
import { parseLinkRate, parseLinkRates, formatRate } from "../src/units/rates";

const repo = path.resolve(__dirname, "..");
const bin = path.join(repo, "src", "cli", "workbook.cjs");

describe("parseLinkRate", () => {
  it("reads decimal bit units, as tc and network cards do", () => {
    const cases: Array<[string, number | null]> = [
      ["1gbit", 1_000_000_000],
      ["2.5gbit", 2_500_000_000],
      ["500mbit", 500_000_000],
      ["10gbit", 10_000_000_000],
      ["2.3gbit", 2_300_000_000], // 2.3 * 1e9 is 2299999999.9999995 in floating point
      ["1Gbit/s", 1_000_000_000],
      [" 100 Mbit ", 100_000_000],
      ["64kbit", 64_000],
      ["12345bit", 12_345],
      ["1tbit", 1_000_000_000_000],
      ["unshaped", null],
      ["UNSHAPED", null],
    ];
    for (const [text, bits] of cases) expect(parseLinkRate(text, "--link"), text).toBe(bits);
  });

  it("refuses anything else with one line that names the flag and says what to write", () => {
    const cases: Array<[string, RegExp]> = [
      ["fast", /^--link: "fast" is not a link rate; write 500mbit, 1gbit, 2\.5gbit, 10gbit or unshaped$/],
      ["1gb", /^--link: "1gb" is not a link rate/],
      ["1000", /^--link: "1000" is not a link rate/],
      ["-1gbit", /^--link: "-1gbit" is not a link rate/],
      ["1gbps", /^--link: "1gbps" is ambiguous \(tc reads bps as bytes per second\); write bits: 1gbit$/],
      ["0mbit", /^--link: "0mbit" is outside 1kbit to 1tbit/],
      ["2tbit", /^--link: "2tbit" is outside 1kbit to 1tbit/],
      ["1.5bit", /^--link: "1.5bit" is not a whole number of bit\/s$/],
    ];
    for (const [text, message] of cases) {
      expect(() => parseLinkRate(text, "--link"), text).toThrow(RangeError);
      expect(() => parseLinkRate(text, "--link"), text).toThrow(message);
    }
  });
});

describe("parseLinkRates", () => {
  it("reads a comma list in order, duplicates kept (each item is one run of the plan)", () => {
    expect(parseLinkRates("1gbit,unshaped, 500mbit,1gbit", "--link")).toEqual([1e9, null, 5e8, 1e9]);
    expect(parseLinkRates("2.5gbit", "--link")).toEqual([2.5e9]);
  });

  it("refuses empty items and names the bad one", () => {
    expect(() => parseLinkRates("1gbit,,2gbit", "--link")).toThrow(/^--link: "1gbit,,2gbit" has an empty item/);
    expect(() => parseLinkRates("", "--link")).toThrow(/^--link: "" has an empty item/);
    expect(() => parseLinkRates("1gbit,warp", "--link")).toThrow(/^--link: "warp" is not a link rate/);
  });
});

describe("formatRate", () => {
  it("prints rates the way tables and labels show them", () => {
    expect([1e9, 2.5e9, 5e8, 1e10, 64_000, 1e12].map(formatRate)).toEqual(["1 Gbit/s", "2.5 Gbit/s", "500 Mbit/s", "10 Gbit/s", "64 kbit/s", "1 Tbit/s"]);
    expect(formatRate(null)).toBe("unshaped");
  });

  it("round-trips what the parser reads", () => {
    for (const text of ["1gbit", "2.5gbit", "500mbit", "10gbit", "64kbit"]) {
      const bits = parseLinkRate(text)!;
      expect(parseLinkRate(formatRate(bits).replace(" ", "").replace("/s", ""))).toBe(bits);
    }
  });
});

describe("workbook transfer --link with a bad rate", () => {
  it("one line on stderr, exit 2, before anything is made", () => {
    const cases: Array<[string, RegExp]> = [
      ["fast", /^workbook transfer: --link: "fast" is not a link rate; write 500mbit, 1gbit, 2\.5gbit, 10gbit or unshaped\n$/],
      ["1gbps", /^workbook transfer: --link: "1gbps" is ambiguous/],
      ["1gbit,", /^workbook transfer: --link: "1gbit," has an empty item/],
    ];
    for (const [link, message] of cases) {
      const r = spawnSync(process.execPath, [bin, "transfer", "--bytes", "1MiB", "--link", link], { cwd: repo, encoding: "utf8", timeout: 60_000 });
      expect(r.stderr).toMatch(message);
      expect(r.status).toBe(2);
      expect(r.stdout).toBe("");
    }
  });
});
