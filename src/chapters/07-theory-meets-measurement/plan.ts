// Chapter 7's plan: how many batches of the transfer experiment to set beside the model, at which sizes, with how
// many runs per path, and how to measure the profile if none is saved yet. The only place chapter 7's sizes live.
import type { Plans } from "../chapter";
import { MiB } from "../../units/sizes";

export interface PredictionPlan {
  /** Without a saved profile, measure the quick one (under 10 s) instead of the full one (under 30 s). */
  quickProfile: boolean;
  /** Transfer sizes (the judged ones are 64 MiB and above). */
  sizes: number[];
  /** Measured runs per path, size and batch. */
  runs: number;
  /** Batches: the whole experiment again, sizes rotated, so each row's batch-to-batch spread is the machine's noise. */
  batches: number;
}

export const PLANS: Plans<PredictionPlan> = {
  quick: { quickProfile: true, sizes: [16 * MiB, 64 * MiB], runs: 3, batches: 2 },
  default: { quickProfile: false, sizes: [16 * MiB, 64 * MiB, 256 * MiB], runs: 5, batches: 3 },
  full: { quickProfile: false, sizes: [16 * MiB, 64 * MiB, 256 * MiB, 1024 * MiB], runs: 7, batches: 5 },
};
