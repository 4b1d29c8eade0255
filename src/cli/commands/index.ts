// Every `workbook` subcommand, one line each. Add a command by adding its module here.
import { Command } from "../command";
import { command as model } from "./model";
import { command as run } from "./run";
import { command as compare } from "./compare";
import { command as transfer } from "./transfer";
import { command as disk } from "./disk";
import { command as calibrate } from "./calibrate";
import { command as cache } from "./cache";
import { command as brokerBench } from "./broker-bench";
import { command as predict } from "./predict";
import { command as broker } from "./broker";

export const COMMANDS: Command[] = [run, compare, model, cache, transfer, disk, calibrate, predict, broker, brokerBench];
