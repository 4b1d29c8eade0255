// `workbook predict`: the transfer experiment beside the cost model. Runs every path at each size (reality), and
// predicts the same rows from the saved machine profile (theory), measuring the profile first if there is none.
import * as path from "path";
import { Command, UsageError } from "../command";
import { parseOptions, sizeOption, integerOption, choiceOption, listOption } from "../options";
import { MiB, formatBytes } from "../../units/sizes";
import { profileForModel } from "../../calibration/profile-source";
import type { MachineProfile } from "../../calibration/profile-record";
import { runTransferBatch, batchRows, TransferBatch } from "../../calibration/transfer-batch";
import { residual, TransferRow } from "../../calibration/transfer-rows";
import { CACHE_STATES } from "../../vocabulary/transfer";


/** What `--json` prints. */
export interface PredictOutput {
  profile: { name: string; measuredAt: string; file: string; parameters: MachineProfile["parameters"] };
  conditions: { sizes: number[]; runs: number; cache: string; chunk: number; quietModel: boolean; experiments: { bytes: number; loadAverage: number[]; backgroundCores: number; freeCores: number }[] };
  rows: TransferRow[];
}

/** Reads "--sizes 16MiB,64MiB" into byte counts; a bad entry is a UsageError naming it. */
function sizesOption(value: string | undefined): number[] | undefined {
  if (value === undefined) return undefined;
  const sizes = listOption(value, "sizes")!.map((s) => sizeOption(s, "sizes")!);
  if (sizes.some((s) => s < 1)) throw new UsageError(`--sizes must list sizes of at least 1 byte, got "${value}"`);
  return sizes;
}

/** "0.412 / 0.390 +6%": predicted / measured and the residual. */
function pair(predicted: number, measured: number, digits: number): string {
  const r = residual(predicted, measured);
  return `${predicted.toFixed(digits)} / ${measured.toFixed(digits)} ${r >= 0 ? "+" : ""}${(r * 100).toFixed(0)}%`;
}

/** The rows as a table: model / measurement for each judged figure. */
export function predictTable(output: PredictOutput): string[] {
  const head = ["size", "path", "wall s: model / measured", "sender CPU-s/GiB", "syscalls/GiB", "bottleneck"];
  const body = output.rows.map((r) => [
    formatBytes(r.bytes),
    r.path,
    pair(r.predicted.wallSeconds, r.measured.wallSeconds, 3),
    pair(r.predicted.senderCpuSecondsPerGiB, r.measured.senderCpuSecondsPerGiB, 3),
    pair(r.predicted.syscallsPerGiB, r.measured.syscallsPerGiB, 0),
    r.bottleneck,
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => (i < 2 || i === 5 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join("  ");
  const c = output.conditions;
  return [
    `profile "${output.profile.name}", measured ${output.profile.measuredAt} (${output.profile.file})`,
    `transfer experiment: ${c.runs} runs per path, cache ${c.cache}, chunk ${formatBytes(c.chunk)}; medians; residual = model / measured - 1`,
    line(head),
    ...body.map(line),
    ...c.experiments.map(
      (e) => `${formatBytes(e.bytes)}: load ${e.loadAverage[0]}, other processes kept ${e.backgroundCores.toFixed(2)} cores busy; model assumed ${e.freeCores.toFixed(2)} free cores`,
    ),
  ];
}


export const command: Command = {
  name: "predict",
  summary: "the transfer experiment beside the cost model, predicted from the saved machine profile (calibrates first if there is none)",
  usage: "workbook predict [--quick] [--json] [--sizes <16MiB,64MiB,256MiB>] [--runs <7>] [--cache <warm|cold>] [--chunk <64KiB>] [--quiet-model] [--dir <d>]",
  async run(argv, io) {
    const { values } = parseOptions(argv, {
      quick: { type: "boolean" },
      json: { type: "boolean" },
      sizes: { type: "string" },
      runs: { type: "string" },
      cache: { type: "string" },
      chunk: { type: "string" },
      "quiet-model": { type: "boolean" },
      dir: { type: "string", path: "existing-dir" },
    });
    const quick = values.quick ?? false;
    const sizes = sizesOption(values.sizes) ?? (quick ? [16 * MiB, 64 * MiB] : [16 * MiB, 64 * MiB, 256 * MiB]);
    const runs = integerOption(values.runs, "runs", 1, 1000) ?? (quick ? 3 : 7);
    const cache = choiceOption(values.cache, "cache", CACHE_STATES) ?? "warm";
    const chunk = sizeOption(values.chunk, "chunk") ?? 64 * 1024;
    if (chunk < 1) throw new UsageError(`--chunk must be at least 1 byte, got "${values.chunk}"`);
    const say = (s: string) => io.isTTY && !values.json && io.err(`predict: ${s}`);
    const { profile, file } = await profileForModel({ quick, dir: values.dir, onProgress: say });
    const batch: TransferBatch = await runTransferBatch({ sizes, runs, chunk, cache, dir: values.dir, onProgress: say });
    const quietModel = values["quiet-model"] ?? false;
    const output: PredictOutput = {
      profile: { name: profile.name, measuredAt: profile.measuredAt, file: path.relative(process.cwd(), file) || file, parameters: profile.parameters },
      conditions: {
        sizes,
        runs,
        cache,
        chunk,
        quietModel,
        experiments: batch.experiments.map((e) => ({
          bytes: e.result.conditions.bytes,
          loadAverage: e.result.conditions.loadAverage,
          backgroundCores: e.background.backgroundThreads,
          freeCores: quietModel ? 2 : e.freeCores,
        })),
      },
      rows: batchRows(profile.parameters, batch, quietModel),
    };
    io.out(values.json ? JSON.stringify(output, null, 2) : predictTable(output).join("\n"));
    return 0;
  },
};
