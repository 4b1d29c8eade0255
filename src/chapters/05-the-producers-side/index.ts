// What notebook 5 imports: the plan, the chapter's run and model, the figures and the claims of chapter 5.
export { PLANS } from "./plan";
export {
  runProducerChapter, producerModel, producerModels, policyRows, policyTable, producerSteps, oneCallCounts, MODEL_PARAMETERS,
} from "./analysis";
export { bytesTimelineFigure, policyTimeFigure, writeAccountingFigure, flusherFigure } from "./figures";
export { dataPathStepsFigure } from "../../plot/data-path-steps";
export { chapterClaims } from "./claims";
export { PRODUCER_POLICIES } from "../../experiments/producer-records";
export { formatBytes } from "../../units/sizes";
