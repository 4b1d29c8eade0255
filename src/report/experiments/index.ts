// Every experiment `workbook run` knows, in report order. Add one by adding its module here.
import { Experiment } from "../experiment";
import { copyPathExperiment } from "./copy-path";
import { transferExperiment } from "./transfer";

export const EXPERIMENTS: Experiment<any>[] = [copyPathExperiment, transferExperiment];
