// Chapter 5 in `workbook run`: a producer sends bytes over loopback TCP to a broker-like sink that writes them
// under three flush policies; measured beside the model.
import type { Step } from "../chapter";
import { FLUSHER_BYTES } from "../../experiments/producer";
import { formatBytes, GiB } from "../../units/sizes";
import { PLANS, ProducerPlan } from "./plan";
import { runProducerChapter, producerModels, producerSteps, policyRows, policyTableOf, loopbackRows, ProducerStudy } from "./analysis";
import { profileFor } from "../chapter-profile";
import { profileLabel } from "../../calibration/profile-source";
import { producerDiagramFigure, nicPathTable, loopbackPathTable, loopbackTable, bytesTimelineFigure, policyTimeFigure, writeAccountingFigure, flusherFigure } from "./figures";
import { writebackMarkdown, modelParametersMarkdown, modelMissesMarkdown, loopbackMarkdown, measurementScopeTable } from "./prose";
import { chapterClaims } from "./claims";

export const producerChapter: Step<ProducerPlan, ProducerStudy> = {
  name: "producer",
  title: "5. The producer's side",
  plans: PLANS,
  // One log file at a time (each run's file is verified and deleted), plus the flusher observation's files.
  diskBytes: (plan) => plan.bytes + (plan.observeFlusher ? FLUSHER_BYTES : 0),
  run: async (plan, ctx) =>
    runProducerChapter(plan, await profileFor(ctx), {
      dir: ctx.tmpDir,
      onProgress: (p) => {
        const next = p.done === p.total && plan.observeFlusher ? "; now the flusher observation (about 40 s)" : "";
        ctx.progress(p.done / p.total, `${p.policy}${p.warmup ? " (warm-up)" : ""}${next}`);
      },
    }),
  sections: (result) => {
    const c = result.conditions;
    const models = producerModels(result);
    return [
      {
        title: "5. The producer's side",
        text:
          `A producer process sends ${formatBytes(c.bytes)} over loopback TCP to a sink process that write()s them into a file on ${c.filesystem}` +
          `${c.device ? ` (${c.device})` : ""} and acks: page-cache (write only), fsync-end (one fsync before the ack), fsync-each (fsync every ` +
          `${formatBytes(c.fsyncBytes)}). Every run's file is checked against the producer's length and CRC-32. write() returns once the bytes are ` +
          "in the page cache; the disk sees them when an fsync or the kernel's flusher writes them back. Solid = this machine (median of " +
          `${c.runs} runs, min-max), dashed or hatched = the ${profileLabel(result.profile)} (chapter 7). Device counters are system-wide.` +
          (result.flusher ? "" : ` Flusher observation: ${result.flusherNote}.`),
        blocks: [
          { kind: "figure", figure: producerDiagramFigure(producerSteps()) },
          { kind: "table", table: nicPathTable() },
          { kind: "table", table: loopbackPathTable() },
          { kind: "markdown", markdown: loopbackMarkdown(loopbackRows(result), c.bytes) },
          { kind: "table", table: loopbackTable(loopbackRows(result), c.bytes) },
          { kind: "table", table: measurementScopeTable(result, loopbackRows(result)) },
          { kind: "markdown", markdown: modelParametersMarkdown(result.profile) },
          { kind: "table", table: policyTableOf(result, models, profileLabel(result.profile)) },
          { kind: "figure", figure: bytesTimelineFigure(result, models) },
          { kind: "figure", figure: policyTimeFigure(result, models) },
          { kind: "markdown", markdown: modelMissesMarkdown(policyRows(result, models)) },
          { kind: "figure", figure: writeAccountingFigure(result, models) },
          { kind: "markdown", markdown: writebackMarkdown(result) },
          ...(flusherFigure(result) ? [{ kind: "figure" as const, figure: flusherFigure(result)! }] : []),
        ],
        figures: [],
      },
    ];
  },
  verdict: chapterClaims,
  summary(result) {
    return policyRows(result, producerModels(result)).map((r) => ({
      path: `sink ${r.policy} @ ${formatBytes(r.bytes)}`,
      medianSeconds: r.medianSeconds,
      cpuSecondsPerGiB: r.sinkCpuMs / 1000 / (r.bytes / GiB),
      modelSeconds: r.modelAckSeconds,
    }));
  },
};
