// Every experiment `workbook run` knows, in report order. Add one by adding its module here.
import { Experiment } from "../experiment";
import { copyPathExperiment } from "./copy-path";
import { transferExperiment } from "./transfer";
import { producerExperiment } from "./producer";

export const EXPERIMENTS: Experiment<any>[] = [copyPathExperiment, transferExperiment, producerExperiment];
