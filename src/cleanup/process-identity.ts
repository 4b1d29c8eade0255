// Who made something the workbook leaves on the machine (a scratch folder, a network namespace): a pid and that
// process's start time, written into the thing's name. The start time tells a live owner from a later process
// that got the same pid, so a name can be judged stale after its owner was killed (kill -9 runs no cleanup).
import * as fs from "fs";

/** The process that made something, read back from its name. */
export interface Owner {
  pid: number;
  startTicks: number;
}

/** A process's start time (field 22 of /proc/<pid>/stat, clock ticks since boot), or undefined if there is none. */
export function processStartTicks(pid: number): number | undefined {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    // The command name (field 2) may hold spaces and parentheses: count fields after the last ")".
    return Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[19]);
  } catch {
    return undefined;
  }
}

/** "<pid>-<start ticks>" of this process: the part of a name that says who owns it. */
export function ownerTag(): string {
  return `${process.pid}-${processStartTicks(process.pid)}`;
}

/** True while the owner runs (same pid, same start time). */
export function ownerAlive(owner: Owner): boolean {
  return processStartTicks(owner.pid) === owner.startTicks;
}
