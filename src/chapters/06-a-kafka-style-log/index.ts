// What notebook 6 imports: the plan, the chapter's run and analysis, the figures and the claims of chapter 6.
export { PLANS } from "./plan";
export { runBrokerChapter } from "./chapter";
export { analyzeBroker } from "./analysis";
export { brokerFigures } from "./figures";
export { chapterClaims } from "./claims";
export { MiB } from "../../units/sizes";
