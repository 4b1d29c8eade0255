// `workbook model`: the counters of one data path, from the WebAssembly model.
import { Command, UsageError } from "../command";
import { parseOptions, sizeOption, choiceOption } from "../options";
import { modelTransfer } from "../../model/transfer-model";
import { PATHS } from "../../model/vocabulary";
import { formatBytes } from "../../units/sizes";

export const command: Command = {
  name: "model",
  summary: "count copies, mode switches and syscalls of one data path (theory)",
  usage: `workbook model --path <${PATHS.join("|")}> --bytes <size> [--chunk <size>] [--json]`,
  async run(argv, io) {
    const { values } = parseOptions(argv, {
      path: { type: "string" },
      bytes: { type: "string" },
      chunk: { type: "string" },
      json: { type: "boolean" },
    });
    const path = choiceOption(values.path, "path", PATHS);
    const bytes = sizeOption(values.bytes, "bytes");
    if (!path) throw new UsageError("--path is required");
    if (bytes === undefined) throw new UsageError("--bytes is required");
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
