// What notebook 5 imports: the plan, the chapter's run and model, the figures and the claims of chapter 5.
export { PLANS } from "./plan";
export {
  runProducerChapter, producerModel, producerModels, policyRows, policyTableOf, loopbackRows, producerSteps, oneCallCounts,
} from "./analysis";
export { profileForModel, profileLabel } from "../../calibration/profile-source";
export {
  producerDiagramFigure, nicPathTable, loopbackPathTable, loopbackTable, bytesTimelineFigure, policyTimeFigure, writeAccountingFigure, flusherFigure,
} from "./figures";
export { writebackMarkdown, modelParametersMarkdown, modelMissesMarkdown, loopbackMarkdown, measurementScopeTable } from "./prose";
export { chapterClaims } from "./claims";
export { PRODUCER_POLICIES } from "../../experiments/producer-records";
export { formatBytes } from "../../units/sizes";
