// The Kafka-style log experiment for `workbook run` (chapter 6): consumers served by sendfile or read+write.
import { Experiment, Scale } from "../experiment";
import { runBrokerExperiment, BROKER_EXPERIMENT_QUICK, BrokerExperimentOptions } from "../../broker/experiment";
import { BrokerExperimentResult } from "../../broker/experiment-records";
import { brokerFigures } from "../../figures/broker";
import { MiB } from "../../units/sizes";

/** Options per scale: quick for CI, the experiment's defaults (~1 min), full with a 256 MiB log. */
export const BROKER_PLANS: Record<Scale, BrokerExperimentOptions> = {
  quick: BROKER_EXPERIMENT_QUICK,
  default: {},
  full: { logBytes: 256 * MiB, tailBytes: 32 * MiB, segmentBytes: 64 * MiB, repeats: 5 },
};

export const brokerExperiment: Experiment<BrokerExperimentResult> = {
  name: "broker",
  title: "6. A Kafka-style log",
  diskBytes: (scale) => 2 * (BROKER_PLANS[scale].logBytes ?? 32 * MiB),
  async run(ctx) {
    let done = 0;
    return runBrokerExperiment({
      ...BROKER_PLANS[ctx.scale],
      ...(ctx.runs ? { repeats: ctx.runs } : {}),
      // The experiment reports one line per run, not a fraction: show the count, creeping towards 1.
      onProgress: (line) => ctx.progress(1 - 1 / (1 + ++done / 8), line),
    });
  },
  sections: (result) => [
    {
      title: "6. A Kafka-style log",
      text:
        "A segmented, CRC-checked log served over TCP to C consumers, by sendfile or by read+write. " +
        "Cold catch-up: the broker reads the log from disk once however many consumers read it (the page cache). " +
        `Conditions: ${result.conditions.logBytes / MiB} MiB log, ${result.conditions.repeats} repeats, load ${result.conditions.machine.loadAverage[0]}.`,
      figures: brokerFigures(result),
      pre: result.conditions.notes.join("\n"),
    },
  ],
};
