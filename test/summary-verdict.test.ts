// Chapter 8's written verdict: claims numbered per chapter, each sentence resting on the claims it names (found by
// what they say), their evidence quoted with a link to the claim's row, and a failed or missing claim said so.
import { describe, it, expect } from "vitest";
import { numberClaims, runClaimsSummary, writtenVerdict, ibmSavingsSummary, chapterNumber } from "../src/chapters/08-summary/analysis";
import { verdictMarkdown } from "../src/chapters/08-summary/prose";
import { claimsTableOf, claimAnchor } from "../src/chapters/08-summary/figures";
import { chapterClaims } from "../src/chapters/08-summary/claims";
import { Claims, Verdict } from "../src/claims/claims";
import { tableHtml } from "../src/plot/table";
import { IBM_TABLE_1, ibmSaving } from "../src/reference/ibm-zero-copy";

/** A chapter's verdict with the given claims (text, holds). */
function chapter(title: string, claims: [string, boolean, string][], notes: string[] = []): Verdict {
  const c = new Claims(title);
  for (const [claim, pass, evidence] of claims) c.check(claim, pass, evidence, "machine");
  for (const n of notes) c.note(n);
  return c.verdict();
}

const verdicts = [
  chapter("3. The page cache", [
    ["every whole-file read returned the file's bytes", true, "5 passes"],
    ["a warm read fetches nothing from storage (read_bytes < 1% of the file)", true, "0.00 MiB, 0.00 MiB"],
    ["warm reads are faster than cold reads (medians)", false, "warm 900 vs cold 1000 MiB/s"],
  ]),
  chapter("2b. A shaped link", [["the link's rate holds", true, "1 Gbit/s"]]),
];

describe("chapter 8's written verdict", () => {
  const summary = runClaimsSummary(verdicts, 2);

  it("numbers claims within each chapter, in the order checked, and reads chapter numbers like 2b", () => {
    expect(summary.claims.map((c) => c.id)).toEqual(["3.1", "3.2", "3.3", "2b.1"]);
    expect(chapterNumber("2b. A shaped link")).toBe("2b");
    expect(numberClaims([])).toEqual([]);
  });

  it("rests each sentence on the claims it names, with this run's evidence, and lists what this run lacks", () => {
    const first = writtenVerdict(summary)[0];
    expect(first.topic).toBe("page cache");
    expect(first.claims.map((c) => c.id)).toEqual(["3.2", "3.3"]);
    expect(first.missing).toEqual([]);
    const consumers = writtenVerdict(summary)[1];
    expect(consumers.claims).toEqual([]);
    expect(consumers.missing).toHaveLength(2);
    expect(consumers.missing[0]).toMatch(/^chapter 6: a claim matching/);
  });

  it("writes the evidence and a link to the claim's row, says when a claim fails or is missing", () => {
    const md = verdictMarkdown(summary);
    expect(md).toContain(`0.00 MiB, 0.00 MiB ([claim 3.2](#${claimAnchor("3.2")}) ✓)`);
    expect(md).toContain("warm 900 vs cold 1000 MiB/s ([claim 3.3](#claim-3-3) ✗ fails on this run)");
    expect(md).toContain("**This run contradicts it**");
    expect(md).toContain("**Not in this run:** chapter 6");
    const table = tableHtml(claimsTableOf(summary));
    for (const [, anchor] of md.matchAll(/\]\(#(claim-[^)]+)\)/g)) expect(table).toContain(`<tr id="${anchor}"`);
  });

  it("recomputes the IBM article's range and mean from the table itself", () => {
    const savings = IBM_TABLE_1.map(ibmSaving);
    expect(ibmSavingsSummary()).toEqual({ min: Math.min(...savings), max: Math.max(...savings), mean: savings.reduce((a, b) => a + b, 0) / savings.length, rows: 8 });
    const sentence = writtenVerdict(summary).find((s) => s.topic === "65%")!;
    expect(sentence.text).toContain("45.9% to 71.2%, 57.3% on average");
  });

  it("fails its own claims when a cited claim is missing or fails", () => {
    const own = chapterClaims(summary);
    const cites = own.claims.find((c) => c.claim.startsWith("the written verdict rests on claims"))!;
    expect(cites.pass).toBe(false);
    expect(cites.evidence).toMatch(/^missing: chapter 6/);
    expect(own.claims.find((c) => c.claim === "every claim of every chapter holds")!.pass).toBe(false);
  });
});
