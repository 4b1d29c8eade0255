// Chapter 7's plan: how thoroughly to calibrate, and the transfer sizes and runs the calibrated model predicts.
// The only place chapter 7's sizes and run counts live.
import type { Plans } from "../chapter";
import { MiB } from "../../units/sizes";

export interface PredictionPlan {
  /** The quick calibration (under 10 s) instead of the full one (about 20 s). */
  quickCalibration: boolean;
  /** Transfer sizes predicted and measured (the judged sizes are 64 MiB and above). */
  sizes: number[];
  /** Measured runs per path and size. */
  runs: number;
}

export const PLANS: Plans<PredictionPlan> = {
  quick: { quickCalibration: true, sizes: [16 * MiB, 64 * MiB], runs: 3 },
  default: { quickCalibration: false, sizes: [16 * MiB, 64 * MiB, 256 * MiB], runs: 7 },
  full: { quickCalibration: false, sizes: [16 * MiB, 64 * MiB, 256 * MiB, 1024 * MiB], runs: 7 },
};
