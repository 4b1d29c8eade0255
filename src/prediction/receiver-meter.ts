// The receiver's CPU in the transfer experiment, measured from outside: the experiment's receiver is a child
// process of ours that does not report its own CPU, so we read its /proc/<pid>/stat (utime + stime, 10 ms ticks)
// after every run (the experiment's onProgress) and attribute the difference to the run that just ended.
import * as fs from "fs";

/** One run's receiver CPU, as the meter attributes it. */
export interface ReceiverCpuSample {
  path: string;
  round: number;
  warmup: boolean;
  seconds: number;
}

/** USER_HZ of /proc. */
const TICKS_PER_SECOND = 100;

/** CPU seconds (utime + stime) of process `pid`, or undefined if it is gone. */
export function processCpuSeconds(pid: number): number | undefined {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).trim().split(/\s+/).map(Number);
    return (fields[11] + fields[12]) / TICKS_PER_SECOND;
  } catch {
    return undefined;
  }
}

/** Our child process whose command line contains `marker` (the experiment's receiver: "receiver.ts"). */
export function findChild(marker: string, parent = process.pid): number | undefined {
  for (const entry of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, "utf8");
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      if (ppid !== parent) continue;
      if (fs.readFileSync(`/proc/${entry}/cmdline`, "utf8").includes(marker)) return Number(entry);
    } catch {
      // the process ended while we looked
    }
  }
  return undefined;
}

/** A meter to call after every run: the first call finds the receiver and sets the baseline (that run is lost). */
export function receiverCpuMeter(marker = "receiver.ts") {
  let pid: number | undefined;
  let last: number | undefined;
  const samples: ReceiverCpuSample[] = [];
  return {
    samples,
    /** Called from the experiment's onProgress after each run. */
    afterRun(path: string, round: number, warmup: boolean): void {
      pid ??= findChild(marker);
      const now = pid === undefined ? undefined : processCpuSeconds(pid);
      if (now !== undefined && last !== undefined) samples.push({ path, round, warmup, seconds: now - last });
      last = now;
    },
  };
}
