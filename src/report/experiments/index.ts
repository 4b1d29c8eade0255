// Every experiment `workbook run` knows, in report order. Add one by adding its module here.
import { Experiment } from "../experiment";
import { copyPathExperiment } from "./copy-path";
import { transferExperiment } from "./transfer";
import { pageCacheExperiment } from "./page-cache";
import { diskExperiment } from "./disk";
import { producerExperiment } from "./producer";
import { brokerExperiment } from "./broker";

export const EXPERIMENTS: Experiment<any>[] = [copyPathExperiment, transferExperiment, pageCacheExperiment, diskExperiment, producerExperiment, brokerExperiment];
