// Chapter 2b in `workbook run`: every transfer path through shaped links and an unshaped one, beside the model.
import type { Step } from "../chapter";
import { formatRate } from "../../units/rates";
import { PLANS, RealLinkPlan } from "./plan";
import { runRealLinkStudy, analyzeRealLink, linkUnavailable, RealLinkStudy } from "./analysis";
import { realLinkFigures } from "./figures";
import { chapterClaims, CHAPTER } from "./claims";
import { MiB } from "../../units/sizes";
import { profileFor } from "../chapter-profile";
import { ceilingsMarkdown } from "./prose";

export const realLinkChapter: Step<RealLinkPlan, RealLinkStudy> = {
  name: "link",
  title: CHAPTER,
  plans: PLANS,
  // One data file for every link.
  diskBytes: (plan) => plan.bytes,
  async run(plan, ctx) {
    // Without root, ip or tc the chapter cannot make its links: one line, and the other chapters still run.
    const missing = linkUnavailable();
    if (missing) throw new Error(missing);
    return runRealLinkStudy(plan, ctx.progress, await profileFor(ctx));
  },
  sections(study) {
    const a = analyzeRealLink(study);
    return [
      {
        title: CHAPTER,
        text:
          `Each path sends ${(a.bytes / MiB).toFixed(0)} MiB to a receiver in a network namespace of its own, whose loopback tbf shapes to ` +
          `${a.rates.map((r) => formatRate(r)).join(", ")}, and through an unshaped namespace (the CPU ceiling). Runs are interleaved across links and paths. ` +
          "The model is the slower of the link and the CPU ceiling measured unshaped. Below every path's ceiling the paths take the same time and zero-copy " +
          "saves only CPU; above it, the CPU sets the time. Per-process CPU moves with the link (the kernel's receive work is charged to whoever runs); " +
          "every CPU's busy time, net of the background measured around each send, does not.",
        blocks: [{ kind: "markdown", markdown: ceilingsMarkdown(a) }],
        figures: realLinkFigures(a),
      },
    ];
  },
  verdict: (study) => chapterClaims(study),
  summary(study) {
    const a = analyzeRealLink(study);
    const keep = a.rows.filter((r) => r.rate === a.rates[0] || r.rate === null);
    return keep.map((r) => {
      const readWrite = keep.find((x) => x.path === "read-write" && x.rate === r.rate);
      return {
        path: `${r.path} @ ${formatRate(r.rate)}`,
        medianSeconds: r.medianSeconds,
        cpuSecondsPerGiB: r.senderCpuPerGiB,
        modelSeconds: r.model.seconds,
        ratioVsReadWrite: readWrite ? r.medianSeconds / readWrite.medianSeconds : undefined,
      };
    });
  },
};
