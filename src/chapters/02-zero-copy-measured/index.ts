// What notebook 2 imports: the plan, the machine profile, the study and its analysis, the figures, the prose and
// the claims of chapter 2.
export { PLANS } from "./plan";
export { profileForModel, profileLabel } from "../../calibration/profile-source";
export { runZeroCopyStudy, analyzeZeroCopy, ibmSavings } from "./analysis";
export { zeroCopyFigures, transferTimeFigure, perGiBFigure, ibmRatioFigure } from "./figures";
export { syscallsMarkdown, modelMarkdown, ratioMarkdown } from "./prose";
export { chapterClaims } from "./claims";
export { IBM_TABLE_1 } from "../../reference/ibm-zero-copy";
export { POST_CLAIMED_SAVING } from "../../reference/bytebytego-post";
