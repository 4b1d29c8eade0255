// Machine-wide CPU time from the first line of /proc/stat: what every CPU spent busy, whoever it worked for.
// A process's rusage misses the kernel work that ran outside it: on this kernel (tick-based accounting, no
// IRQ_TIME_ACCOUNTING) a softirq is charged to whichever task was running, and to no process at all when it
// ran on an idle CPU. Through a tbf-shaped loopback, packets are released from a timer softirq, so most of the
// receive path's work leaves the sender's rusage; only a machine-wide count sees all of it.
// "cpu  user nice system idle iowait irq softirq steal guest guest_nice", in USER_HZ ticks (proc(5)).
// Resolution: 1/100 s per CPU per reading, so windows are summed over runs before they are compared.
import * as fs from "fs";

/** USER_HZ: /proc/stat counts in ticks of 1/100 s on Linux. */
const MS_PER_TICK = 10;

/** Machine-wide CPU time since boot, all CPUs summed, in milliseconds. */
export interface MachineCpu {
  /** user + nice + system + irq + softirq: CPUs doing work (guest time is already inside user). */
  busyMs: number;
  /** Time the hypervisor ran something else while this VM wanted to run: not work done here, kept apart. */
  stealMs: number;
}

/** Parses the text of /proc/stat; exported for tests. */
export function parseMachineCpu(stat: string): MachineCpu {
  const line = stat.split("\n")[0];
  if (!/^cpu\s/.test(line)) throw new Error("/proc/stat does not start with the all-CPU line ('cpu  user nice system ...')");
  const fields = line.trim().split(/\s+/).slice(1).map(Number);
  if (fields.length < 7 || fields.some((x) => !Number.isFinite(x))) throw new Error(`/proc/stat's cpu line has too few numbers: ${line}`);
  const [user, nice, system, , , irq, softirq, steal = 0] = fields;
  return { busyMs: (user + nice + system + irq + softirq) * MS_PER_TICK, stealMs: steal * MS_PER_TICK };
}

/** Reads the machine's CPU counters now; the sender calls it around its send and its background window. */
export function readMachineCpu(): MachineCpu {
  return parseMachineCpu(fs.readFileSync("/proc/stat", "utf8"));
}

/** after - before, field by field. */
export function machineCpuDelta(before: MachineCpu, after: MachineCpu): MachineCpu {
  return { busyMs: after.busyMs - before.busyMs, stealMs: after.stealMs - before.stealMs };
}
