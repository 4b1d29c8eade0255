// One sentence per step of a data path, said the way the notebooks teach it: who moves the bytes, from where to
// where, inside which call. pathSteps() attaches it to every step; `workbook model --steps` prints it.
import type { Actor, Call, Mode, Place, StepKind } from "./vocabulary";

/** What a sentence is built from: a step of a path's table, without its words. */
export interface StepFacts {
  kind: StepKind;
  actor: Actor;
  from: Place;
  to: Place;
  mode: Mode;
  call: Call;
}

/** The call as code: "sendfile()"; the contexts that are not calls keep their names. */
function callName(call: Call): string {
  return ["softirq", "writeback", "nic"].includes(call) ? call : `${call}()`;
}

/** A DMA copy, by the device it touches and the direction it goes. */
function dmaSentence(s: StepFacts): string {
  if (s.from === "disk") return `the disk controller's DMA engine loads the bytes into the page cache (only on a miss: a warm cache skips this copy), inside ${callName(s.call)}`;
  if (s.to === "disk" && s.call === "writeback") return "later, the kernel's flusher thread writes the dirty pages back to the disk by DMA; no call of the process waits for it";
  if (s.to === "disk") return `${callName(s.call)} makes the disk's DMA engine write the dirty pages and waits until the device reports them written`;
  if (s.from === "NIC") return "the NIC's DMA engine writes the arriving frame into a receive buffer in memory; after its interrupt, the kernel's softirq (NAPI poll, IP, TCP) queues that buffer on the socket's receive queue, without a copy";
  if (s.from === "page cache" && s.to === "NIC") return `the NIC's DMA engine gathers the bytes straight from the page cache (scatter-gather DMA), started inside ${callName(s.call)}`;
  return `the NIC's DMA engine reads the bytes out of the ${s.from}, started inside ${callName(s.call)}`;
}

/** The step in one sentence. */
export function describeStep(s: StepFacts): string {
  switch (s.kind) {
    case "to-kernel":
      return `${callName(s.call)} enters the kernel: a user → kernel mode switch`;
    case "to-user":
      return `${callName(s.call)} returns: a kernel → user mode switch`;
    case "copy":
      return s.actor === "cpu" ? `the CPU copies the bytes from the ${s.from} into the ${s.to}, inside ${callName(s.call)}` : dmaSentence(s);
    case "descriptor":
      if (s.to === "pipe") return "splice() puts references to the page-cache pages into the pipe: no byte is copied";
      if (s.from === "pipe") return "splice() hands the pipe's page references to the socket: no byte is copied";
      return `${callName(s.call)} appends only descriptors (page, offset, length) to the socket buffer: no byte is copied`;
    case "fault":
      return `${callName(s.call)} reads the mapped file and takes page faults: the kernel maps page-cache pages into the process`;
    case "wire":
      return s.to === "network" ? "the NIC sends the bytes out on the wire, to the consumer" : "a frame with the producer's bytes arrives from the wire at the NIC";
  }
}
