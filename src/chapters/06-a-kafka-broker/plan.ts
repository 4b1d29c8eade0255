// Chapter 6's plan: the crash of a producing broker, the fan-out of one log to C consumers on the machine's
// loopback, and the same fan-out through shaped links. The only place chapter 6's sizes, rates and run counts
// live (record and batch sizes are the experiments' own).
import type { Plans } from "../chapter";
import { KiB, MiB } from "../../units/sizes";

export interface KafkaBrokerPlan {
  /** Repeats of every measured fan-out run, on loopback and through each link (`workbook run --runs` sets it). */
  repeats: number;
  /** C consumers reading one log from offset 0 (catch-up, cold and warm) and following producers (tailing). */
  fanout: { consumers: number[]; logBytes: number; tailBytes: number; segmentBytes: number };
  /** The broker is killed once this many records are acknowledged (acks=-1); segments small enough to roll. */
  crash: { killAfterAcknowledged: number; segmentBytes: number };
  /** Shaped link rates (bit/s, slowest first; the unshaped control is added), the consumers sharing each link,
   *  the log they read, and the quiet window around each run that measures everyone else's CPU. */
  link: { rates: number[]; consumers: number; logBytes: number; backgroundWindowMs: number };
  /** How to measure this machine's profile for the model line when none is saved yet. */
  calibration: "quick" | "full";
}

/** Quick for CI (about 30 s: three repeats, since CPU and throughput are judged by medians; one shaped link), default for
 *  `npm start` (about two minutes on a quiet machine; links up to 20 Gbit/s, above what this machine serves unshaped),
 *  full with a 256 MiB log and links up to 25 Gbit/s. Every plan has the 1 Gbit/s
 *  link, which every serving mode must fill (a claim). */
export const PLANS: Plans<KafkaBrokerPlan> = {
  quick: {
    // Medians of 3, and link runs of about half a second: under the whole test suite's load one run in a few
    // loses tens of ms to scheduling, which a shaped link never gets back (its bucket holds 2 ms of tokens).
    repeats: 3,
    fanout: { consumers: [1, 4], logBytes: 16 * MiB, tailBytes: 2 * MiB, segmentBytes: 4 * MiB },
    crash: { killAfterAcknowledged: 5000, segmentBytes: 256 * KiB },
    link: { rates: [1e9], consumers: 2, logBytes: 32 * MiB, backgroundWindowMs: 50 },
    calibration: "quick",
  },
  default: {
    repeats: 3,
    fanout: { consumers: [1, 2, 4, 8], logBytes: 64 * MiB, tailBytes: 8 * MiB, segmentBytes: 16 * MiB },
    crash: { killAfterAcknowledged: 20_000, segmentBytes: 256 * KiB },
    link: { rates: [1e9, 2.5e9, 5e9, 10e9, 20e9], consumers: 2, logBytes: 128 * MiB, backgroundWindowMs: 400 },
    calibration: "full",
  },
  full: {
    repeats: 5,
    fanout: { consumers: [1, 2, 4, 8], logBytes: 256 * MiB, tailBytes: 32 * MiB, segmentBytes: 64 * MiB },
    crash: { killAfterAcknowledged: 100_000, segmentBytes: MiB },
    link: { rates: [1e9, 2.5e9, 5e9, 10e9, 15e9, 25e9], consumers: 4, logBytes: 256 * MiB, backgroundWindowMs: 1000 },
    calibration: "full",
  },
};
