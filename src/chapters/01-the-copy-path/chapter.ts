// Chapter 1 in `workbook run`: ByteByteGo's diagram from the model's step tables, and the work each path does, as
// notebook 1 shows them.
import type { Step } from "../chapter";
import { PLANS, CopyPathPlan } from "./plan";
import { runCopyPathModel, CopyPathResult } from "./analysis";
import { postDiagramFigure, postStepsTable, copyWorkFigure, callsFigure, countersTable } from "./figures";
import { sourcesMarkdown, callsMarkdown } from "./prose";
import { chapterClaims } from "./claims";

export const copyPathChapter: Step<CopyPathPlan, CopyPathResult> = {
  name: "copy-path",
  title: "1. The copy path (model)",
  plans: PLANS,
  diskBytes: () => 0,
  async run(plan, ctx) {
    ctx.progress(0, "model");
    const result = runCopyPathModel(plan);
    ctx.progress(1, "model");
    return result;
  },
  sections: (result) => [
    {
      title: "1. The copy path (model)",
      text: "",
      blocks: [
        { kind: "markdown", markdown: sourcesMarkdown() },
        { kind: "figure", figure: postDiagramFigure(result) },
        { kind: "table", table: postStepsTable(result) },
        { kind: "figure", figure: copyWorkFigure(result.perCall, result.single) },
        { kind: "markdown", markdown: callsMarkdown(result) },
        { kind: "figure", figure: callsFigure(result.single, result.chunked, result.chunk) },
        { kind: "details", summary: "Every counter of the model's runs", table: countersTable(result.single, result.chunked) },
      ],
      figures: [],
    },
  ],
  verdict: chapterClaims,
};
