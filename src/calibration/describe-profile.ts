// The machine profile as text: one line per parameter (value, its benchmark's spread, what measured it), for
// `workbook calibrate` and the notebooks.
import { PARAMETER_NAMES, PARAMETER_DOCS, ParameterName } from "../model/cost/machine-profile";
import { MachineProfile, PARAMETER_BENCHMARKS } from "./profile-record";
import { MiB, GiB } from "../units/sizes";

/** A parameter's value in readable units: "9.84 GB/s", "143 ns", "0.152 ns/B", "4.00 MiB". */
export function formatParameter(name: ParameterName, value: number): string {
  switch (PARAMETER_DOCS[name].unit) {
    case "bytes/s":
      return `${(value / 1e9).toFixed(2)} GB/s`;
    case "s/byte":
      return `${(value * 1e9).toFixed(3)} ns/B (${(value * GiB).toFixed(3)} s/GiB)`;
    case "bytes":
      return value >= MiB ? `${(value / MiB).toFixed(2)} MiB` : `${(value / 1024).toFixed(0)} KiB`;
    case "s":
      return value >= 1e-3 ? `${(value * 1e3).toFixed(2)} ms` : value >= 1e-6 ? `${(value * 1e6).toFixed(2)} µs` : `${(value * 1e9).toFixed(0)} ns`;
  }
}

/** The spread of the benchmark a parameter inherits most from: (max - min) / median; NaN for a value read from
 *  /proc (not timed, so it has no spread). */
export function parameterSpread(profile: MachineProfile, name: ParameterName): number {
  if (PARAMETER_DOCS[name].benchmark.startsWith("read:")) return Number.NaN;
  const b = profile.benchmarks[PARAMETER_BENCHMARKS[name][0]];
  return b ? Math.abs(b.max - b.min) / Math.abs(b.median) : NaN;
}

/** Header line, then one line per parameter. */
export function describeProfile(profile: MachineProfile): string[] {
  const m = profile.machine;
  const head = `machine profile "${profile.name}", measured ${profile.measuredAt} in ${m.elapsedSeconds.toFixed(1)} s ` +
    `(load ${m.loadAverage[0]} -> ${m.loadAverageEnd[0]}, other processes kept ${m.background.backgroundThreads.toFixed(2)} of ${m.background.cores} cores busy)`;
  const width = Math.max(...PARAMETER_NAMES.map((n) => n.length));
  const rows = PARAMETER_NAMES.map((name) => {
    const spread = parameterSpread(profile, name);
    const zero = profile.zeroed.includes(name) ? " (measured below 0 within noise: set to 0)" : "";
    return `  ${name.padEnd(width)}  ${formatParameter(name, profile.parameters[name]).padEnd(26)} spread ${Number.isFinite(spread) ? `${(spread * 100).toFixed(0)}%`.padStart(4) : "   -"}  ${PARAMETER_DOCS[name].meaning}; ${PARAMETER_DOCS[name].benchmark}${zero}`;
  });
  return [head, ...rows];
}
