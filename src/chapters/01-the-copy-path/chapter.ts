// Chapter 1 in `workbook run`: the model's counters and step diagrams, as notebook 1 shows them.
import type { Step } from "../chapter";
import { dataPathStepsFigure } from "../../plot/data-path-steps";
import { PLANS, CopyPathPlan } from "./plan";
import { runCopyPathModel, CopyPathResult } from "./analysis";
import { copyCountsFigure } from "./figures";
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
      text:
        "Where the bytes go on each data path, from the model's step tables: read+write copies twice with the CPU and " +
        "switches mode four times; sendfile copies once and switches twice; with scatter-gather DMA the CPU copies nothing.",
      figures: [
        dataPathStepsFigure(result.steps[0]),
        dataPathStepsFigure(result.steps[1]),
        copyCountsFigure(result.single),
        copyCountsFigure(result.chunked, `copy loops in ${result.chunk}-byte calls`),
      ],
    },
  ],
  verdict: chapterClaims,
};
