// Chapter 8's input: every claim the earlier chapters checked, and how many chapters should have reported. The
// notebook reads the verdicts the chapters' notebooks saved; the report hands over the verdicts of its own run.
import * as fs from "fs";
import * as path from "path";
import type { ClaimResult, Verdict } from "../../claims/claims";
import { readAllClaims } from "../../claims/claims-store";
import { repoRoot } from "../../repo-root";

/** Chapter 8's result record. */
export interface ClaimsSummary {
  claims: ClaimResult[];
  /** How many chapters should have reported claims. */
  expectedChapters: number;
  /** Where the claims came from (the claims folder, or "this run"). */
  source: string;
}

/** The chapters' notebooks: every numbered notebook but this one. */
function chapterNotebooks(): string[] {
  return fs.readdirSync(path.join(repoRoot, "notebooks")).filter((name) => /^\d\d.*\.ipynb$/.test(name) && !name.startsWith("08-"));
}

/** The claims the chapters' notebooks saved, beside how many chapters there are. */
export function savedClaimsSummary(dir: string, read: (dir: string) => ClaimResult[] = readAllClaims): ClaimsSummary {
  const inside = path.relative(repoRoot, dir);
  // A folder inside the repository is named relative to it: saved outputs carry no local absolute path.
  const source = inside && !inside.startsWith("..") && !path.isAbsolute(inside) ? inside : dir;
  return { claims: read(dir).filter((c) => !c.chapter.startsWith("8.")), expectedChapters: chapterNotebooks().length, source };
}

/** The claims of the chapters one `workbook run` ran. */
export function runClaimsSummary(verdicts: Verdict[], expectedChapters: number): ClaimsSummary {
  return { claims: verdicts.flatMap((v) => v.claims), expectedChapters, source: "this run" };
}
