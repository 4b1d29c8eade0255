// What notebook 6 imports: the plan, the chapter's run and analysis, the figures and tables, the generated prose and the claims.
export { PLANS } from "./plan";
export type { KafkaBrokerPlan } from "./plan";
export { runKafkaBrokerChapter, linkUnavailable } from "./chapter";
export { analyzeKafkaBroker, LINK_BOUND_SLOWDOWN } from "./analysis";
export type { KafkaBrokerStudy, KafkaBrokerAnalysis } from "./analysis";
export {
  diskReadsFigure, brokerCpuFigure, brokerSyscallsFigure, linkThroughputFigure, linkCpuFigure, linkCoresFigure, fanoutFigures, linkFigures, kafkaBrokerFigures,
  dataFolderTable, readBackTable, firstBatchTable, fanoutTable, linkTable,
} from "./figures";
export { crashMarkdown, fanoutMarkdown, linkMarkdown } from "./prose";
export { chapterClaims, CHAPTER } from "./claims";
export { describeCpuAccounting, readCpuAccounting } from "../../experiments/cpu-accounting";
