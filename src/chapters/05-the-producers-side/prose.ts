// Chapter 5's generated prose and the table of what this run can and cannot show, with this run's numbers.
import type { ProducerResult } from "../../experiments/producer-records";
import type { Table } from "../../plot/table";
import { countLabel } from "../../plot/bars";
import { formatBytes } from "../../units/sizes";
import { CostParameters } from "../../model/cost-model";
import { LoopbackRow } from "./analysis";

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

/** The model's default machine, in words, for the model's lines and bars. */
export function modelParametersMarkdown(p: CostParameters): string {
  const disk = p.disk as unknown as { name: string; bytesPerSecond?: number; latencySeconds?: number };
  return (
    `The model runs on the cost model's **default parameters**, a server rather than this VM: CPU copies at ${(p.cpuCopyBytesPerSecond / 1e9).toFixed(1)} GB/s, ` +
    `a network stack at ${(p.networkStackSecondsPerByte * 1e9).toFixed(2)} ns per byte, a NIC at ${(p.nicBytesPerSecond / 1e9).toFixed(2)} GB/s, ` +
    `the disk profile \`${disk.name}\`${disk.bytesPerSecond ? ` (${(disk.bytesPerSecond / 1e9).toFixed(1)} GB/s` : ""}${disk.latencySeconds ? `, ${(disk.latencySeconds * 1e6).toFixed(0)} µs per request)` : disk.bytesPerSecond ? ")" : ""}, ` +
    `writeback in ${formatBytes(p.diskRequestBytes)} requests. Stages overlap chunk by chunk, as TCP allows.`
  );
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
