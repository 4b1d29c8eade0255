// Reading a result folder back (`workbook compare`): run.json must be the record `workbook run` writes, with the
// fields compare shows. Well-formed JSON of another shape gets one line naming the first thing missing.
import * as fs from "fs";
import * as path from "path";
import type { RunRecord } from "./run-workbook";

/** The fields of run.json that compare reads, with the type each must have. */
const ENVIRONMENT_FIELDS = { hostname: "string", cpuCount: "number", cpuModel: "string", kernel: "string", nodeVersion: "string", timestamp: "string" } as const;

/** The type of a JSON value as a reader says it: "an array", "null", "a number". */
function describe(value: unknown): string {
  if (value === undefined) return "nothing";
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  return typeof value === "object" ? "an object" : `a ${typeof value}`;
}

/** The first way `value` differs from a run record, as "has no summary (an array of rows)", or undefined. */
export function runRecordProblem(value: unknown): string | undefined {
  if (value === null || typeof value !== "object" || Array.isArray(value)) return `is ${describe(value)}, not a run record (an object)`;
  const record = value as Record<string, unknown>;
  const env = record.environment as Record<string, unknown> | undefined;
  if (env === null || typeof env !== "object" || Array.isArray(env)) return `has no "environment" (an object), found ${describe(env)}`;
  for (const [field, type] of Object.entries(ENVIRONMENT_FIELDS)) {
    if (typeof env[field] !== type) return `has no "environment.${field}" (a ${type}), found ${describe(env[field])}`;
  }
  if (typeof record.scale !== "string") return `has no "scale" (a string), found ${describe(record.scale)}`;
  if (!Array.isArray(record.summary)) return `has no "summary" (an array of rows), found ${describe(record.summary)}`;
  for (const [i, row] of (record.summary as unknown[]).entries()) {
    if (row === null || typeof row !== "object" || typeof (row as { path?: unknown }).path !== "string") return `has a "summary[${i}]" without a "path" (a string)`;
    for (const field of ["medianSeconds", "cpuSecondsPerGiB"]) {
      const v = (row as Record<string, unknown>)[field];
      if (v !== undefined && typeof v !== "number") return `has a "summary[${i}].${field}" that is ${describe(v)}, not a number`;
    }
  }
  return undefined;
}

/** Reads dir/run.json, or throws one line (a RangeError: bad input) saying what the folder should hold. */
export function readRunRecord(dir: string): RunRecord {
  const file = path.join(dir, "run.json");
  const hint = "give two folders written by `workbook run` (results/<timestamp>)";
  if (!fs.existsSync(file)) throw new RangeError(`${dir} holds no run.json: ${hint}`);
  let value: unknown;
  try {
    value = JSON.parse(fs.readFileSync(file, "utf8"));
  } catch {
    throw new RangeError(`${file} is not valid JSON: was the run interrupted while writing it?`);
  }
  const problem = runRecordProblem(value);
  if (problem) throw new RangeError(`${file} ${problem}: ${hint}`);
  return value as RunRecord;
}
