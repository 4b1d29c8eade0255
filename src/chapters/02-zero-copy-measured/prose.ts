// Chapter 2's generated prose: the system calls, the model beside the machine, and the zero-copy ratio, every
// number from the run (the analysis) or from the profile that drew the model lines.
import type { PathRow, ZeroCopyAnalysis } from "./analysis";
import { formatBytes, GiB, KiB } from "../../units/sizes";

const count = (x: number) => Math.round(x).toLocaleString("en-US");
const pct = (x: number) => `${x >= 0 ? "+" : "−"}${Math.abs(x * 100).toFixed(0)}%`;

/** The row of `path` at the largest size. */
function rowOf(a: ZeroCopyAnalysis, path: string): PathRow | undefined {
  return a.largest.find((r) => r.path === path);
}

/** What the system-call counts say, sendfile's and splice's derived from the buffer sizes. */
export function syscallsMarkdown(a: ZeroCopyAnalysis): string {
  const size = a.largest.length ? `${(a.largest[0].bytes / 1e6).toFixed(0)} MB` : "the largest size";
  const rw = rowOf(a, "read-write");
  const sf = rowOf(a, "sendfile");
  const sp = rowOf(a, "splice");
  const lines: string[] = [];
  if (rw) {
    lines.push(
      `- **The copy loops** make two calls per ${formatBytes(a.chunk)} chunk, a read and a write: ${count(rw.syscallsPerGiB)} per GiB for the JavaScript loop ` +
        `at ${size}, and the model counts ${count(rw.model.syscallsPerGiB)}.`,
    );
  }
  if (sf) {
    lines.push(
      `- **sendfile** made ${count(sf.syscallsPerGiB)} calls per GiB here, not the textbook's one call per file: the socket is non-blocking, so a call ` +
        `moves only what fits in the socket's send buffer (${formatBytes(a.socketSendBufferBytes)}, \`tcp_wmem\`'s maximum), the next call gets \`EAGAIN\`, ` +
        `and the loop waits in \`poll\` until the kernel says a third of the buffer is free. The model derives its count from that buffer and from how much ` +
        `faster the sender is than the receiver: ${count(sf.model.syscallsPerGiB)} per GiB (${count(sf.model.refillsPerGiB)} refills of three calls). ` +
        (sf.model.refillsPerGiB < 1
          ? "In the model the sender is the slower side, so its socket never fills; the machine's runs did fill it now and then: which side carries loopback's delivery work moves from run to run (chapter 7)."
          : `It is ${pct(sf.model.syscallsPerGiB / sf.syscallsPerGiB - 1)} off the machine's count.`),
    );
  }
  if (sp) {
    const pipeCalls = (2 * GiB) / a.pipeBytes;
    lines.push(
      `- **splice** moves at most a pipe-full per pair of calls (file → pipe, pipe → socket), and the addon's pipe is ${formatBytes(a.pipeBytes)}: ` +
        `${count(pipeCalls)} calls per GiB before any refill; the model adds the refills of a full socket as for sendfile and counts ` +
        `${count(sp.model.syscallsPerGiB)}; the machine made ${count(sp.syscallsPerGiB)} (${pct(sp.model.syscallsPerGiB / sp.syscallsPerGiB - 1)}).`,
    );
  }
  return lines.join("\n");
}

/** Where the model meets the machine at the largest size, and where it misses and why. */
export function modelMarkdown(a: ZeroCopyAnalysis): string {
  const rows = a.largest;
  if (rows.length === 0) return "";
  const size = `${(rows[0].bytes / 1e6).toFixed(0)} MB`;
  const walls = rows.map((r) => `${r.path} ${pct(r.model.wallSeconds / r.medianSeconds - 1)}`).join(", ");
  const cpus = rows.map((r) => `${r.path} ${pct(r.model.cpuSecondsPerGiB / r.cpuSecondsPerGiB - 1)}`).join(", ");
  const c = rowOf(a, "c-read-write");
  const stream = rowOf(a, "stream");
  const parts = [
    `At ${size} the model's time is off the measured median by ${walls}; its sender CPU per GiB by ${cpus} ` +
      `(model / machine − 1; the model assumes two free cores, the runs had what the rest of the machine left).`,
  ];
  const rw = rowOf(a, "read-write");
  const smallest = Math.min(...a.rows.map((r) => r.bytes));
  const small = a.rows.filter((r) => r.bytes === smallest);
  if (small.length && smallest < rows[0].bytes) {
    const under = small.filter((r) => r.model.wallSeconds < r.medianSeconds).length;
    parts.push(
      `At ${(smallest / 1e6).toFixed(0)} MB the model is below the machine for ${under} of ${small.length} paths: a run has fixed costs the model leaves out ` +
        "(a new sender process, the connection and its first small window, the receiver's final reply: a few milliseconds), a large share of a small transfer.",
    );
  }
  const loops = [stream, rw, c].filter((r): r is PathRow => r !== undefined);
  if (loops.length) {
    const perWrite = (r: PathRow) => ((r.cpuSecondsPerGiB - r.model.cpuSecondsPerGiB) / (GiB / a.chunk)) * 1e6;
    parts.push(
      "The copy loops are where the model misses most, and one thing explains most of it: **waking the receiver**. A loop slower than its receiver " +
        "finds it asleep at every write and wakes it (an interrupt to the other core; on a VM a trip through the hypervisor), and the sender pays for it. " +
        `The model has no term for that: here the machine's loops spent ${loops.map((r) => `${r.path} ${r.cpuSecondsPerGiB.toFixed(2)}`).join(", ")} CPU-s per GiB ` +
        `against the model's ${loops.map((r) => r.model.cpuSecondsPerGiB.toFixed(2)).join(", ")}, about ${loops.map((r) => `${Math.max(0, perWrite(r)).toFixed(1)} µs`).join(", ")} more per ` +
        `${formatBytes(a.chunk)} write. The cost is not a constant: on this kind of VM a 4 KiB write cost 1-2 µs while the sender ran ahead of its receiver and ` +
        "26-32 µs when each write found it asleep after a 50 µs pause; it grows with how long the receiver slept. The smaller the chunk, the more writes " +
        "per GiB, the larger the miss" + (a.chunk !== 64 * KiB ? ` (the profile's JavaScript costs are measured at 64 KiB and at 4 KiB chunks; the loops here read ${formatBytes(a.chunk)})` : "") + ".",
    );
  }
  return parts.join(" ");
}

/** The zero-copy ratio: the machine's and the model's, and whether they answer the same way at every size. */
export function ratioMarkdown(a: ZeroCopyAnalysis): string {
  const pairs = a.direction.map((d) => `${(d.bytes / 1e6).toFixed(0)} MB: machine ${d.machine.toFixed(2)}, model ${d.model.toFixed(2)}`).join("; ");
  const all = a.direction.every((d) => d.agrees);
  return (
    `sendfile's time over the ${formatBytes(a.chunk)} JavaScript loop's, per size — ${pairs}. ` +
    (all
      ? "Model and machine agree in direction at every size: zero-copy is faster here. Both sides are pipelined in the model, sendfile as much as read+write: " +
        "the wall time is the slower of the sender and the receiver, and sendfile's sender has no copy and no JavaScript per chunk."
      : `At ${a.direction.filter((d) => !d.agrees).map((d) => `${(d.bytes / 1e6).toFixed(0)} MB`).join(", ")} the model answers the other way; chapter 7 shows how far this machine moves between batches.`)
  );
}
