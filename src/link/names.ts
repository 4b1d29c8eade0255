// Names of the namespaces the workbook makes: a fixed prefix, the owner's pid and the owner's start time
// (so a reused pid is not mistaken for the owner), and a sequence number within the owner.
//   workbook-link-<pid>-<start time in clock ticks since boot>-<n>
import * as fs from "fs";

/** Every namespace the workbook makes starts with this; nothing else is ever removed. */
export const NAMESPACE_PREFIX = "workbook-link-";

/** The process that made a namespace, read back from its name. */
export interface NamespaceOwner {
  pid: number;
  startTicks: number;
}

/** A process's start time (field 22 of /proc/<pid>/stat), or undefined if there is no such process. */
export function processStartTicks(pid: number): number | undefined {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    // The command name (field 2) may hold spaces and parentheses: count fields after the last ")".
    return Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[19]);
  } catch {
    return undefined;
  }
}

let sequence = 0;

/** A fresh name owned by this process. */
export function newNamespaceName(): string {
  return `${NAMESPACE_PREFIX}${process.pid}-${processStartTicks(process.pid)}-${sequence++}`;
}

/** The owner encoded in a workbook namespace's name, or undefined for any other name. */
export function ownerOf(name: string): NamespaceOwner | undefined {
  const match = new RegExp(`^${NAMESPACE_PREFIX}(\\d+)-(\\d+)-\\d+$`).exec(name);
  return match ? { pid: Number(match[1]), startTicks: Number(match[2]) } : undefined;
}

/** True while the process that made the namespace is running (same pid, same start time). */
export function ownerAlive(owner: NamespaceOwner): boolean {
  return processStartTicks(owner.pid) === owner.startTicks;
}
