// What notebook 7 imports: the plan, the machine profile, the batches beside the model, the figures, tables and
// prose, and the claims of chapter 7.
export { PLANS } from "./plan";
export { profileForModel, profileLabel } from "../../calibration/profile-source";
export { runPredictionStudy, analyzePrediction } from "./analysis";
export { parityFigure, residualNoiseFigure, breakdownFigure, parameterTable, fitTable, ratioTable, batchMediansTable, conditionsTable } from "./figures";
export { equationsMarkdown, profileMarkdown, conditionsMarkdown, noiseMarkdown, targetMarkdown, limitsMarkdown } from "./prose";
export { chapterClaims } from "./claims";
