// Chapter 4 in `workbook run`: the model's disks and Kafka's RAID-5 claim beside this machine's disk experiment,
// with notebook 4's figures, claims and the machine's seek verdict.
import type { Step } from "../chapter";
import { formatBytes } from "../../units/sizes";
import { PLANS, DiskPlan } from "./plan";
import { runDiskChapter, DiskReport, directReadPair, directRandomPoints } from "./analysis";
import { profileThroughputFigure, randomReadBreakdownFigure, requestSizeFigure, kafkaArrayFigure, machineDiskFigure } from "./figures";
import { chapterClaims } from "./claims";
import { casesTable, profilesMarkdown, profilesTable, breakdownMarkdown, kafkaArrayMarkdown, machineModelMarkdown } from "./prose";
import { profileFor } from "../chapter-profile";

export const diskChapter: Step<DiskPlan, DiskReport> = {
  name: "disk",
  title: "4. Sequential vs random I/O (model and machine)",
  plans: PLANS,
  diskBytes: (plan) => plan.fileBytes,
  run: async (plan, ctx) => runDiskChapter(plan, await profileFor(ctx), { dir: ctx.tmpDir, onProgress: ctx.progress }),
  sections(r) {
    const c = r.measured.conditions;
    const where = `${formatBytes(c.fileBytes)} file on ${c.filesystem}, medians of ${c.runs}, O_DIRECT ${c.directSupported ? "supported" : "not supported"}`;
    return [
      {
        title: "4. Sequential vs random I/O: the model's disks",
        text:
          "Sequential (1 MiB requests) vs random 4 KiB reads on a 7200 rpm HDD, a SATA SSD, an NVMe SSD and this machine's disk as the " +
          `machine profile measured it (${r.machine.source}); where a random read's time goes; throughput vs request size.`,
        blocks: [
          { kind: "figure", figure: profileThroughputFigure(r.throughputs, directReadPair(r.measured)) },
          { kind: "markdown", markdown: profilesMarkdown(r.throughputs) },
          { kind: "details", summary: "The profiles' numbers", table: profilesTable(r.throughputs, r.machine.source) },
          { kind: "figure", figure: randomReadBreakdownFigure(r.breakdown) },
          { kind: "markdown", markdown: breakdownMarkdown(r.breakdown) },
          { kind: "figure", figure: requestSizeFigure(r.curves, directRandomPoints(r.measured)) },
        ],
        figures: [],
      },
      {
        title: "4. Sequential vs random I/O: Kafka's RAID-5 claim",
        text: "Kafka's design documentation quotes linear against random writes on six 7200 rpm disks in RAID-5; the model builds that array from its HDD profile.",
        blocks: [{ kind: "markdown", markdown: kafkaArrayMarkdown(r.array, r.array1k) }],
        figures: [kafkaArrayFigure(r.array)],
      },
      {
        title: "4. Sequential vs random I/O: this machine",
        text: `4 KiB reads and writes in order vs at shuffled offsets, buffered and O_DIRECT (${where}). Verdict: ${r.verdict.text}.`,
        blocks: [
          { kind: "figure", figure: machineDiskFigure(r.measured, r.prediction) },
          { kind: "markdown", markdown: machineModelMarkdown(r) },
          { kind: "details", summary: "Every measured case", table: casesTable(r.measured) },
        ],
        figures: [],
      },
    ];
  },
  verdict: chapterClaims,
};
