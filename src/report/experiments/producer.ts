// The producer's-side experiment for `workbook run` (chapter 5): a producer sends bytes over loopback TCP
// to a broker-like sink that writes them under three flush policies; measured beside the model.
import { Experiment } from "../experiment";
import { runProducerExperiment, FLUSHER_BYTES } from "../../experiments/producer";
import { ProducerResult } from "../../experiments/producer-records";
import { PRODUCER_PLANS, producerFigures, producerModels, policyRows, policyTable } from "../../analysis/producer";
import { GiB, formatBytes } from "../../units/sizes";

export const producerExperiment: Experiment<ProducerResult> = {
  name: "producer",
  title: "5. The producer's side",
  // One log file at a time (each run's file is verified and deleted), plus the flusher observation's files.
  diskBytes: (scale) => PRODUCER_PLANS[scale].bytes + (PRODUCER_PLANS[scale].observeFlusher ? FLUSHER_BYTES : 0),
  run: (ctx) => {
    const plan = PRODUCER_PLANS[ctx.scale];
    return runProducerExperiment({
      bytes: plan.bytes,
      runs: ctx.runs ?? plan.runs,
      observeFlusher: plan.observeFlusher,
      dir: ctx.tmpDir,
      onProgress: (p) => {
        const next = p.done === p.total && plan.observeFlusher ? "; now the flusher observation (about 40 s)" : "";
        ctx.progress(p.done / p.total, `${p.policy}${p.warmup ? " (warm-up)" : ""}${next}`);
      },
    });
  },
  sections: (result) => {
    const c = result.conditions;
    return [
      {
        title: "5. The producer's side",
        text:
          `A producer process sends ${formatBytes(c.bytes)} over loopback TCP to a sink process that write()s them into a file on ${c.filesystem}` +
          `${c.device ? ` (${c.device})` : ""} and acks: page-cache (write only), fsync-end (one fsync before the ack), fsync-each (fsync every ` +
          `${formatBytes(c.fsyncBytes)}). Every run's file is checked against the producer's length and CRC-32. write() returns once the bytes are ` +
          "in the page cache; the disk sees them when an fsync or the kernel's flusher writes them back. Solid = this machine (median of " +
          `${c.runs} runs, min-max), dashed or hatched = the model with its default parameters. Device counters are system-wide.` +
          (result.flusher ? "" : ` Flusher observation: ${result.flusherNote}.`),
        figures: producerFigures(result),
        pre: policyTable(result),
      },
    ];
  },
  summary(result) {
    const models = producerModels(result);
    return policyRows(result, models).map((r) => ({
      path: `sink ${r.policy} @ ${formatBytes(r.bytes)}`,
      medianSeconds: r.medianSeconds,
      cpuSecondsPerGiB: r.sinkCpuMs / 1000 / (r.bytes / GiB),
      modelSeconds: r.modelAckSeconds,
    }));
  },
};
