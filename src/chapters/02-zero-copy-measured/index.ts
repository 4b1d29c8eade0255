// What notebook 2 imports: the plan, the study and its analysis, the figures and the claims of chapter 2.
export { PLANS } from "./plan";
export { runZeroCopyStudy, analyzeZeroCopy, ibmSavings } from "./analysis";
export { zeroCopyFigures } from "./figures";
export { chapterClaims } from "./claims";
export { IBM_TABLE_1 } from "../../reference/ibm-zero-copy";
export { POST_CLAIMED_SAVING } from "../../reference/bytebytego-post";
