// What chapter 8 checks: that every other chapter reported, and that all their claims held.
import { Claims, Verdict } from "../../claims/claims";
import type { ClaimsSummary } from "./analysis";

export const CHAPTER = "8. Summary";

/** Chapter 8's claims about the collected claims; the notebook's last cell and the report show them. */
export function chapterClaims(summary: ClaimsSummary): Verdict {
  const claims = new Claims(CHAPTER);
  const all = summary.claims;
  const chapters = [...new Set(all.map((c) => c.chapter))];
  claims.check("every chapter before this one reported its claims", chapters.length === summary.expectedChapters,
    `${chapters.length} of ${summary.expectedChapters}: ${chapters.join("; ")}`, "both");
  claims.check("every claim of every chapter holds", all.length > 0 && all.every((c) => c.pass), `${all.filter((c) => c.pass).length} of ${all.length}`, "both");
  const count = (source: string) => all.filter((c) => c.source === source).length;
  claims.check("both the model and the machine judged claims", all.some((c) => c.source !== "machine") && all.some((c) => c.source !== "model"),
    `${count("model")} model, ${count("machine")} machine, ${count("both")} both`, "both");
  return claims.verdict();
}
