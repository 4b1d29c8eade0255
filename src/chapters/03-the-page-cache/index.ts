// What notebook 3 imports: the plan, the chapter's run, the figures, tables and prose, and the claims of chapter 3.
export { PLANS } from "./plan";
export { runPageCacheChapter } from "./analysis";
export { coldWarmFigure, hitRatioFigure, readaheadModelFigure, readaheadMachineFigure, rereadsFigure, passesTable, scenariosTable } from "./figures";
export { conditionsMarkdown, coldWarmMarkdown, readaheadMarkdown } from "./prose";
export { chapterClaims } from "./claims";
export { MiB } from "../../units/sizes";
