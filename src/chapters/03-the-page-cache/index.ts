// What notebook 3 imports: the plan, the chapter's run, the figures, tables and prose, and the claims of chapter 3.
export { PLANS } from "./plan";
export { runPageCacheChapter, readSpeedRows } from "./analysis";
export { profileForModel, profileLabel } from "../../calibration/profile-source";
export { coldWarmFigure, hitRatioFigure, readaheadModelFigure, readaheadMachineFigure, rereadsFigure, readSpeedFigure, passesTable, scenariosTable } from "./figures";
export { conditionsMarkdown, coldWarmMarkdown, readaheadMarkdown, readSpeedMarkdown } from "./prose";
export { chapterClaims } from "./claims";
export { MiB } from "../../units/sizes";
