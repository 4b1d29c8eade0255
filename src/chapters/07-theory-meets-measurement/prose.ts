// Chapter 7's prose: the model's equations (the same ones src/model/cost/ computes), and what this run's profile
// and batches say, every number from the run.
import type { MachineProfile } from "../../calibration/profile-record";
import { FIT_TARGET, FitMetric } from "../../calibration/fit-table";
import { formatBytes } from "../../units/sizes";
import { PredictionAnalysis, sizeLabel } from "./analysis";

const pct = (x: number) => `${(x * 100).toFixed(0)}%`;
const signed = (x: number) => `${x >= 0 ? "+" : "−"}${Math.abs(x * 100).toFixed(0)}%`;
const METRIC_NAMES: Record<FitMetric, string> = { wallSeconds: "wall time", senderCpuSecondsPerGiB: "sender CPU per GiB", syscallsPerGiB: "system calls per GiB" };

/** The equations of one loopback transfer, as src/model/cost/transfer.ts, send-queue.ts and two-sides.ts compute them. */
export function equationsMarkdown(): string {
  return [
    "### The equations",
    "A transfer of *B* bytes moves a file along one path to a receiver that reads into a 1 MiB buffer and CRC-32s every read. " +
      "*c* is the copy rate, *s* the cost of one system call; the other names are the profile's parameters below.",
    "",
    "- **sender CPU** = copies × *B* / *c* (2 for the copy loops, 0 for sendfile and splice) + *B* × `tcpSend` (copied) or `tcpSendBorrowed` " +
      "(page references) + send calls × `tcpSendCall` + system calls × *s* + chunks × `jsCall` for the JavaScript loop, chunks × `streamChunk` " +
      "for the stream, and for both *B* × `jsBuffer` (a fresh Buffer per chunk) + min(*B*, `freshHeapBytes`) / 4 KiB × `pageFault` " +
      "(a new process's heap grows page by page until the collector recycles its chunk buffers)",
    "- **receiver CPU** = *B* × (1 / *c* + 1 / `checksum` + `tcpReceive`): one copy out of the socket, the CRC-32, recvmsg's bookkeeping",
    "- **system calls** = the path's own (the WebAssembly model's step tables: a read and a write per chunk; a sendfile per call; two splices per pipe-full " +
      "of `pipeBytes`) + 2 per chunk for the stream (the thread pool's eventfd) + 3 per refill of a full socket for the native loops",
    "- **refills**: a sender faster than its receiver (*x* = its seconds per byte, *r* the receiver's) fills the send buffer *S* (`socketSendBufferBytes`); " +
      "Linux wakes it when a third is free, and while a call runs the receiver keeps draining, so the first call moves *S* / (1 − *x*/*r*) and each refill " +
      "(*S*/3) / (1 − *x*/*r*); a sender no faster than its receiver never fills it",
    "- **wall time** = the slowest of: the sender (its CPU, or the cold disk's time if longer), the receiver, both sides' CPU shared by the free cores, and the link",
    "",
    "Loopback has no NIC: the softirq that delivers each segment into the receiving socket runs in the context of the task that sends it, so the " +
      "sender carries it, on every path. Nothing in these equations depends on the path beyond its counts, and nothing is fitted to the transfers below.",
  ].join("\n");
}

/** Where the profile came from: measured now, or loaded. */
export function profileMarkdown(profile: MachineProfile, file: string, measuredNow: boolean): string {
  const m = profile.machine;
  const where = file.includes(".workbook") ? "`.workbook/profile.json`" : "the file `WORKBOOK_PROFILE` names";
  return (
    `${measuredNow ? "There was no saved profile: this one was measured just now" : "This profile was measured"} on ${profile.measuredAt.slice(0, 16).replace("T", " ")} UTC ` +
    `in ${m.elapsedSeconds.toFixed(1)} s (the ${m.plan.name} plan), at load ${m.loadAverage[0]} with other processes keeping ${m.background.backgroundThreads.toFixed(2)} ` +
    `of ${m.background.cores} cores busy, and saved in ${where}; every chapter and the report draw their model lines from it until you run ` +
    "`npx workbook calibrate` again."
  );
}

/** The batches' conditions in one paragraph. */
export function conditionsMarkdown(a: PredictionAnalysis): string {
  const loads = a.conditions.map((c) => c.loadAverage);
  const busy = a.conditions.map((c) => c.backgroundCores);
  const sizes = [...new Set(a.conditions.map((c) => c.bytes))].sort((x, y) => x - y).map(sizeLabel).join(", ");
  return (
    `${a.batches} batches, each the whole transfer experiment (all five paths at ${sizes}, warm cache, runs interleaved), sizes rotated from batch to batch. ` +
    `Load average ${Math.min(...loads).toFixed(2)}-${Math.max(...loads).toFixed(2)}; other processes kept ${Math.min(...busy).toFixed(2)}-${Math.max(...busy).toFixed(2)} cores busy, ` +
    "and the model shares what they left between sender and receiver."
  );
}

/** What the residuals and the noise say, row by row at the judged sizes. */
export function noiseMarkdown(a: PredictionAnalysis): string {
  const judged = a.summary ? `at ${formatBytes(FIT_TARGET.minBytes)} and above` : "at every size (the plan has none of 64 MiB or more)";
  const lines = a.noise.map((n) => {
    const beyond = n.beyond
      .sort((x, y) => Math.abs(y.residual) - Math.abs(x.residual))
      .slice(0, 3)
      .map((b) => `${b.path} at ${sizeLabel(b.bytes)} (${signed(b.residual)} against ±${pct(b.spread)})`);
    return (
      `- **${METRIC_NAMES[n.metric]}**: ${n.withinSpread} of ${n.rows} rows ${judged} miss by less than the machine moved between batches. ` +
      (beyond.length ? `Beyond their own noise: ${beyond.join(", ")}${n.beyond.length > 3 ? `, and ${n.beyond.length - 3} more` : ""}.` : "No miss is larger than the row's own noise.")
    );
  });
  return lines.join("\n");
}

/** The target, printed: it is judged on a quiet machine over 5 batches, not here. */
export function targetMarkdown(a: PredictionAnalysis): string {
  if (!a.summary) return "This plan has no row of 64 MiB or more, so the target below is not computed; run the default plan for it.";
  const s = a.summary;
  const line = (m: FitMetric) =>
    `${METRIC_NAMES[m]}: median |residual| ${pct(s.medianAbsResidual[m])} (target ≤ ${pct(FIT_TARGET.medianAbsResidual[m])}), ` +
    `${pct(s.withinSpreadShare[m])} of rows within their own spread (target ≥ ${pct(FIT_TARGET.withinSpreadShare)})`;
  return (
    `On this run (${s.batches} batches, ${s.rows} rows at 64 MiB and above): ${(["wallSeconds", "senderCpuSecondsPerGiB", "syscallsPerGiB"] as FitMetric[]).map(line).join("; ")}. ` +
    "The workbook's accuracy target is judged on 5 interleaved batches on a quiet machine (`npm run bench:model-fit`), not on a run beside other work: " +
    "these figures are a reading, not a verdict."
  );
}

/** What limits the model on this machine, with the run's own numbers where it has them. */
export function limitsMarkdown(a: PredictionAnalysis): string {
  const row = (path: string, bytes: number) => a.rows.find((r) => r.path === path && r.bytes === bytes);
  const largest = Math.max(...a.rows.map((r) => r.bytes));
  const c = row("c-read-write", largest);
  const sf = row("sendfile", largest);
  const spread = (x: number | undefined) => (x === undefined ? "?" : `±${pct(x)}`);
  return [
    "### What limits it",
    `- **The machine moves by itself.** The same row's batch medians differ by ${spread(c?.cells.wallSeconds.spread)} (C loop, ${sizeLabel(largest)}) ` +
      `and ${spread(sf?.cells.wallSeconds.spread)} (sendfile) in wall time on this run: a model with fixed parameters cannot follow that, and a residual inside ` +
      "that band is the machine's, not the model's.",
    "- **Waking the receiver.** A send that finds the receiver asleep wakes it: an interrupt to the other core, on a VM a trip through the hypervisor. " +
      "A loop slower than its receiver pays it on every write; one faster never does. On this kind of VM a 4 KiB write cost 1-2 µs while the sender ran ahead " +
      "and 26-32 µs when each write found the receiver asleep, and the cost depends on how long it slept. The C loop sits right at the edge " +
      "(its sender and the receiver take about the same time per byte), so its runs fall into two groups; the model has no constant for it.",
    "- **Where loopback's delivery runs.** The softirq that carries a segment into the receiving socket runs on whichever side transmits it: the sender " +
      "while the receiver keeps up, the receiver when its window updates release queued segments. The zero-copy senders sit near the line, so the same run " +
      "splits the work differently from one try to the next (the sum stays). The model charges it to the sender; the sum is what the profile measures.",
    "- **The stream's thread pool.** Each of its chunks is read on a libuv thread and handed back through an eventfd; what that costs depends on which " +
      "cores the two threads land on, and a new process's first hundreds of MiB of it run slower than the profile's later passes.",
    "- **Sharing the cores.** With other work on the machine the model shares what is left between sender and receiver as if time-slicing cost " +
      "nothing; on this VM it costs (cache misses after each switch, a descheduled receiver that stops draining), so under load the model's times are low.",
  ].join("\n");
}
