// Chapter 8 in `workbook run`: the written verdict, and every claim this run's chapters checked, on one page.
import type { Step } from "../chapter";
import { PLANS, SummaryPlan } from "./plan";
import { runClaimsSummary, ClaimsSummary } from "./analysis";
import { claimsTableOf, claimsBySourceFigure } from "./figures";
import { verdictMarkdown } from "./prose";
import { chapterClaims } from "./claims";

export const summaryChapter: Step<SummaryPlan, ClaimsSummary> = {
  name: "summary",
  title: "8. Summary",
  plans: PLANS,
  diskBytes: () => 0,
  run: async (_plan, ctx) => runClaimsSummary(ctx.verdicts, ctx.expectedVerdicts),
  sections: (summary) => [
    {
      title: "8. Summary: why Kafka is fast, on this machine",
      text: "",
      blocks: [
        { kind: "markdown", markdown: verdictMarkdown(summary) },
        { kind: "figure", figure: claimsBySourceFigure(summary) },
        { kind: "table", table: claimsTableOf(summary) },
      ],
      figures: [],
    },
  ],
  verdict: chapterClaims,
};
