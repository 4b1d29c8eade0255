// The conditions a whole run was made under: the experiments' machine conditions plus what tells
// two machines apart in `workbook compare`.
import * as os from "os";
import { machineConditions, MachineConditions } from "../experiments/conditions";
import { GiB } from "../units/sizes";

/** Machine and software a result set came from. */
export interface Environment extends MachineConditions {
  hostname: string;
  memoryGiB: number;
}

/** Reads the environment now; called once per run and per experiment file. */
export function readEnvironment(): Environment {
  return { ...machineConditions(), hostname: os.hostname(), memoryGiB: Math.round((os.totalmem() / GiB) * 10) / 10 };
}
