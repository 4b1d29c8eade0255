// Chapter 7 in `workbook run`: the calibration first (so chapter 2's model lines can be this machine's), then the
// prediction study that sets the calibrated model's predictions beside the measured medians.
import type { Step, Plans } from "../chapter";
import { runCalibration, CalibrationResult } from "../../calibration/calibrate";
import { describeCalibration } from "../../calibration/describe";
import { predictTransferCost } from "../../model/calibrated-transfer";
import { TRANSFER_PATHS } from "../../vocabulary/transfer";
import { PLANS, PredictionPlan } from "./plan";
import { runPredictionStudy, PredictionStudy } from "./study";
import { describeDrift } from "./drift";
import { describeRows, describeRatios, ratioRows } from "./analysis";
import { predictionParityFigure, predictionResidualFigure, predictionTimeFigure, predictionBreakdownFigure } from "./figures";
import { chapterClaims } from "./claims";
import { MiB } from "../../units/sizes";

/** The calibration step's plans: chapter 7's calibration setting at each scale. */
const CALIBRATION_PLANS: Plans<{ quick: boolean }> = {
  quick: { quick: PLANS.quick.quickCalibration },
  default: { quick: PLANS.default.quickCalibration },
  full: { quick: PLANS.full.quickCalibration },
};

export const calibrationStep: Step<{ quick: boolean }, CalibrationResult> = {
  name: "calibration",
  title: "7. Calibration",
  plans: CALIBRATION_PLANS,
  diskBytes: () => 512 * MiB,
  run: (plan, ctx) => {
    let step = 0;
    return runCalibration({ quick: plan.quick, onProgress: (name) => ctx.progress(1 - 1 / (1 + ++step / 4), name) });
  },
  sections: (calibration) => [
    {
      title: "7. Calibration: this machine's costs",
      text: "Micro-measurements (medians of repetitions) that set the model's parameters; the transfer experiment's model lines and the prediction below use them.",
      figures: [],
      pre: describeCalibration(calibration).join("\n"),
    },
  ],
};

export const predictionChapter: Step<PredictionPlan, PredictionStudy> = {
  name: "prediction",
  title: "7. Theory meets measurement",
  plans: PLANS,
  diskBytes: (plan) => Math.max(...plan.sizes),
  async run(plan, ctx) {
    const calibration = (ctx.earlier.calibration as CalibrationResult | undefined) ?? (await runCalibration({ quick: plan.quickCalibration }));
    let step = 0;
    return runPredictionStudy({
      calibration,
      sizes: plan.sizes,
      runs: plan.runs,
      // steps: one per size, then the drift check
      onProgress: (message) => ctx.progress(++step / (plan.sizes.length + 2), message),
    });
  },
  sections: (study) => {
    const largest = Math.max(...study.conditions.sizes);
    return [
      {
        title: "7. Theory meets measurement: the calibrated model predicts each transfer",
        text:
          "Each path and size of the transfer experiment, predicted from the calibration alone (sender, receiver and CPU placement), " +
          "beside the measured median with its min-max. The dashed band is 15% either side.",
        figures: [
          predictionParityFigure(study.rows),
          predictionResidualFigure(study.rows),
          predictionTimeFigure(study.rows),
          predictionBreakdownFigure(TRANSFER_PATHS.map((p) => predictTransferCost(study.calibration.parameters, p, largest))),
        ],
        pre: [...describeRows(study.rows), ...describeRatios(ratioRows(study.rows)), ...describeDrift(study.drift ?? [])].join("\n"),
      },
    ];
  },
  verdict: chapterClaims,
};
