// Every experiment `workbook run` knows, in run order. Add one by adding its module here.
import { Experiment } from "../experiment";
import { copyPathExperiment } from "./copy-path";
import { transferExperiment } from "./transfer";
import { pageCacheExperiment } from "./page-cache";
import { diskExperiment } from "./disk";
import { producerExperiment } from "./producer";
import { brokerExperiment } from "./broker";
import { calibrationExperiment, predictionExperiment } from "./calibration";

// Calibration runs before the transfer experiment, so chapter 2's model lines can be this machine's;
// the report orders sections by chapter number, not by run order.
export const EXPERIMENTS: Experiment<any>[] = [copyPathExperiment, calibrationExperiment, transferExperiment, pageCacheExperiment, diskExperiment, producerExperiment, brokerExperiment, predictionExperiment];
