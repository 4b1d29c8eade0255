// Chapter 8's written verdict as Markdown: one sentence per finding, each followed by the evidence of the claims it
// rests on (this run's numbers), linked to their rows in the claims table, and the figure to look at.
import { ClaimsSummary, VerdictSentence, writtenVerdict } from "./analysis";
import { claimAnchor } from "./figures";

/** One sentence with what it rests on. A claim that failed, or one this run lacks, is said so, not hidden. */
function sentenceMarkdown(s: VerdictSentence): string {
  const evidence = s.claims.map((c) => `${c.evidence} ([claim ${c.id}](#${claimAnchor(c.id)}) ${c.pass ? "✓" : "✗ fails on this run"})`);
  const notes = s.notes.map((n) => `chapter's note: “${n}”`);
  const figures = s.figures.map((f) => `chapter ${f.chapter}'s figure “${f.title}…”`);
  const missing = s.missing.length ? ` **Not in this run:** ${s.missing.join("; ")}; run those chapters first.` : "";
  const contradicted = s.claims.some((c) => !c.pass) ? " **This run contradicts it** (see the failed claim)." : "";
  return `- ${s.text}. Evidence: ${[...evidence, ...notes].join("; ") || "none this run"}.${figures.length ? ` Look at ${figures.join(" and ")}.` : ""}${contradicted}${missing}`;
}

/** The whole written verdict, by topic. */
export function verdictMarkdown(summary: ClaimsSummary): string {
  const sentences = writtenVerdict(summary);
  const part = (topic: VerdictSentence["topic"]) => sentences.filter((s) => s.topic === topic).map(sentenceMarkdown).join("\n");
  return [
    "### What makes Kafka fast on this machine, and why",
    "",
    "**Sequential I/O and the page cache.**",
    "",
    part("page cache"),
    "",
    "**Batching.**",
    "",
    part("batching"),
    "",
    "**sendfile: zero-copy.**",
    "",
    part("sendfile"),
    "",
    "### What “about 65%” means, and when it holds",
    "",
    part("65%"),
  ].join("\n");
}
