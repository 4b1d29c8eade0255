// Chapter 6 in `workbook run` and in its notebook: the broker killed while producing and recovered, one log fanned
// out to C consumers by sendfile and by read+write, and the same fan-out through shaped links (when the machine
// can make them), with the machine profile the model lines are drawn from.
import type { Step } from "../chapter";
import { runBrokerCrash } from "../../experiments/broker-crash";
import { runBrokerFanout } from "../../experiments/broker-fanout";
import { runBrokerFanoutOverLinks } from "../../experiments/broker-link-fanout";
import { missingForLink } from "../../link/preconditions";
import { YIELD_EVERY_BYTES } from "../../kafka/broker/response-sender";
import { BROKER_DEFAULTS } from "../../kafka/broker/broker-config";
import { profileForModel, profileLabel } from "../../calibration/profile-source";
import { MiB } from "../../units/sizes";
import { PLANS, KafkaBrokerPlan } from "./plan";
import { KafkaBrokerStudy, analyzeKafkaBroker } from "./analysis";
import { diskReadsFigure, brokerCpuFigure, brokerSyscallsFigure, linkThroughputFigure, linkCpuFigure, linkCoresFigure, dataFolderTable, readBackTable, firstBatchTable, fanoutTable, linkTable } from "./figures";
import { chapterClaims, CHAPTER } from "./claims";
import { crashMarkdown, fanoutMarkdown, linkMarkdown } from "./prose";
import type { Block } from "../../plot/block";

/** One line saying what the machine lacks for the link section (root, ip, tc), or null when it has it all. */
export function linkUnavailable(): string | null {
  const missing = missingForLink();
  return missing.length === 0 ? null : `it needs ${missing.join(" and ")} to make its links (network namespaces shaped with tc); run it as root (sudo) with iproute2 installed`;
}

/** Where the run is: 0..1 and a short label. */
export type Progress = (fraction: number, label: string) => void;

/** Runs chapter 6's experiments on a plan; large files go under `scratchParent` (default: the temporary folder). */
export async function runKafkaBrokerChapter(plan: KafkaBrokerPlan, onProgress: Progress = () => undefined, scratchParent?: string): Promise<KafkaBrokerStudy> {
  const source = await profileForModel({ quick: plan.calibration === "quick", onProgress: (line) => onProgress(0, line) });
  onProgress(0.02, "the crash: produce with acks=-1, SIGKILL, recover, read back");
  const crash = await runBrokerCrash({ ...plan.crash, scratchParent, onProgress: (line) => onProgress(0.05, line) });
  let done = 0;
  // The experiments report one line per run, not a fraction: show the count, creeping towards the next stage.
  const creep = (from: number, to: number) => (line: string) => onProgress(from + (to - from) * (1 - 1 / (1 + ++done / 8)), line);
  const fanout = await runBrokerFanout({ ...plan.fanout, repeats: plan.repeats, scratchParent, onProgress: creep(0.1, 0.6) });
  const linkSkipped = linkUnavailable();
  done = 0;
  const link = linkSkipped
    ? null
    : await runBrokerFanoutOverLinks({ ...plan.link, repeats: plan.repeats, segmentBytes: plan.fanout.segmentBytes, scratchParent, onProgress: creep(0.6, 1) });
  return {
    crash,
    fanout,
    link,
    linkSkipped,
    model: { parameters: source.profile.parameters, label: profileLabel(source.profile) },
    sending: { sendfileCallBytes: YIELD_EVERY_BYTES, chunkBytes: BROKER_DEFAULTS.readWriteChunkBytes },
  };
}

/** Disk the plan needs at most: the fan-out's log and tails, the links' copies of their log, the crash's log. */
function diskBytes(plan: KafkaBrokerPlan): number {
  const fanout = 1.2 * (plan.fanout.logBytes + plan.fanout.tailBytes * plan.fanout.consumers.length * 2 * plan.repeats);
  const copies = (plan.link.rates.length + 1) * 2 + 1;
  return fanout + 1.2 * copies * plan.link.logBytes + 64 * MiB;
}

export const brokerChapter: Step<KafkaBrokerPlan, KafkaBrokerStudy> = {
  name: "broker",
  title: CHAPTER,
  plans: PLANS,
  diskBytes,
  run: (plan, ctx) => runKafkaBrokerChapter(plan, ctx.progress, ctx.tmpDir),
  sections(study) {
    const a = analyzeKafkaBroker(study);
    const f = study.fanout.conditions;
    const figure = (x: ReturnType<typeof linkCpuFigure>): Block[] => (x ? [{ kind: "figure", figure: x }] : []);
    const link = linkTable(a);
    return [
      {
        title: CHAPTER,
        text:
          "A broker that keeps Kafka's on-disk format and speaks Kafka's wire protocol (src/kafka/), killed with SIGKILL while producing with acks=-1 and recovered; " +
          "the workbook's consumer and kcat read the log back.",
        blocks: [
          { kind: "markdown", markdown: crashMarkdown(a) },
          { kind: "table", table: readBackTable(a) },
          { kind: "table", table: dataFolderTable(a) },
          { kind: "details", summary: "The first batch of a segment, field by field", table: firstBatchTable(a) },
        ],
        figures: [],
      },
      {
        title: "6. One log, C consumers",
        text: `One log served to C consumers at once, by sendfile or by read+write, from a cold and a warm page cache, and to consumers following the producers. Load ${f.machine.loadAverage[0]} at the start, ${f.repeats} repeats.`,
        blocks: [
          { kind: "markdown", markdown: fanoutMarkdown(a) },
          { kind: "figure", figure: diskReadsFigure(a) },
          { kind: "figure", figure: brokerCpuFigure(a) },
          { kind: "figure", figure: brokerSyscallsFigure(a) },
          { kind: "details", summary: "Every condition of the fan-out", table: fanoutTable(a) },
        ],
        figures: [],
        pre: f.notes.join("\n"),
      },
      {
        title: "6. The broker through a shaped link",
        text: "The same catch-up with the broker and its consumers inside a network namespace whose loopback tc shapes to a rate, and an unshaped one.",
        blocks: [
          { kind: "markdown", markdown: linkMarkdown(a) },
          ...figure(linkThroughputFigure(a)),
          ...figure(linkCpuFigure(a)),
          ...figure(linkCoresFigure(a)),
          ...(link ? [{ kind: "details" as const, summary: "Every serving mode through every link", table: link }] : []),
        ],
        figures: [],
        pre: study.link ? study.link.conditions.notes.join("\n") : undefined,
      },
    ];
  },
  verdict: chapterClaims,
};
