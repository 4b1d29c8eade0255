// `workbook model`: the counters of one data path, or its step table, from the WebAssembly model.
import { Command, UsageError } from "../command";
import { parseOptions, sizeOption, choiceOption } from "../options";
import { modelTransfer, pathSteps, Step } from "../../model/transfer-model";
import { PATHS } from "../../model/vocabulary";
import { formatBytes } from "../../units/sizes";

/** One step as `--steps --json` prints it: the post's number ("" where the post has none) and who moves the bytes. */
export interface StepRow {
  seedStep: string;
  actor: Step["actor"];
  from: Step["from"];
  to: Step["to"];
  mode: Step["mode"];
  description: string;
}

/** The printed form of one step, in the JSON's key order. */
function stepRow(s: Step): StepRow {
  return { seedStep: s.seedStep, actor: s.actor, from: s.from, to: s.to, mode: s.mode, description: s.description };
}

/** The step table as aligned text: the post's number, who, from, to, mode, what happens. */
function stepLines(path: string, setup: Step[], perChunk: Step[]): string[] {
  const header = ["post", "who", "from", "to", "mode", "what happens"];
  const rows = (steps: Step[]) => steps.map((s) => [s.seedStep || "-", s.actor, s.from, s.to, s.mode, s.description]);
  const all = [...rows(setup), ...rows(perChunk)];
  const widths = header.slice(0, -1).map((h, i) => Math.max(h.length, ...all.map((r) => r[i].length)));
  const line = (r: string[]) => [...r.slice(0, -1).map((c, i) => c.padEnd(widths[i])), r[r.length - 1]].join("  ");
  const lines = [
    `${path}: the model's step table. "post" is the step's number in ByteByteGo's "Why is Kafka fast?" (- = not numbered there)`,
    line(header),
  ];
  if (setup.length) lines.push("once per transfer:", ...rows(setup).map(line), "then for every call:");
  lines.push(...rows(perChunk).map(line));
  return lines;
}

export const command: Command = {
  name: "model",
  summary: "count copies, mode switches and syscalls of one data path, or print its steps (theory)",
  usage: `workbook model --path <${PATHS.join("|")}> (--bytes <size> [--chunk <size>] | --steps) [--json]`,
  async run(argv, io) {
    const { values } = parseOptions(argv, {
      path: { type: "string" },
      bytes: { type: "string" },
      chunk: { type: "string" },
      steps: { type: "boolean" },
      json: { type: "boolean" },
    });
    const path = choiceOption(values.path, "path", PATHS);
    if (!path) throw new UsageError("--path is required");
    if (values.steps) {
      if (values.bytes !== undefined || values.chunk !== undefined) {
        throw new UsageError("--steps prints the path's step table, which does not depend on sizes: drop --bytes and --chunk");
      }
      const { setup, perChunk } = pathSteps(path);
      if (values.json) io.out(JSON.stringify([...setup, ...perChunk].map(stepRow), null, 2));
      else for (const line of stepLines(path, setup, perChunk)) io.out(line);
      return 0;
    }
    const bytes = sizeOption(values.bytes, "bytes");
    if (bytes === undefined) throw new UsageError("--bytes is required (or --steps for the step table)");
    const chunk = sizeOption(values.chunk, "chunk");
    const counts = modelTransfer(path, bytes, chunk);
    if (values.json) {
      io.out(JSON.stringify(counts, null, 2));
    } else {
      io.out(`${counts.path}: ${formatBytes(counts.bytes)} in ${counts.chunks} call(s) of up to ${formatBytes(Math.min(counts.chunk, counts.bytes))}`);
      io.out(`  CPU copies     ${counts.cpuCopies}  (${formatBytes(counts.cpuBytes)} copied by the CPU)`);
      io.out(`  DMA copies     ${counts.dmaCopies}  (${formatBytes(counts.dmaBytes)} moved by DMA)`);
      io.out(`  descriptors    ${counts.descriptors}`);
      io.out(`  mode switches  ${counts.modeSwitches}`);
      io.out(`  syscalls       ${counts.syscalls}`);
    }
    return 0;
  },
};
