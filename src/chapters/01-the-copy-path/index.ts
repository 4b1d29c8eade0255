// What notebook 1 imports: the plan, the model run, the figures, tables and prose, and the claims of chapter 1.
export { PLANS } from "./plan";
export { runCopyPathModel } from "./analysis";
export { postDiagramFigure, postStepsTable, copyWorkFigure, callsFigure, countersTable } from "./figures";
export { callsMarkdown } from "./prose";
export { chapterClaims } from "./claims";
