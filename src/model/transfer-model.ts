// The typed facade over the WebAssembly data-path model: validated inputs, plain result records out.
import { loadModel } from "./wasm";
import { requireBytes, requireChoice } from "./arguments";
import { PATHS, PathName, PLACES, Place, ACTORS, Actor, STEP_KINDS, StepKind, COUNTERS, MAX_RW_COUNT } from "./vocabulary";

/** What one transfer costs in the model: the counters of assembly/transfer.ts, plus its inputs. */
export interface TransferCounts {
  path: PathName;
  bytes: number;
  chunk: number;
  cpuCopies: number;
  dmaCopies: number;
  modeSwitches: number;
  syscalls: number;
  cpuBytes: number;
  dmaBytes: number;
  descriptors: number;
  chunks: number;
}

/** One step of a data path, as a notebook animates it. */
export interface Step {
  kind: StepKind;
  actor: Actor;
  from: Place;
  to: Place;
  /** The seed diagram's step label ("2.1" ... "3.3"), or null where the seed does not draw this path. */
  seedStep: string | null;
}

/** A path's steps: those run once per transfer, then those repeated for every chunk. */
export interface PathSteps {
  path: PathName;
  setup: Step[];
  perChunk: Step[];
}

/** Counts copies, mode switches and syscalls for moving `bytes` along `path` in calls of `chunk` bytes. */
export function modelTransfer(path: PathName, bytes: number, chunk: number = Math.min(bytes, MAX_RW_COUNT)): TransferCounts {
  const id = requireChoice("path", path, PATHS);
  requireBytes("bytes", bytes);
  requireBytes("chunk", chunk);
  const model = loadModel();
  const status = model.simulateTransfer(id, bytes, chunk);
  if (status !== 0) throw new Error(`model rejected the transfer (status ${status})`);
  const record = { path, bytes, chunk } as TransferCounts;
  COUNTERS.forEach((name, slot) => {
    record[name] = model.counter(slot);
  });
  return record;
}

/** Reads one phase of a path's step table out of the model; called by pathSteps(). */
function readSteps(pathId: number, phase: number): Step[] {
  const model = loadModel();
  const steps: Step[] = [];
  for (let i = 0; i < model.stepCount(pathId, phase); i++) {
    const field = (f: number) => model.stepField(pathId, phase, i, f);
    const seed = field(4);
    steps.push({
      kind: STEP_KINDS[field(0)],
      actor: ACTORS[field(1)],
      from: PLACES[field(2)],
      to: PLACES[field(3)],
      seedStep: seed ? `${Math.floor(seed / 10)}.${seed % 10}` : null,
    });
  }
  return steps;
}

/** The ordered steps of a path, straight from the model's tables; notebooks animate these. */
export function pathSteps(path: PathName): PathSteps {
  const id = requireChoice("path", path, PATHS);
  return { path, setup: readSteps(id, 0), perChunk: readSteps(id, 1) };
}
