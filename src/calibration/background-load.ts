// How busy the rest of the machine was while we measured. The cores are shared (other engineers, tests): a process
// that keeps a core busy changes where the scheduler puts our sender and receiver. Over an interval:
//   background CPU = all CPUs' busy time (/proc/stat) - our own CPU (this process and its reaped children)
// and background threads = background CPU / wall time (1.0 = one core kept busy by someone else).
// "cutime: Amount of time that this process's waited-for children have been scheduled in user mode" (proc(5)):
// the experiment's sender and receiver children are counted once they have exited and been reaped.
import * as fs from "fs";
import * as os from "os";

/** USER_HZ: /proc reports times in ticks of 1/100 s on Linux. */
const TICKS_PER_SECOND = 100;

/** A snapshot of the counters the meter needs. */
interface Snapshot {
  wallSeconds: number;
  busySeconds: number;
  ownSeconds: number;
}

/** What the meter saw between start and stop. */
export interface BackgroundLoad {
  wallSeconds: number;
  /** CPU seconds all CPUs spent busy (user, nice, system, irq, softirq). */
  busySeconds: number;
  /** CPU seconds of this process and its reaped children. */
  ownSeconds: number;
  /** Average number of cores kept busy by everything else: (busy - own) / wall, at least 0. */
  backgroundThreads: number;
  /** CPUs this process may run on (its affinity mask). */
  cores: number;
}

/** Busy CPU seconds of all CPUs since boot, from the first line of /proc/stat. */
export function machineBusySeconds(stat = fs.readFileSync("/proc/stat", "utf8")): number {
  const fields = stat.split("\n")[0].trim().split(/\s+/).slice(1).map(Number);
  // user nice system idle iowait irq softirq steal guest guest_nice: guest time is already inside user
  const [user, nice, system, , , irq, softirq] = fields;
  return (user + nice + system + irq + softirq) / TICKS_PER_SECOND;
}

/** CPU seconds of this process plus its waited-for children, from /proc/self/stat (utime, stime, cutime, cstime). */
export function ownCpuSeconds(stat = fs.readFileSync("/proc/self/stat", "utf8")): number {
  // the command name may contain spaces and parentheses: fields start after the last ')'
  const fields = stat.slice(stat.lastIndexOf(")") + 2).trim().split(/\s+/).map(Number);
  const [utime, stime, cutime, cstime] = fields.slice(11, 15); // fields 14-17 of proc(5), 0-based from field 3
  return (utime + stime + cutime + cstime) / TICKS_PER_SECOND;
}

/** Takes a snapshot now. */
function snapshot(): Snapshot {
  return { wallSeconds: Number(process.hrtime.bigint()) / 1e9, busySeconds: machineBusySeconds(), ownSeconds: ownCpuSeconds() };
}

/** The load between two snapshots. */
export function loadBetween(a: Snapshot, b: Snapshot, cores = os.availableParallelism()): BackgroundLoad {
  const wallSeconds = b.wallSeconds - a.wallSeconds;
  const busySeconds = b.busySeconds - a.busySeconds;
  const ownSeconds = b.ownSeconds - a.ownSeconds;
  return { wallSeconds, busySeconds, ownSeconds, backgroundThreads: wallSeconds > 0 ? Math.max(0, (busySeconds - ownSeconds) / wallSeconds) : 0, cores };
}

/** Starts measuring; stop() resolves once our children have been reaped (their CPU counted), with the load. */
export function startBackgroundMeter(): { stop(): Promise<BackgroundLoad> } {
  const start = snapshot();
  return {
    async stop() {
      const end = snapshot();
      // children killed at the end of an experiment are reaped asynchronously: wait until our CPU stops changing
      let own = end.ownSeconds;
      for (let i = 0; i < 20; i++) {
        await new Promise((resolve) => setTimeout(resolve, 25));
        const now = ownCpuSeconds();
        if (now === own && i >= 2) break;
        own = now;
      }
      return loadBetween(start, { ...end, ownSeconds: Math.max(end.ownSeconds, own) });
    },
  };
}
