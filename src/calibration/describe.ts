// Calibration in words: one line per parameter in human units, for the CLI and notebooks' text output.
import type { CalibrationResult } from "./calibrate";
import { ScalarParameter } from "./parameters";
import type { Measurement } from "./measurement";
import { MiB, GiB } from "../units/sizes";
import { PLACEMENT_FIELDS } from "../model/calibrated-parameters";

/** Formats a value of `unit` readably: bytes/s as GiB/s, seconds as ns/µs/ms. */
export function formatQuantity(value: number, unit: string): string {
  if (unit === "bytes/s") return `${(value / GiB).toFixed(2)} GiB/s`;
  if (unit === "s/byte") return `${(value * 1e9).toFixed(3)} ns/byte (${(1 / value / GiB).toFixed(2)} GiB/s)`;
  if (unit.startsWith("s/") || unit === "s") {
    const per = unit.slice(1);
    if (value < 1e-6) return `${(value * 1e9).toFixed(0)} ns${per}`;
    if (value < 1e-3) return `${(value * 1e6).toFixed(2)} µs${per}`;
    return `${(value * 1e3).toFixed(2)} ms${per}`;
  }
  if (unit === "bytes" || unit === "bytes/read") return `${value.toFixed(0)} ${unit}`;
  return `${value.toPrecision(3)} ${unit}`;
}

/** The unit of each numeric parameter, for formatting. */
const PARAMETER_UNITS: Record<ScalarParameter, string> = {
  userCopyBytesPerSecond: "bytes/s",
  hotCopyBytesPerSecond: "bytes/s",
  kernelCopyBytesPerSecond: "bytes/s",
  kernelCopyColdBytesPerSecond: "bytes/s",
  syscallSeconds: "s/call",
  pageFaultSeconds: "s/fault",
  freshBufferSeconds: "s/buffer",
  freshBufferFaults: "faults/buffer",
  checksumBytesPerSecond: "bytes/s",
  loopbackBytesPerSecond: "bytes/s",
  connectionWarmupSeconds: "s",
  cores: "cores",
  diskSequentialBytesPerSecond: "bytes/s",
  diskRandomReadSeconds: "s/read",
};

/** The unit of a placement cost: per chunk (stream), per write (socket.write, the receiver per write), else per byte. */
function placementUnit(field: string): string {
  if (field.startsWith("stream")) return "s/chunk";
  return field.endsWith("WriteSeconds") ? "s/write" : "s/byte";
}

/** One line for a measurement: median and range. */
export function describeMeasurement(m: Measurement): string {
  return `${m.name.padEnd(34)} ${formatQuantity(m.median, m.unit)}  [${formatQuantity(m.min, m.unit)} .. ${formatQuantity(m.max, m.unit)}], n=${m.runs}`;
}

/** The parameters, then the measurements, then the conditions: what `workbook calibrate` prints. */
export function describeCalibration(result: CalibrationResult): string[] {
  const c = result.conditions;
  const params = result.parameters;
  return [
    `calibration (${c.plan.name}) on ${c.cpuCount} x ${c.cpuModel}, ${c.kernel}, node ${c.nodeVersion}, ${c.elapsedSeconds.toFixed(1)} s, load average ${c.loadAverage[0]} -> ${c.loadAverageEnd[0]}`,
    "parameters:",
    ...(Object.keys(PARAMETER_UNITS) as ScalarParameter[]).map((k) => `  ${k.padEnd(38)} ${formatQuantity(params[k], PARAMETER_UNITS[k])}`),
    ...(["twoCores", "oneCore"] as const).flatMap((placement) =>
      PLACEMENT_FIELDS.map((f) => `  ${`${placement}.${f}`.padEnd(38)} ${formatQuantity(params[placement][f], placementUnit(f))}`),
    ),
    `  ${"runOverheadSeconds".padEnd(38)} ${Object.entries(params.runOverheadSeconds).map(([p, s]) => `${p} ${formatQuantity(s, "s")}`).join(", ")} (per run)`,
    `  ${"freshStream".padEnd(38)} ${params.freshStream.map((p) => `${(p.bytes / MiB).toFixed(0)} MiB: ${(p.seconds * 1000).toFixed(1)} ms wall, ${(p.cpuSeconds * 1000).toFixed(1)} ms CPU`).join("; ")} (a new process's first stream pass)`,
    `  ${"freshHeap".padEnd(38)} ${params.freshHeap.map((p) => `${(p.bytes / MiB).toFixed(0)} MiB: ${p.faults} faults, ${(p.cpuSeconds * 1000).toFixed(1)} ms`).join("; ")} (a fresh process)`,
    "measurements (median [min .. max]):",
    ...result.measurements.map((m) => `  ${describeMeasurement(m)}`),
    `background: other processes kept ${c.background.backgroundThreads.toFixed(2)} cores busy on average during the calibration`,
    ...(Math.max(c.loadAverage[0], c.loadAverageEnd[0]) > 1.5 || c.background.backgroundThreads > 0.3
      ? ["warning: the cores were shared (load average > 1.5 or background > 0.3 cores): costs come out inflated; rerun on a quieter machine"]
      : []),
  ];
}
