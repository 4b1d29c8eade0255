// Chapter 6's plan: the log the producers fill, the consumer counts, and the repeats of the broker experiment.
// The only place chapter 6's sizes and run counts live (record and batch sizes are the experiment's own).
import type { Plans } from "../chapter";
import type { BrokerExperimentOptions } from "../../broker/experiment";
import { MiB } from "../../units/sizes";

export type BrokerPlan = Required<Pick<BrokerExperimentOptions, "consumers" | "logBytes" | "tailBytes" | "segmentBytes" | "repeats">>;

/** Quick for CI (a 4 MiB log, C = 1 and 4; three repeats, since broker CPU is compared by its median), default
 *  about a minute, full with a 256 MiB log. */
export const PLANS: Plans<BrokerPlan> = {
  quick: { consumers: [1, 4], logBytes: 4 * MiB, tailBytes: 2 * MiB, segmentBytes: MiB, repeats: 3 },
  default: { consumers: [1, 2, 4, 8], logBytes: 32 * MiB, tailBytes: 8 * MiB, segmentBytes: 8 * MiB, repeats: 3 },
  full: { consumers: [1, 2, 4, 8], logBytes: 256 * MiB, tailBytes: 32 * MiB, segmentBytes: 64 * MiB, repeats: 5 },
};
