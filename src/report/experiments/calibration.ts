// Calibration and prediction for `workbook run` (chapter 7): this machine's costs first, so the transfer
// experiment can draw the calibrated model; then the prediction study sets predictions beside medians.
import { Experiment, Scale } from "../experiment";
import { runCalibration, CalibrationResult } from "../../calibration/calibrate";
import { describeCalibration } from "../../calibration/describe";
import { runPredictionStudy, PredictionStudy } from "../../prediction/study";
import { describeDrift } from "../../prediction/drift";
import { describeRows, describeRatios, ratioRows } from "../../prediction/prediction-rows";
import { predictTransferCost } from "../../prediction/transfer-cost";
import { predictionParityFigure, predictionResidualFigure, predictionTimeFigure, predictionBreakdownFigure } from "../../figures/prediction";
import { MiB } from "../../units/sizes";
import { TRANSFER_PATHS } from "../../vocabulary/transfer";


/** Transfer sizes and runs of the prediction study per scale (the target is for sizes >= 64 MiB). */
export const PREDICTION_PLANS: Record<Scale, { sizes: number[]; runs: number }> = {
  quick: { sizes: [16 * MiB, 64 * MiB], runs: 3 },
  default: { sizes: [16 * MiB, 64 * MiB, 256 * MiB], runs: 7 },
  full: { sizes: [16 * MiB, 64 * MiB, 256 * MiB, 1024 * MiB], runs: 7 },
};

export const calibrationExperiment: Experiment<CalibrationResult> = {
  name: "calibration",
  title: "7. Calibration",
  diskBytes: () => 512 * MiB,
  run: (ctx) => {
    let step = 0;
    return runCalibration({ quick: ctx.scale === "quick", onProgress: (name) => ctx.progress(1 - 1 / (1 + ++step / 4), name) });
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

export const predictionExperiment: Experiment<PredictionStudy> = {
  name: "prediction",
  title: "7. Theory meets measurement",
  diskBytes: (scale) => Math.max(...PREDICTION_PLANS[scale].sizes),
  async run(ctx) {
    const plan = PREDICTION_PLANS[ctx.scale];
    const calibration = (ctx.earlier.calibration as CalibrationResult | undefined) ?? (await runCalibration({ quick: true }));
    let step = 0;
    return runPredictionStudy({
      calibration,
      sizes: plan.sizes,
      runs: ctx.runs ?? plan.runs,
      // steps: calibrating, one per size, the drift check
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
          "beside the measured median with its min-max. The dashed band is the issue's 15% target.",
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
};
