// Chapter 2's plan: every transfer path at the IBM article's file sizes, the copy loops reading 4 KiB at a time
// like the article's client. The only place chapter 2's sizes and run counts live.
import type { Plans } from "../chapter";
import { IBM_TABLE_1 } from "../../reference/ibm-zero-copy";
import { KiB } from "../../units/sizes";

export interface ZeroCopyPlan {
  /** File sizes, bytes (the article's "MB" are 10^6 bytes). */
  sizes: number[];
  /** Measured runs per path and size (after one warm-up). */
  runs: number;
  /** Bytes per read of the copy loops: the IBM client's buffer. */
  chunk: number;
}

/** Quick for CI, default for `npm start`, full = every row of IBM Table 1. */
export const PLANS: Plans<ZeroCopyPlan> = {
  quick: { sizes: [7e6, 21e6], runs: 3, chunk: 4 * KiB },
  default: { sizes: [7e6, 63e6, 200e6], runs: 5, chunk: 4 * KiB },
  full: { sizes: IBM_TABLE_1.map((r) => r.bytes), runs: 7, chunk: 4 * KiB },
};
