// Where notebooks save their chapter's verdict, so the summary chapter can put every claim on one page.
// One JSON file per chapter: { chapter, plan, claims, notes }; the plan is the one the chapter ran.
import * as fs from "fs";
import * as path from "path";
import { repoRoot } from "../repo-root";
import { writeJsonFile } from "../files/write-file";
import type { ClaimResult, Verdict } from "./claims";

/** Where chapters save their claims: WORKBOOK_CLAIMS_DIR (the tests set it) or .jupyter-local/claims. */
export function claimsDir(): string {
  return process.env.WORKBOOK_CLAIMS_DIR ?? path.join(repoRoot, ".jupyter-local", "claims");
}

/** A saved verdict, with the plan its chapter ran. */
export interface SavedVerdict extends Verdict {
  plan: unknown;
}

/** The file a chapter's verdict goes to ("2. Zero-copy measured" -> 2-Zero-copy-measured.json). */
function fileOf(dir: string, chapter: string): string {
  return path.join(dir, `${chapter.replace(/[^A-Za-z0-9]+/g, "-").replace(/^-|-$/g, "")}.json`);
}

/** Saves one chapter's verdict and the plan it ran, replacing the chapter's earlier one. */
export function saveVerdict(verdict: Verdict, plan: unknown, dir: string = claimsDir()): void {
  const saved: SavedVerdict = { ...verdict, plan };
  writeJsonFile(fileOf(dir, verdict.chapter), saved);
}

/** Every saved chapter's verdict, in chapter order. */
export function readSavedVerdicts(dir: string = claimsDir()): SavedVerdict[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir)
    .filter((name) => name.endsWith(".json"))
    .sort((a, b) => parseFloat(a) - parseFloat(b))
    .map((name) => JSON.parse(fs.readFileSync(path.join(dir, name), "utf8")) as SavedVerdict);
}

/** Every saved claim, in chapter order; the summary chapter reads them. */
export function readAllClaims(dir: string = claimsDir()): ClaimResult[] {
  return readSavedVerdicts(dir).flatMap((v) => v.claims);
}
