// What notebook 6 imports: the plan, the chapter's run and analysis, the figures, the generated words and the claims.
export { PLANS } from "./plan";
export type { KafkaBrokerPlan } from "./plan";
export { runKafkaBrokerChapter, linkUnavailable } from "./chapter";
export { analyzeKafkaBroker, LINK_BOUND_SLOWDOWN } from "./analysis";
export type { KafkaBrokerStudy, KafkaBrokerAnalysis } from "./analysis";
export { diskReadsFigure, brokerCpuFigure, brokerSyscallsFigure, linkThroughputFigure, linkCpuFigure, linkCoresFigure, fanoutFigures, linkFigures, kafkaBrokerFigures } from "./figures";
export { crashText, dataFolderTable, readBackSample, firstBatchTable, fanoutText, fanoutTable, linkText, linkTable } from "./text";
export { chapterClaims, CHAPTER } from "./claims";
export { describeCpuAccounting, readCpuAccounting } from "../../experiments/cpu-accounting";
