// The report's chapter 1: the model's counters and step-by-step figures, the same builders notebook 1 uses.
import { modelTransfer, pathSteps, TransferCounts } from "../model/transfer-model";
import { copyCountsFigure, dataPathStepsFigure } from "../figures/copy-path";
import { ReportSection } from "./page";

const PATHS = ["read-write", "mmap-write", "sendfile", "sendfile-sg", "splice"] as const;

/** Result record of the copy-path model run: counters per path, single call and 4 KiB chunks. */
export interface CopyPathResult {
  bytes: number;
  single: TransferCounts[];
  chunked: TransferCounts[];
}

/** Runs the model for every serving path at `bytes`; called by `workbook run`. */
export function runCopyPathModel(bytes = 64 * 2 ** 20, chunk = 4096): CopyPathResult {
  return {
    bytes,
    single: PATHS.map((p) => modelTransfer(p, bytes)),
    chunked: PATHS.map((p) => modelTransfer(p, bytes, p === "read-write" || p === "mmap-write" ? chunk : bytes)),
  };
}

/** The report section for a CopyPathResult. */
export function copyPathSection(result: CopyPathResult): ReportSection {
  return {
    title: "1. The copy path (model)",
    text:
      "Where the bytes go on each data path, from the model's step tables: read+write copies twice with the CPU and " +
      "switches mode four times; sendfile copies once and switches twice; with scatter-gather DMA the CPU copies nothing.",
    figures: [
      dataPathStepsFigure(pathSteps("read-write")),
      dataPathStepsFigure(pathSteps("sendfile")),
      copyCountsFigure(result.single),
      copyCountsFigure(result.chunked),
    ],
  };
}
