// Chapter 4's plan: the scratch file, runs and calls per case of this machine's disk experiment, and how many
// random reads the model times. The only place chapter 4's sizes and run counts live.
import type { Plans } from "../chapter";
import type { FsyncMode } from "../../experiments/disk-records";
import { KiB, MiB } from "../../units/sizes";

export interface DiskPlan {
  /** The scratch file. */
  fileBytes: number;
  /** Runs per case; medians with min-max. */
  runs: number;
  /** Calls per case at most (the 4 KiB cases). */
  maxOps: number;
  /** Bytes per call: 4 KiB and 1 MiB. */
  blocks: number[];
  /** Write durability modes. */
  fsync: FsyncMode[];
  /** Random 4 KiB reads the model times per disk for the breakdown figure. */
  breakdownReads: number;
}

export const PLANS: Plans<DiskPlan> = {
  quick: { fileBytes: 32 * MiB, runs: 3, maxOps: 1024, blocks: [4 * KiB, MiB], fsync: ["none", "end"], breakdownReads: 500 },
  default: { fileBytes: 128 * MiB, runs: 5, maxOps: 4096, blocks: [4 * KiB, MiB], fsync: ["none", "end"], breakdownReads: 2000 },
  full: { fileBytes: 512 * MiB, runs: 7, maxOps: 8192, blocks: [4 * KiB, MiB], fsync: ["none", "end", "each"], breakdownReads: 5000 },
};
