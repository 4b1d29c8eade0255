// What notebook 1 imports: the plan, the model run, the figures and the claims of chapter 1.
export { PLANS } from "./plan";
export { runCopyPathModel } from "./analysis";
export { copyCountsFigure } from "./figures";
export { dataPathStepsFigure } from "../../plot/data-path-steps";
export { chapterClaims } from "./claims";
