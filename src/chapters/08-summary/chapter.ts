// Chapter 8 in `workbook run`: every claim this run's chapters checked, on one page.
import type { Step } from "../chapter";
import { PLANS, SummaryPlan } from "./plan";
import { runClaimsSummary, ClaimsSummary } from "./analysis";
import { claimsTableFigure } from "./figures";
import { chapterClaims } from "./claims";

export const summaryChapter: Step<SummaryPlan, ClaimsSummary> = {
  name: "summary",
  title: "8. Summary",
  plans: PLANS,
  diskBytes: () => 0,
  run: async (_plan, ctx) => runClaimsSummary(ctx.verdicts, ctx.expectedVerdicts),
  sections: (summary) => [
    {
      title: "8. Summary: every claim this run checked",
      text: "Each chapter's claims, judged by the model, by this machine, or by both.",
      figures: [claimsTableFigure(summary.claims)],
    },
  ],
  verdict: chapterClaims,
};
