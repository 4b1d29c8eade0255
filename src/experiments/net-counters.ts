// The kernel's network counters a run can read without privileges: the loopback device's packets and bytes
// (/proc/net/dev) and how often the NET_RX softirq ran (/proc/softirqs, summed over CPUs). Both are system-wide:
// another program's loopback traffic in the same moment is counted too. On loopback they show that the receive
// path still runs in softirq context, although no NIC and no hardware interrupt take part.
import * as fs from "fs";

/** One reading of the counters; null where the file is unreadable (not Linux, or hidden by a sandbox). */
export interface NetCounters {
  loopbackPackets: number | null;
  loopbackBytes: number | null;
  netRxSoftirqs: number | null;
}

/** The lo line of /proc/net/dev: received bytes and packets (lo counts each packet once, as sent and as received). */
export function parseLoopback(text: string): { packets: number; bytes: number } | null {
  const line = text.split("\n").find((l) => /^\s*lo:/.test(l));
  if (!line) return null;
  const fields = line.replace(/^\s*lo:/, "").trim().split(/\s+/).map(Number);
  return fields.length >= 2 && fields.every(Number.isFinite) ? { bytes: fields[0], packets: fields[1] } : null;
}

/** The NET_RX line of /proc/softirqs, summed over CPUs. */
export function parseNetRx(text: string): number | null {
  const line = text.split("\n").find((l) => /^\s*NET_RX:/.test(l));
  if (!line) return null;
  return line.replace(/^\s*NET_RX:/, "").trim().split(/\s+/).map(Number).reduce((a, b) => a + b, 0);
}

/** Reads both counters now. */
export function readNetCounters(): NetCounters {
  const read = (file: string) => {
    try {
      return fs.readFileSync(file, "utf8");
    } catch {
      return "";
    }
  };
  const lo = parseLoopback(read("/proc/net/dev"));
  return { loopbackPackets: lo?.packets ?? null, loopbackBytes: lo?.bytes ?? null, netRxSoftirqs: parseNetRx(read("/proc/softirqs")) };
}

/** What changed between two readings; a counter either reading lacks stays null. */
export function netCountersDelta(before: NetCounters, after: NetCounters): NetCounters {
  const d = (a: number | null, b: number | null) => (a === null || b === null ? null : b - a);
  return {
    loopbackPackets: d(before.loopbackPackets, after.loopbackPackets),
    loopbackBytes: d(before.loopbackBytes, after.loopbackBytes),
    netRxSoftirqs: d(before.netRxSoftirqs, after.netRxSoftirqs),
  };
}
