// The conditions a run was made under, recorded with every result file.
import * as os from "os";

/** Machine and software a result came from; compare shows two of these side by side. */
export interface Environment {
  timestamp: string;
  hostname: string;
  platform: string;
  kernel: string;
  arch: string;
  cpuModel: string;
  cpuCount: number;
  memoryGiB: number;
  node: string;
  loadAverage: number[];
}

/** Reads the environment now; called once per run and per experiment. */
export function readEnvironment(): Environment {
  const cpus = os.cpus();
  return {
    timestamp: new Date().toISOString(),
    hostname: os.hostname(),
    platform: os.platform(),
    kernel: os.release(),
    arch: os.arch(),
    cpuModel: cpus[0]?.model ?? "unknown",
    cpuCount: cpus.length,
    memoryGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    node: process.version,
    loadAverage: os.loadavg().map((l) => Math.round(l * 100) / 100),
  };
}
