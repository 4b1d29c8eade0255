// The copy-path experiment (theory only): the model's counters and step figures, as notebook 1 shows them.
import { modelTransfer, pathSteps, TransferCounts } from "../../model/transfer-model";
import { copyCountsFigure, dataPathStepsFigure } from "../../figures/copy-path";
import { Experiment } from "../experiment";
import { MiB } from "../../units/sizes";

const PATHS = ["read-write", "mmap-write", "sendfile", "sendfile-sg", "splice"] as const;

/** Result record of the copy-path model run: counters per path, single call and 4 KiB chunks. */
export interface CopyPathResult {
  bytes: number;
  chunk: number;
  single: TransferCounts[];
  chunked: TransferCounts[];
}

/** Runs the model for every serving path at `bytes`; the experiment and tests call it. */
export function runCopyPathModel(bytes = 64 * MiB, chunk = 4096): CopyPathResult {
  return {
    bytes,
    chunk,
    single: PATHS.map((p) => modelTransfer(p, bytes)),
    chunked: PATHS.map((p) => modelTransfer(p, bytes, p === "read-write" || p === "mmap-write" ? chunk : bytes)),
  };
}

export const copyPathExperiment: Experiment<CopyPathResult> = {
  name: "copy-path",
  title: "1. The copy path (model)",
  diskBytes: () => 0,
  async run(ctx) {
    ctx.progress(0, "model");
    const result = runCopyPathModel();
    ctx.progress(1, "model");
    return result;
  },
  sections: (result) => [
    {
      title: "1. The copy path (model)",
      text:
        "Where the bytes go on each data path, from the model's step tables: read+write copies twice with the CPU and " +
        "switches mode four times; sendfile copies once and switches twice; with scatter-gather DMA the CPU copies nothing.",
      figures: [
        dataPathStepsFigure(pathSteps("read-write")),
        dataPathStepsFigure(pathSteps("sendfile")),
        copyCountsFigure(result.single),
        copyCountsFigure(result.chunked, `copy loops in ${result.chunk}-byte calls`),
      ],
    },
  ],
};
