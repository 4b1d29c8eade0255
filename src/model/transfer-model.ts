// The typed facade over the WebAssembly data-path model: validated inputs, plain result records out.
import { loadModel } from "./wasm";
import { requireBytes, requireChoice } from "../units/arguments";
import {
  PATHS, PathName, PLACES, Place, ACTORS, Actor, STEP_KINDS, StepKind, MODES, Mode, CALLS, Call,
  COUNTERS,
} from "./vocabulary";
import { MAX_RW_COUNT, DEFAULT_PIPE_SIZE, PAGE_SIZE } from "../reference/linux";
import { describeStep } from "./step-description";
import { GiB } from "../units/sizes";

/** What one transfer costs in the model: the counters of assembly/transfer.ts, plus its inputs. */
export interface TransferCounts {
  path: PathName;
  bytes: number;
  chunk: number;
  /** Copies the CPU makes (one per CPU copy step per call). */
  cpuCopies: number;
  /** Copies DMA engines make. */
  dmaCopies: number;
  /** user -> kernel plus kernel -> user switches (2 per syscall). */
  modeSwitches: number;
  syscalls: number;
  /** Bytes the CPU copies, summed over all copies. */
  cpuBytes: number;
  /** Bytes DMA engines move, summed over all copies. */
  dmaBytes: number;
  /** Descriptor appends (scatter-gather DMA, splice's page references), one per step per call. */
  descriptors: number;
  /** Calls of each syscall of the path: ceil(bytes / callBytes). */
  chunks: number;
  /** DMA bytes from the disk (only on a cold page cache). */
  diskReadBytes: number;
  /** DMA bytes to the disk (writeback). */
  diskWriteBytes: number;
  /** DMA bytes between memory and the NIC. */
  nicBytes: number;
  /** Bytes handed on by descriptor instead of copied. */
  descriptorBytes: number;
  /** Page faults that map the file into the process (mmap-write: one per 64 KiB fault-around window). */
  pageFaults: number;
  /** Bytes one call moves: min(chunk, bytes, MAX_RW_COUNT, and the pipe size for splice). */
  callBytes: number;
}

/** Options of modelTransfer beyond path, size and chunk. */
export interface TransferOptions {
  /** splice's pipe capacity in bytes (default 65536; fcntl F_SETPIPE_SZ raises it). */
  pipeSize?: number;
}

/** One step of a data path, as the notebooks draw it and `workbook model --steps` prints it. */
export interface Step {
  kind: StepKind;
  /** Who moves the bytes: "cpu" (a CPU copy), "dma" (a DMA engine), "nic" (the network card on the wire), or
   *  "syscall" (the kernel's bookkeeping inside a call: a mode switch, a descriptor, a page fault). */
  actor: Actor;
  from: Place;
  to: Place;
  /** The step's number in ByteByteGo's post "Why is Kafka fast?" ("1.1" ... "3.3"), with the post's meaning; "" for
   *  a step the post does not number (every mode switch, and every step of a path the post does not draw). */
  seedStep: string;
  /** The CPU mode the process is in during the step (after the switch, for mode switches). */
  mode: Mode;
  /** The syscall the step happens inside, or "softirq"/"writeback"/"nic" for work done outside any call. */
  call: Call;
  /** The step in one sentence: who moves the bytes, from where to where, inside which call. */
  description: string;
}

/** A path's steps: those run once per transfer, then those repeated for every chunk. */
export interface PathSteps {
  path: PathName;
  setup: Step[];
  perChunk: Step[];
}

/** Largest pipe the model accepts: 1 GiB (Linux's pipe-max-size is 1 MiB unless root raises it). */
const MAX_PIPE_SIZE = GiB;

/** Counts copies, mode switches and syscalls for moving `bytes` along `path` in calls of `chunk` bytes. */
export function modelTransfer(path: PathName, bytes: number, chunk?: number, options: TransferOptions = {}): TransferCounts {
  const id = requireChoice("path", path, PATHS);
  requireBytes("bytes", bytes);
  // Default: the whole transfer in as few calls as the kernel allows.
  if (chunk === undefined) chunk = Math.min(bytes, MAX_RW_COUNT);
  requireBytes("chunk", chunk);
  if (options === null || typeof options !== "object") throw new TypeError("options must be an object like { pipeSize }");
  const pipeSize = requireBytes("pipeSize", options.pipeSize === undefined ? DEFAULT_PIPE_SIZE : options.pipeSize, PAGE_SIZE, MAX_PIPE_SIZE);
  const model = loadModel();
  const status = model.simulateTransfer(id, bytes, chunk, pipeSize);
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
    const post = field(4);
    const facts = {
      kind: STEP_KINDS[field(0)],
      actor: ACTORS[field(1)],
      from: PLACES[field(2)],
      to: PLACES[field(3)],
      mode: MODES[field(5)],
      call: CALLS[field(6)],
    };
    steps.push({ ...facts, seedStep: post ? `${Math.floor(post / 10)}.${post % 10}` : "", description: describeStep(facts) });
  }
  return steps;
}

/** The ordered steps of a path, straight from the model's tables; the notebooks draw these. */
export function pathSteps(path: PathName): PathSteps {
  const id = requireChoice("path", path, PATHS);
  return { path, setup: readSteps(id, 0), perChunk: readSteps(id, 1) };
}
