// `workbook disk`: sequential vs random, small vs large blocks, buffered vs O_DIRECT, fsync none/end/each;
// prints IOPS and MiB/s medians with min-max (or the whole result as JSON).
import { Command } from "../command";
import { parseOptions, sizeOption, integerOption, choiceOption, listOption } from "../options";
import { formatBytes } from "../../units/sizes";
import { runDiskExperiment } from "../../experiments/disk-experiment";
import { FSYNC_MODES, DiskResult } from "../../experiments/disk-records";
import { progressBar } from "./transfer";

/** The result as a table, one row per case. */
export function diskTable(result: DiskResult): string[] {
  const c = result.conditions;
  const head = ["op", "pattern", "io", "block", "fsync", "ops", "IOPS", "MiB/s (min-max)"];
  const rows = result.cases.map((k) => [
    k.op,
    k.pattern,
    k.io,
    formatBytes(k.block),
    k.op === "read" ? "-" : k.fsync,
    String(k.ops),
    k.iops.median.toFixed(0),
    `${k.mibps.median.toFixed(1)} (${k.mibps.min.toFixed(1)}-${k.mibps.max.toFixed(1)})`,
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => cells.map((cell, i) => (i < 5 ? cell.padEnd(widths[i]) : cell.padStart(widths[i]))).join("  ");
  return [
    `${formatBytes(c.fileBytes)} file on ${c.filesystem} (${c.scratchDir}), medians of n=${c.runs}; reads start with a cold cache (0 pages resident)`,
    line(head),
    ...rows.map(line),
    ...result.skipped.map((s) => `skipped ${s.op} ${s.pattern} ${s.io} ${formatBytes(s.block)}: ${s.reason}`),
    `${c.cpuCount} CPUs, ${c.kernel}, Node ${c.nodeVersion}, load ${c.loadAverage.join(" ")} at start`,
  ];
}

/** Reads --block: one size or a comma-separated list ("4KiB,1MiB"). */
function blocksOption(value: string | undefined): number[] | undefined {
  return listOption(value, "block")?.map((v) => sizeOption(v, "block")!);
}

export const command: Command = {
  name: "disk",
  summary: "sequential vs random reads/writes, buffered vs O_DIRECT, fsync none/end/each: IOPS and MiB/s (reality)",
  usage: "workbook disk [--file-size <size>] [--block <size>[,...]] [--runs n] [--max-ops n] [--fsync none|end|each[,...]] [--dir <d>] [--out <f.json>] [--json]",
  async run(argv, io) {
    const { values } = parseOptions(argv, {
      "file-size": { type: "string" },
      block: { type: "string" },
      runs: { type: "string" },
      "max-ops": { type: "string" },
      fsync: { type: "string" },
      dir: { type: "string", path: "existing-dir" },
      out: { type: "string", path: "output-file" },
      json: { type: "boolean" },
    });
    const bar = progressBar(io, "disk");
    try {
      const result = await runDiskExperiment({
        fileBytes: sizeOption(values["file-size"], "file-size"),
        blocks: blocksOption(values.block),
        runs: integerOption(values.runs, "runs", 1, 100),
        maxOps: integerOption(values["max-ops"], "max-ops", 1, 1e7),
        fsync: listOption(values.fsync, "fsync")?.map((f) => choiceOption(f, "fsync", FSYNC_MODES)!),
        dir: values.dir,
        out: values.out,
        onProgress: (p) => bar.update(p.done, p.total, p.label),
      });
      bar.clear();
      io.out(values.json ? JSON.stringify(result, null, 2) : diskTable(result).join("\n"));
      return 0;
    } catch (error) {
      bar.clear();
      throw error;
    }
  },
};
