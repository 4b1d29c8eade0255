// Chapter 8 measures nothing: it reads the claims the other chapters checked. Every scale runs the same plan.
import type { Plans } from "../chapter";

export type SummaryPlan = Record<string, never>;

const PLAN: SummaryPlan = {};

export const PLANS: Plans<SummaryPlan> = { quick: PLAN, default: PLAN, full: PLAN };
