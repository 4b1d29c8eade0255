// The conditions a measurement was taken under, recorded beside every result.
import * as os from "os";

/** Machine and time of a run: what a reader needs to compare figures across machines. */
export interface MachineConditions {
  cpuCount: number;
  cpuModel: string;
  kernel: string;
  platform: string;
  nodeVersion: string;
  timestamp: string;
  /** os.loadavg() at the start: 1, 5 and 15 minute averages (cores are shared; > 1.5 means noisy). */
  loadAverage: number[];
}

/** Snapshot of the machine now; experiments call it at the start. */
export function machineConditions(): MachineConditions {
  const cpus = os.cpus();
  return {
    cpuCount: cpus.length,
    cpuModel: cpus[0]?.model ?? "unknown",
    kernel: `${os.type()} ${os.release()}`,
    platform: `${process.platform}-${process.arch}`,
    nodeVersion: process.version,
    timestamp: new Date().toISOString(),
    loadAverage: os.loadavg().map((x) => Math.round(x * 100) / 100),
  };
}
