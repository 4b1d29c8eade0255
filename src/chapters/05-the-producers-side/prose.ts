// Chapter 5's generated prose and the table of what this run can and cannot show, with this run's numbers.
import type { ProducerResult } from "../../experiments/producer-records";
import type { Table } from "../../plot/table";
import { countLabel } from "../../plot/bars";
import { formatBytes } from "../../units/sizes";
import type { MachineProfile } from "../../calibration/profile-record";
import { formatParameter } from "../../calibration/describe-profile";
import { profileLabel } from "../../calibration/profile-source";
import { LoopbackRow, PolicyRow } from "./analysis";

/** This machine's writeback settings, as the flusher will use them on the bytes the sink leaves dirty. */
export function writebackMarkdown(result: ProducerResult): string {
  const w = result.conditions.writeback;
  const s = (centisecs: number | null) => (centisecs === null ? "unreadable" : `${centisecs} (${(centisecs / 100).toFixed(centisecs % 100 ? 1 : 0)} s)`);
  const pct = (v: number | null) => (v === null ? "unreadable" : `${v}%`);
  return [
    `This machine's settings (\`/proc/sys/vm\`), read by this run: \`dirty_expire_centisecs\` = ${s(w.dirtyExpireCentisecs)}, ` +
      `\`dirty_writeback_centisecs\` = ${s(w.dirtyWritebackCentisecs)}, \`dirty_background_ratio\` = ${pct(w.dirtyBackgroundRatio)}, ` +
      `\`dirty_ratio\` = ${pct(w.dirtyRatio)}${w.dirtyBackgroundBytes || w.dirtyBytes ? ` (byte limits set: background ${formatBytes(w.dirtyBackgroundBytes ?? 0)}, ${formatBytes(w.dirtyBytes ?? 0)})` : ""}.`,
    "",
    `So a page the sink dirties stays dirty for up to about ${w.dirtyExpireCentisecs === null || w.dirtyWritebackCentisecs === null ? "the expiry plus one flusher interval" : `${((w.dirtyExpireCentisecs + w.dirtyWritebackCentisecs) / 100).toFixed(0)} s (the expiry plus one flusher interval)`} unless memory pressure or an \`fsync()\` writes it sooner.`,
  ].join("\n");
}

/** The profile's figures the producer's model uses, in words. */
export function modelParametersMarkdown(profile: MachineProfile): string {
  const p = profile.parameters;
  const f = (name: keyof MachineProfile["parameters"]) => formatParameter(name, p[name]);
  return (
    `The model runs on this machine's profile (${profileLabel(profile).replace(/^model, /, "")}; chapter 7 measures it): CPU copies at ${f("copyBytesPerSecond")}, ` +
    `a system call ${f("syscallSeconds")}, loopback TCP at ${f("tcpSendSecondsPerByte")} on the sending side and ${f("tcpReceiveSecondsPerByte")} on the receiving ` +
    `side, and a disk that reads ${f("diskSequentialBytesPerSecond")} in order with ${f("diskRandomReadSeconds")} for one small request. ` +
    "The profile measures the disk reading; the model assumes it writes as fast, and prices one flush as one request's latency plus the bytes at that rate. " +
    "Producer and sink run at once on the two cores, as TCP lets them."
  );
}

/** Where the model meets the machine per policy, and why it misses where it does, in this run's numbers. */
export function modelMissesMarkdown(rows: PolicyRow[]): string {
  const row = (policy: string) => rows.find((r) => r.policy === policy);
  const ratio = (r: PolicyRow) => `${r.policy} ${(r.medianSeconds / r.modelAckSeconds).toFixed(1)}×`;
  const pc = row("page-cache");
  const each = row("fsync-each");
  const parts = [`Measured ÷ model until the ack: ${rows.map(ratio).join(", ")}.`];
  if (pc) {
    parts.push(
      `page-cache is the loopback transfer and two copies on the sink: the model's ${(pc.modelAckSeconds * 1e3).toFixed(1)} ms against ${(pc.medianSeconds * 1e3).toFixed(1)} ms ` +
        "measured leaves out what a JavaScript producer and sink spend per message and per write beyond the kernel's work (the transfer chapter's JavaScript costs " +
        "are measured for a file read loop, not for a protocol's framing), and the wake-ups of a sink that waits for each message.",
    );
  }
  if (each && each.fsyncCalls > 0) {
    parts.push(
      `fsync-each made ${each.fsyncCalls} fsyncs: the model prices each as one disk request (latency plus the bytes), ${(each.modelAckSeconds * 1e3).toFixed(0)} ms in all, ` +
        `the machine took ${(each.medianSeconds * 1e3).toFixed(0)} ms. A real fsync on ext4 also commits the journal and flushes the device's cache, which the profile's ` +
        "read benchmarks never see: that is where the model falls short for the durable policies.",
    );
  }
  return parts.join(" ");
}

/** What the loopback counters say about this run, in numbers. */
export function loopbackMarkdown(rows: LoopbackRow[], payload: number): string {
  const row = rows.find((r) => r.packets !== null && r.bytes !== null && r.netRxSoftirqs !== null);
  if (!row || !row.packets || row.bytes === null || row.netRxSoftirqs === null) {
    return "This machine's `/proc/net/dev` or `/proc/softirqs` could not be read, so the run has no loopback counters.";
  }
  return (
    `In a median ${row.policy} run the loopback device carried ${countLabel(row.packets)} packets, ${formatBytes(row.bytes)} in all for a ` +
    `${formatBytes(payload)} payload (about ${formatBytes(row.bytes / row.packets)} per packet, data and ACKs together), and the NET_RX softirq ran ` +
    `${countLabel(row.netRxSoftirqs)} times: the receive path a NIC's packets take, run in softirq context, with no NIC, no DMA and no hardware interrupt.`
  );
}

/** What this machine's measurements can show about the reader's question, and what they cannot, with this run's evidence. */
export function measurementScopeTable(result: ProducerResult, rows: LoopbackRow[]): Table {
  const c = result.conditions;
  const lo = rows.find((r) => r.netRxSoftirqs !== null);
  return {
    id: "producer-scope",
    caption: "What this machine can show about the reader's question, and what it cannot",
    columns: ["question", "shown here?", "how, or why not"],
    rows: [
      ["Did every byte the producer sent reach the broker's file?", "yes", `length and CRC-32 of every run's file, read back (${result.runs.length} runs)`],
      ["Is the data in the page cache when the broker acks (1.2)?", "yes", "mincore(2) on the file right after the ack"],
      ["When does it reach the disk (1.3)?", c.device ? "yes" : "no device", c.device ? `the device's write counter (${c.device}, system-wide) and the time of a later fsync()` : `${c.filesystem} has no block device`],
      ["Does the kernel count the bytes as written at write() time?", "yes", "/proc/self/io write_bytes of the sink, before any writeback"],
      ["Does the receive path run in softirq context (1.1)?", lo ? "yes, in aggregate" : "no", lo ? "the NET_RX count of /proc/softirqs rises during each run (system-wide); per-packet timing needs tracing this VM does not allow" : "/proc/softirqs unreadable"],
      ["The NIC's DMA into the RX ring, its interrupt, the NAPI poll of a real driver", "no", "loopback has no NIC: its transmit hands the socket buffer straight to the receive side; this VM's own NIC carries none of these bytes"],
      ["How many times the kernel copies the payload", "no", "no hardware performance counters or kprobes on this VM; the sink's CPU time is the proxy, the model gives the count"],
      ["A real network's bandwidth and latency", "no", "loopback runs at memory speed on the same two CPUs; chapter 2b shapes loopback's rate, still without a NIC"],
    ],
  };
}
