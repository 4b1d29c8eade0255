// Did the machine keep its speed while the study ran? The prediction rests on a calibration made before the
// experiments; on a shared VM the same code can run at a different speed minutes later (another guest on the same
// host). So after the experiments the study repeats the calibration's loopback memory senders and sets their costs
// beside the calibration's: a large change means the residuals compare two different machines.
import { runLoopback, loopbackMeasurements, LoopbackSender } from "../../calibration/loopback-tcp";
import { LARGE_WRITE, SMALL_WRITE } from "../../calibration/parameters";
import type { CalibrationResult } from "../../calibration/calibrate";

/** One re-measured calibration figure: its median then and now. */
export interface DriftRow {
  measurement: string;
  unit: string;
  calibration: number;
  after: number;
  /** after / calibration - 1. */
  change: number;
}

/** Beyond this change the study says the machine drifted. */
export const DRIFT_TOLERANCE = 0.15;

/** The figures compared: each side's CPU per byte of the two memory senders (both cores free). */
const COMPARED = ["sender-cpu", "receiver-cpu"];

/** Repeats the calibration's loopback memory senders `runs` times and compares each side's CPU per byte. */
export async function measureDrift(calibration: CalibrationResult, runs: number): Promise<DriftRow[]> {
  const bytes = calibration.conditions.plan.loopbackBytes;
  const senders: LoopbackSender[] = [LARGE_WRITE, SMALL_WRITE].map((writeBytes) => ({ kind: "memory", bytes, writeBytes }));
  const loopbackRuns = await runLoopback(senders, runs, "two-cores");
  const now = senders.flatMap((sender) => loopbackMeasurements(sender, "two-cores", loopbackRuns));
  return now
    .filter((m) => COMPARED.some((what) => m.name.endsWith(what)))
    .flatMap((m) => {
      const then = calibration.measurements.find((c) => c.name === m.name);
      if (!then) return [];
      return [{ measurement: m.name, unit: m.unit, calibration: then.median, after: m.median, change: m.median / then.median - 1 }];
    });
}

/** The drift as text lines, with a verdict. */
export function describeDrift(rows: readonly DriftRow[]): string[] {
  if (rows.length === 0) return ["machine drift: not measured"];
  const worst = rows.reduce((a, b) => (Math.abs(b.change) > Math.abs(a.change) ? b : a));
  const pct = (x: number) => `${x >= 0 ? "+" : ""}${(x * 100).toFixed(0)}%`;
  return [
    ...rows.map((r) => `machine drift: ${r.measurement} ${(r.calibration * 1e9).toFixed(3)} -> ${(r.after * 1e9).toFixed(3)} ns/byte (${pct(r.change)})`),
    Math.abs(worst.change) > DRIFT_TOLERANCE
      ? `the machine changed speed during the study (${worst.measurement} ${pct(worst.change)}): the residuals compare a calibration and experiments run on what behaved like two machines`
      : `the machine kept its speed within ${DRIFT_TOLERANCE * 100}% from the calibration to the end of the study`,
  ];
}
