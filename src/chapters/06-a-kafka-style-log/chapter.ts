// Chapter 6 in `workbook run`: the Kafka-style log served to C consumers by sendfile or read+write.
import type { Step } from "../chapter";
import { runBrokerExperiment } from "../../broker/experiment";
import type { BrokerExperimentResult } from "../../broker/experiment-records";
import { MiB } from "../../units/sizes";
import { PLANS, BrokerPlan } from "./plan";
import { analyzeBroker } from "./analysis";
import { brokerFigures } from "./figures";
import { chapterClaims } from "./claims";

/** Runs chapter 6's experiment on a plan; `onProgress` gets one line per run. */
export function runBrokerChapter(plan: BrokerPlan, onProgress?: (line: string) => void): Promise<BrokerExperimentResult> {
  return runBrokerExperiment({ ...plan, onProgress });
}

export const brokerChapter: Step<BrokerPlan, BrokerExperimentResult> = {
  name: "broker",
  title: "6. A Kafka-style log",
  plans: PLANS,
  diskBytes: (plan) => 2 * plan.logBytes,
  run(plan, ctx) {
    let done = 0;
    // The experiment reports one line per run, not a fraction: show the count, creeping towards 1.
    return runBrokerChapter(plan, (line) => ctx.progress(1 - 1 / (1 + ++done / 8), line));
  },
  sections: (result) => [
    {
      title: "6. A Kafka-style log",
      text:
        "A segmented, CRC-checked log served over TCP to C consumers, by sendfile or by read+write. " +
        "Cold catch-up: the broker reads the log from disk once however many consumers read it (the page cache). " +
        `Conditions: ${result.conditions.logBytes / MiB} MiB log, ${result.conditions.repeats} repeats, load ${result.conditions.machine.loadAverage[0]}.`,
      figures: brokerFigures(analyzeBroker(result)),
      pre: result.conditions.notes.join("\n"),
    },
  ],
  verdict: chapterClaims,
};
