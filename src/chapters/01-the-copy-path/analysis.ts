// Chapter 1's model runs: ByteByteGo's steps beside the model's step tables, the work each serving path does per
// call, and its counters for one transfer, as one call and in the copy loops' chunks.
import { modelTransfer, pathSteps, PathSteps, Step, TransferCounts } from "../../model/transfer-model";
import type { PathName, Place } from "../../model/vocabulary";
import { POST_STEPS, PostPlace, PostStep } from "../../reference/bytebytego-post";
import type { CopyPathPlan } from "./plan";

/** The ways the model can serve a file, in the order the chapter compares them. */
export const COPY_PATHS = ["read-write", "mmap-write", "sendfile", "sendfile-sg", "splice"] as const;
export type CopyPath = (typeof COPY_PATHS)[number];

/** The model's path for each part of the post's diagram; part 3 has two: the post's drawing needs a NIC that gathers. */
export const POST_PART_PATHS: Record<PostStep["part"], PathName[]> = {
  1: ["recv-write"],
  2: ["read-write"],
  3: ["sendfile-sg", "sendfile"],
};

/** The model's name for each of the post's places. The producer and the consumer stand beyond the wire. */
export const POST_PLACE_IN_MODEL: Record<PostPlace, Place> = {
  producer: "network",
  "Kafka application": "user buffer",
  "OS cache": "page cache",
  disk: "disk",
  "socket buffer": "socket buffer",
  "network card": "NIC",
  consumer: "network",
};

/** Steps that move bytes (or hand descriptors on). Mode switches are the IBM article's layer, not the post's steps. */
function moves(step: Step): boolean {
  return step.kind === "copy" || step.kind === "wire";
}

/** How one of the post's steps reads in one of the model's paths. */
export interface PostStepInModel {
  label: string;
  path: PathName;
  /** The byte moves the model numbers with this label, in order ("dma disk → page cache"). */
  moves: string[];
  /** Whether those moves take the bytes from the post's `from` to its `to`, one after the other. */
  matches: boolean;
}

/** True when the labelled moves chain from the post's place to its place: a → b, b → c, ..., ending at the target. */
export function chainMatches(post: PostStep, steps: Step[]): boolean {
  const chain = steps.filter((s) => s.seedStep === post.label && moves(s));
  if (chain.length === 0) return false;
  let at: Place = POST_PLACE_IN_MODEL[post.from];
  for (const step of chain) {
    if (step.from !== at) return false;
    at = step.to;
  }
  return at === POST_PLACE_IN_MODEL[post.to];
}

/** Every post step in every model path of its part. */
export function postStepsInModel(tables: PathSteps[]): PostStepInModel[] {
  return POST_STEPS.flatMap((post) =>
    POST_PART_PATHS[post.part].map((path) => {
      const table = tables.find((t) => t.path === path);
      const steps = table ? [...table.setup, ...table.perChunk] : [];
      return {
        label: post.label,
        path,
        moves: steps.filter((s) => s.seedStep === post.label && moves(s)).map((s) => `${s.actor.toUpperCase()} ${s.from} → ${s.to}`),
        matches: chainMatches(post, steps),
      };
    }),
  );
}

/** What one pass of a path's loop does (one read + write, one sendfile, two splices, one write of a mapping). */
export interface PerCallWork {
  path: CopyPath;
  cpuCopies: number;
  dmaCopies: number;
  descriptors: number;
  modeSwitches: number;
  syscalls: number;
}

/** The per-call work of a path, counted from its step table (setup steps, such as mmap's, apart). */
export function perCallWork(path: CopyPath): PerCallWork {
  const steps = pathSteps(path).perChunk;
  const count = (f: (s: Step) => boolean) => steps.filter(f).length;
  return {
    path,
    cpuCopies: count((s) => s.kind === "copy" && s.actor === "cpu"),
    dmaCopies: count((s) => s.kind === "copy" && s.actor === "dma"),
    descriptors: count((s) => s.kind === "descriptor"),
    modeSwitches: count((s) => s.kind === "to-kernel" || s.kind === "to-user"),
    syscalls: count((s) => s.kind === "to-kernel"),
  };
}

/** Result record of the copy-path model run. */
export interface CopyPathResult {
  bytes: number;
  chunk: number;
  /** Counters with the largest call each path allows. */
  single: TransferCounts[];
  /** Counters with the copy loops in `chunk`-byte calls (the zero-copy paths keep their largest call). */
  chunked: TransferCounts[];
  /** What one call of each path does. */
  perCall: PerCallWork[];
  /** The step tables the post's diagram is drawn from: recv-write (1.x), read-write (2.x), sendfile-sg and sendfile (3.x). */
  steps: PathSteps[];
  /** The post's steps as the model's tables carry them. */
  postSteps: PostStepInModel[];
}

/** Runs the model for every serving path at the plan's size; notebook 1 and the report call it. */
export function runCopyPathModel(plan: CopyPathPlan): CopyPathResult {
  const { bytes, chunk } = plan;
  const steps = (["recv-write", "read-write", "sendfile-sg", "sendfile"] as const).map((p) => pathSteps(p));
  return {
    bytes,
    chunk,
    single: COPY_PATHS.map((p) => modelTransfer(p, bytes)),
    chunked: COPY_PATHS.map((p) => modelTransfer(p, bytes, p === "read-write" || p === "mmap-write" ? chunk : bytes)),
    perCall: COPY_PATHS.map(perCallWork),
    steps,
    postSteps: postStepsInModel(steps),
  };
}

/** The result for one path, by name. */
export function countsOf(records: TransferCounts[], path: CopyPath): TransferCounts {
  const found = records.find((r) => r.path === path);
  if (!found) throw new RangeError(`no counters for ${path}`);
  return found;
}

/** The step table of one path, by name. */
export function stepsOf(result: CopyPathResult, path: PathName): PathSteps {
  const found = result.steps.find((s) => s.path === path);
  if (!found) throw new RangeError(`chapter 1 has no step table for ${path}`);
  return found;
}
