// What notebook 4 imports: the plan, the chapter's run, the figures and the claims of chapter 4.
export { PLANS } from "./plan";
export { profileForModel, profileLabel } from "../../calibration/profile-source";
export { runDiskChapter, directReadPair, directRandomPoints, KAFKA_DISK_CLAIM } from "./analysis";
export { profileThroughputFigure, randomReadBreakdownFigure, requestSizeFigure, kafkaArrayFigure, machineDiskFigure } from "./figures";
export { chapterClaims } from "./claims";
export { MiB } from "../../units/sizes";
export { casesTable, diskConditionsMarkdown, profilesTable, profilesMarkdown, breakdownMarkdown, kafkaArrayMarkdown, machineModelMarkdown } from "./prose";
