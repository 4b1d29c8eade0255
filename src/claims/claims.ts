// The claims a chapter checks against its own run: each holds or fails, says what checked it (the model, this
// machine, a published source, or the model and the machine side by side), and carries the numbers that show it.
// A chapter's claims.ts builds them from the chapter's result record; the notebook's last cell and the report both
// show that one list.

/** The kinds of check, in the order the summary table lists them. */
export const CLAIM_SOURCES = ["model", "machine", "both", "reference"] as const;

/** What checked a claim: the model's arithmetic ("model"), a measurement on this machine ("machine"), the two side
 *  by side ("both"), or a published source's own numbers or words, alone or against the model ("reference"). */
export type ClaimSource = (typeof CLAIM_SOURCES)[number];

/** One checked claim, as printed, saved for the summary chapter and shown in the report. */
export interface ClaimResult {
  chapter: string;
  claim: string;
  source: ClaimSource;
  pass: boolean;
  evidence: string;
}

/** A chapter's claims about one run, and the observations it prints without asserting them (too noisy here). */
export interface Verdict {
  chapter: string;
  claims: ClaimResult[];
  notes: string[];
}

/** Collects one chapter's claims in order. Not shared between chapters: one per verdict. */
export class Claims {
  private readonly claims: ClaimResult[] = [];
  private readonly notes: string[] = [];

  constructor(readonly chapter: string) {}

  /** Records whether `claim` holds, with the numbers that show it. */
  check(claim: string, pass: boolean, evidence: string, source: ClaimSource = "model"): boolean {
    this.claims.push({ chapter: this.chapter, claim, source, pass: Boolean(pass), evidence });
    return pass;
  }

  /** Records an observation that is printed but not asserted (it moves run to run on a shared machine). */
  note(text: string): void {
    this.notes.push(text);
  }

  verdict(): Verdict {
    return { chapter: this.chapter, claims: [...this.claims], notes: [...this.notes] };
  }
}

/** The one-line form of a claim the notebook test reads: "CLAIM PASS|FAIL [source] claim (evidence)". */
export function claimLine(c: ClaimResult): string {
  return `CLAIM ${c.pass ? "PASS" : "FAIL"} [${c.source}] ${c.claim} (${c.evidence})`;
}

/** Throws unless the verdict checked something and every claim holds; the notebook's last cell calls it. */
export function requireClaimsHold(verdict: Verdict): void {
  const failed = verdict.claims.filter((c) => !c.pass);
  if (verdict.claims.length === 0) throw new Error(`chapter ${verdict.chapter} checked no claims`);
  if (failed.length) throw new Error(`${failed.length} claim(s) failed: ${failed.map((c) => `${c.claim} (${c.evidence})`).join("; ")}`);
}
