// Chapter 5's plan: the payload a producer sends, the runs per flush policy, fsync-each's interval, and whether to
// wait for the kernel's flusher. The only place chapter 5's sizes and run counts live.
import type { Plans } from "../chapter";
import { MiB } from "../../units/sizes";

export interface ProducerPlan {
  /** Bytes the producer sends per run. */
  bytes: number;
  /** Measured runs per policy (after one warm-up round). */
  runs: number;
  /** fsync-each: one fsync per this many bytes written. */
  fsyncBytes: number;
  /** Watch the kernel's flusher write dirty pages back (waits about 40 s for it). */
  observeFlusher: boolean;
}

/** Quick for CI (~5 s), default for `npm start` (with the flusher observation), full. */
export const PLANS: Plans<ProducerPlan> = {
  quick: { bytes: 32 * MiB, runs: 3, fsyncBytes: MiB, observeFlusher: false },
  default: { bytes: 128 * MiB, runs: 5, fsyncBytes: MiB, observeFlusher: true },
  full: { bytes: 256 * MiB, runs: 7, fsyncBytes: MiB, observeFlusher: true },
};
