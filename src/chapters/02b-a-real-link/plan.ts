// Chapter 2b's plan: every transfer path through links of several rates (a tbf-shaped loopback in a network
// namespace of its own) and through an unshaped one, the control that gives each path's CPU ceiling.
// The only place chapter 2b's sizes, rates and run counts live.
import type { Plans } from "../chapter";
import { KiB, MiB } from "../../units/sizes";

export interface RealLinkPlan {
  /** Shaped link rates, bit/s (decimal, as tc reads them), slowest first; the unshaped control is always added. */
  rates: number[];
  /** Size of the file every run sends. */
  bytes: number;
  /** Measured runs per path and link, after `warmup` unrecorded rounds; runs are interleaved across links and paths. */
  runs: number;
  warmup: number;
  /** Bytes per read of the copy loops (stream, read-write, c-read-write): a broker reads in large chunks. */
  chunk: number;
  /** Quiet milliseconds before and after each send over which the machine's background load is measured. */
  backgroundWindowMs: number;
}

/** The link rates a broker's CPU needs are worked out for (Ethernet's 1, 10, 25 and 100 Gbit/s). */
export const BROKER_RATES = [1e9, 10e9, 25e9, 100e9] as const;

/** Quick for CI (three links, 32 MiB; about 20 s), default for `npm start` (a few minutes), full with 256 MiB
 *  and links up to 100 Gbit/s. Every plan has the 1 Gbit/s link: the chapter's first claim is about it. */
export const PLANS: Plans<RealLinkPlan> = {
  // Quick: medians of 3 (one run that meets a burst of other work cannot move them), no warm-up round to pay for it.
  quick: { rates: [1e9, 10e9], bytes: 32 * MiB, runs: 3, warmup: 0, chunk: 64 * KiB, backgroundWindowMs: 50 },
  default: { rates: [1e9, 2.5e9, 5e9, 10e9, 15e9, 25e9], bytes: 128 * MiB, runs: 5, warmup: 1, chunk: 64 * KiB, backgroundWindowMs: 150 },
  full: { rates: [1e9, 2.5e9, 5e9, 10e9, 15e9, 20e9, 25e9, 40e9, 100e9], bytes: 256 * MiB, runs: 7, warmup: 1, chunk: 64 * KiB, backgroundWindowMs: 250 },
};
