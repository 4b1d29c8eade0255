// What chapter 8 checks: that every other chapter reported, that all their claims held, that every claim says
// what checked it, and that the written verdict found every claim it rests on.
import { Claims, Verdict, CLAIM_SOURCES } from "../../claims/claims";
import { ClaimsSummary, writtenVerdict } from "./analysis";

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
  claims.check("every claim says what checked it (model, machine, both, or a published reference), and each kind checked some",
    all.every((c) => (CLAIM_SOURCES as readonly string[]).includes(c.source)) && CLAIM_SOURCES.every((s) => count(s) > 0),
    CLAIM_SOURCES.map((s) => `${count(s)} ${s}`).join(", "), "both");
  const sentences = writtenVerdict(summary);
  const missing = sentences.flatMap((s) => s.missing);
  claims.check("the written verdict rests on claims this run checked: every one it cites was found, and holds",
    missing.length === 0 && sentences.every((s) => s.claims.every((c) => c.pass)),
    missing.length ? `missing: ${missing.join("; ")}` : `${sentences.length} sentences on ${new Set(sentences.flatMap((s) => s.claims.map((c) => c.id))).size} claims`, "both");
  return claims.verdict();
}
