// `npm run bench:model-fit`: does the cost model fit this machine, and how much does the machine move by itself?
// Runs the transfer experiment in several batches at the default scale (16, 64 and 256 MiB, 7 runs per path,
// warm cache; the sizes rotated from batch to batch), predicts every row from the saved machine profile, and
// prints the fit table (src/calibration/fit-table.ts): per path and size the typical measured figure, the model's
// residual, and the row's own batch-to-batch spread, for wall time, sender CPU per GiB and system calls per GiB.
//
// usage: npm run bench:model-fit -- [--batches 5] [--sizes 16MiB,64MiB,256MiB] [--runs 7] [--quick]
//                                   [--recalibrate] [--quiet-model] [--reuse <saved.json> [--own-profile]]
//                                   [--out <file.json>] [--json]
//   --quick        2 batches of 16 and 64 MiB, 3 runs (a smoke test, not a measurement)
//   --recalibrate  measure a new profile first (else the saved one; measured if there is none)
//   --quiet-model  predict for two free cores whatever the background load was (default: the cores left free)
//   --reuse        re-predict saved batches with the current model and the saved profile instead of measuring
//                  (--own-profile: with the profile saved in that file)
import * as fs from "fs";
import { writeJsonFile } from "../files/write-file";
import * as path from "path";
import { parseArgs } from "util";
import { MiB, parseSize } from "../units/sizes";
import { machineConditions, MachineConditions } from "../experiments/conditions";
import { measureProfile } from "../calibration/profile";
import { loadProfile, saveProfile, profileFile } from "../calibration/profile-file";
import type { MachineProfile } from "../calibration/profile-record";
import { runTransferBatch, batchFit, TransferBatch } from "../calibration/transfer-batch";
import { describeFit, FitRow, FitSummary } from "../calibration/fit-table";
import { PARAMETER_NAMES } from "../model/cost/machine-profile";
import { repoRoot } from "../repo-root";

/** What the benchmark saves: the profile, every batch (raw results), and the table. */
export interface ModelFitResult {
  kind: "model-fit";
  conditions: MachineConditions & { batches: number; sizes: number[]; runs: number; loadAverageEnd: number[]; quietModel: boolean };
  profile: MachineProfile;
  batches: TransferBatch[];
  rows: FitRow[];
  summary: FitSummary | null;
}


/** Bad input: printed as one line, exit code 2. */
class UsageError extends Error {}

/** Reads "16MiB,64MiB" into byte counts; a bad entry is a UsageError naming it. */
function sizesOption(value: string | undefined): number[] | undefined {
  if (value === undefined) return undefined;
  return value.split(",").map((s) => {
    try {
      return parseSize(s.trim(), "--sizes");
    } catch (error) {
      throw new UsageError((error as Error).message);
    }
  });
}

/** Reads a whole-number option within [min, max]. */
function integerOption(value: string | undefined, flag: string, min: number, max: number): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < min || n > max) throw new UsageError(`--${flag} must be a whole number from ${min} to ${max}, got "${value}"`);
  return n;
}

/** The fit table of saved batches, re-predicted with `profile`. */
function fitOf(profile: MachineProfile, batches: readonly TransferBatch[], quietModel: boolean): { rows: FitRow[]; summary: FitSummary | null } {
  return batchFit(profile.parameters, batches, quietModel);
}

/** Prints the profile's parameters, one line. */
function describeProfile(profile: MachineProfile): string {
  const bg = profile.machine.background.backgroundThreads.toFixed(2);
  return `profile "${profile.name}" measured ${profile.measuredAt} (load ${profile.machine.loadAverage[0]}, background ${bg} cores): ` +
    PARAMETER_NAMES.map((n) => `${n}=${profile.parameters[n].toPrecision(3)}`).join(" ");
}

async function main(argv: string[]): Promise<number> {
  const options = {
    batches: { type: "string" },
    sizes: { type: "string" },
    runs: { type: "string" },
    quick: { type: "boolean" },
    recalibrate: { type: "boolean" },
    "quiet-model": { type: "boolean" },
    reuse: { type: "string" },
    "own-profile": { type: "boolean" },
    out: { type: "string" },
    json: { type: "boolean" },
  } as const;
  let values: ReturnType<typeof parseArgs<{ args: string[]; options: typeof options }>>["values"];
  try {
    values = parseArgs({ args: argv, options }).values;
  } catch (error) {
    throw new UsageError((error as Error).message.split("\n")[0]);
  }
  const quietModel = values["quiet-model"] ?? false;
  const log = (s: string) => process.stderr.write(`model-fit: ${s}\n`);
  if (values.reuse) {
    if (!fs.existsSync(values.reuse)) throw new UsageError(`--reuse: no such file ${values.reuse}`);
    const saved = JSON.parse(fs.readFileSync(values.reuse, "utf8")) as ModelFitResult;
    const profile = values["own-profile"] ? saved.profile : loadProfileOr(saved.profile);
    const fit = fitOf(profile, saved.batches, quietModel);
    print(values.json ?? false, { ...saved, profile, ...fit, conditions: { ...saved.conditions, quietModel } });
    return 0;
  }
  const batches = integerOption(values.batches, "batches", 1, 50) ?? (values.quick ? 2 : 5);
  const sizes = sizesOption(values.sizes) ?? (values.quick ? [16 * MiB, 64 * MiB] : [16 * MiB, 64 * MiB, 256 * MiB]);
  const runs = integerOption(values.runs, "runs", 1, 100) ?? (values.quick ? 3 : 7);
  const machine = machineConditions();
  let profile: MachineProfile;
  if (values.recalibrate || !fs.existsSync(profileFile())) {
    log("measuring the machine profile");
    profile = await measureProfile({ quick: values.quick });
    saveProfile(profile);
  } else {
    profile = loadProfile();
  }
  log(describeProfile(profile));
  const measured: TransferBatch[] = [];
  for (let b = 0; b < batches; b++) {
    // rotate the sizes, so no size always runs first (or right after the largest)
    const order = sizes.map((_, i) => sizes[(i + b) % sizes.length]);
    measured.push(await runTransferBatch({ sizes: order, runs, onProgress: (m) => log(`batch ${b + 1}/${batches}: ${m}`) }));
  }
  const fit = fitOf(profile, measured, quietModel);
  const result: ModelFitResult = {
    kind: "model-fit",
    conditions: { ...machine, batches, sizes, runs, loadAverageEnd: machineConditions().loadAverage, quietModel },
    profile,
    batches: measured,
    ...fit,
  };
  const out = values.out ?? path.join(repoRoot, "results", `model-fit-${machine.timestamp.replace(/[:.]/g, "-")}.json`);
  writeJsonFile(out, result, 0);
  print(values.json ?? false, result);
  log(`saved ${path.relative(process.cwd(), out) || out}`);
  return 0;
}

/** The saved profile when there is one, else the batches' own. */
function loadProfileOr(fallback: MachineProfile): MachineProfile {
  return fs.existsSync(profileFile()) ? loadProfile() : fallback;
}

/** The table (and load of each experiment), or the whole result as JSON. */
function print(json: boolean, result: ModelFitResult): void {
  if (json) {
    process.stdout.write(JSON.stringify(result, null, 1) + "\n");
    return;
  }
  const lines = [
    describeProfile(result.profile),
    `${result.batches.length} batches of ${result.conditions.sizes.map((s) => `${s / MiB} MiB`).join(", ")}, ${result.conditions.runs} runs per path, warm cache; ` +
      `model: ${result.conditions.quietModel ? "two free cores assumed" : "the cores other processes left free, per experiment"}`,
    ...result.batches.map((b, i) =>
      `batch ${i + 1}: ` + b.experiments.map((e) => `${e.result.conditions.bytes / MiB} MiB load ${e.result.conditions.loadAverage[0]}, background ${e.background.backgroundThreads.toFixed(2)} cores, free ${e.freeCores.toFixed(2)}`).join("; "),
    ),
    ...describeFit(result.rows),
  ];
  process.stdout.write(lines.join("\n") + "\n");
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: Error) => {
    process.stderr.write(`model-fit: ${error.message.split("\n")[0]}\n`);
    process.exit(error instanceof UsageError ? 2 : 1);
  },
);
