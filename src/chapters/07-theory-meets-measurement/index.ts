// What notebook 7 imports: the plan, the calibration and the prediction study, the figures and the claims of chapter 7.
export { PLANS } from "./plan";
export { runCalibration } from "../../calibration/calibrate";
export { describeCalibration } from "../../calibration/describe";
export { runPredictionStudy, predictStudy } from "./study";
export { describeRows, describeRatios, ratioRows } from "./analysis";
export { describeDrift } from "./drift";
export { predictTransferCost } from "../../model/calibrated-transfer";
export { TRANSFER_PATHS } from "../../vocabulary/transfer";
export { predictionParityFigure, predictionResidualFigure, predictionTimeFigure, predictionBreakdownFigure } from "./figures";
export { chapterClaims } from "./claims";
