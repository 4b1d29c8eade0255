// Claims a notebook checks: each is printed as one "CLAIM PASS|FAIL" line (the notebook test reads
// these lines), and a failed claim throws, so the cell, the notebook and the build fail loudly.
// Each chapter's claims are also saved as JSON, so the summary chapter can put them on one page.
import * as fs from "fs";
import * as path from "path";
import { repoRoot } from "../repo-root";

/** Where chapters save their claims: WORKBOOK_CLAIMS_DIR (the tests set it) or .jupyter-local/claims. */
export function claimsDir(): string {
  return process.env.WORKBOOK_CLAIMS_DIR ?? path.join(repoRoot, ".jupyter-local", "claims");
}

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
    const dir = claimsDir();
    fs.mkdirSync(dir, { recursive: true });
    const file = path.join(dir, `${this.chapter.replace(/[^A-Za-z0-9]+/g, "-").replace(/^-|-$/g, "")}.json`);
    fs.writeFileSync(file, JSON.stringify(this.results, null, 2));
    for (const r of this.results) {
      console.log(`CLAIM ${r.pass ? "PASS" : "FAIL"} [${r.source}] ${r.claim} (${r.evidence})`);
    }
    const failed = this.results.filter((r) => !r.pass);
    if (this.results.length === 0) throw new Error(`chapter ${this.chapter} checked no claims`);
    if (failed.length) throw new Error(`${failed.length} claim(s) failed: ${failed.map((r) => r.claim).join("; ")}`);
  }
}

/** Every saved chapter's claims, in chapter order; the summary chapter calls it. */
export function readAllClaims(dir: string = claimsDir()): ClaimResult[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir)
    .filter((name) => name.endsWith(".json"))
    .sort((a, b) => parseFloat(a) - parseFloat(b))
    .flatMap((name) => JSON.parse(fs.readFileSync(path.join(dir, name), "utf8")) as ClaimResult[]);
}
