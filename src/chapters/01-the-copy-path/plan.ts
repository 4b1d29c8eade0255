// Chapter 1's plan: one transfer of 64 MiB, and the IBM article's 4 KiB client buffer for the copy loops.
// The model takes microseconds, so every scale runs the same plan.
import type { Plans } from "../chapter";
import { MiB, KiB } from "../../units/sizes";

export interface CopyPathPlan {
  /** Bytes of the one transfer every path makes. */
  bytes: number;
  /** Bytes per read()/write() of the copy loops. */
  chunk: number;
}

const PLAN: CopyPathPlan = { bytes: 64 * MiB, chunk: 4 * KiB };

export const PLANS: Plans<CopyPathPlan> = { quick: PLAN, default: PLAN, full: PLAN };
