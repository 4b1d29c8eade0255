// Claims a notebook checks: each is printed as one "CLAIM PASS|FAIL" line (the notebook test reads
// these lines), and a failed claim throws, so the cell, the notebook and the build fail loudly.

/** One checked claim, as printed and as collected for the summary chapter. */
export interface ClaimResult {
  chapter: string;
  claim: string;
  /** "model", "machine" or "both": whose verdict this is. */
  source: "model" | "machine" | "both";
  pass: boolean;
  evidence: string;
}

/** The claims of one notebook, checked in order; report() prints them and throws on any failure. */
export class Claims {
  readonly results: ClaimResult[] = [];

  constructor(readonly chapter: string) {}

  /** Records whether `claim` holds, with the numbers that show it. */
  check(claim: string, pass: boolean, evidence: string, source: ClaimResult["source"] = "model"): boolean {
    this.results.push({ chapter: this.chapter, claim, source, pass: Boolean(pass), evidence });
    return pass;
  }

  /** Prints every claim as one line and throws if any failed; the last cell of every notebook calls it. */
  report(): void {
    for (const r of this.results) {
      console.log(`CLAIM ${r.pass ? "PASS" : "FAIL"} [${r.source}] ${r.claim} (${r.evidence})`);
    }
    const failed = this.results.filter((r) => !r.pass);
    if (this.results.length === 0) throw new Error(`chapter ${this.chapter} checked no claims`);
    if (failed.length) throw new Error(`${failed.length} claim(s) failed: ${failed.map((r) => r.claim).join("; ")}`);
  }
}
