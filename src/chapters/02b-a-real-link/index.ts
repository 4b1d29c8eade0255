// What notebook 2b imports: the plan, the study and its analysis, the figures and the claims of chapter 2b.
export { PLANS, BROKER_RATES } from "./plan";
export type { RealLinkPlan } from "./plan";
export { runRealLinkStudy, analyzeRealLink, measuredUnshaped, profileCpuBound, linkUnavailable, LINK_BOUND_SLOWDOWN } from "./analysis";
export { ceilingsMarkdown } from "./prose";
export { profileForModel, profileLabel } from "../../calibration/profile-source";
export type { RealLinkStudy, RealLinkAnalysis, LinkRow, CpuBound } from "./analysis";
export { wallTimeFigure, cpuPerGiBFigure, coreFractionFigure, brokerCoresFigure, crossoverFigure, realLinkFigures } from "./figures";
export { chapterClaims, MACHINE_CPU_TOLERANCE, CROSSOVER_FACTOR, SLOW_LINK } from "./claims";
export { describeCpuAccounting } from "../../experiments/cpu-accounting";
export { formatRate } from "../../units/rates";
