// Names of the namespaces the workbook makes: a fixed prefix, the owner's pid and the owner's start time
// (so a reused pid is not mistaken for the owner), and a sequence number within the owner.
//   workbook-link-<pid>-<start time in clock ticks since boot>-<n>
import { ownerTag, Owner } from "../cleanup/process-identity";

/** True while the process that made a namespace is running (same pid, same start time). */
export { ownerAlive } from "../cleanup/process-identity";

/** Every namespace the workbook makes starts with this; nothing else is ever removed. */
export const NAMESPACE_PREFIX = "workbook-link-";

/** The process that made a namespace, read back from its name. */
export type NamespaceOwner = Owner;

let sequence = 0;

/** A fresh name owned by this process. */
export function newNamespaceName(): string {
  return `${NAMESPACE_PREFIX}${ownerTag()}-${sequence++}`;
}

/** The owner encoded in a workbook namespace's name, or undefined for any other name. */
export function ownerOf(name: string): NamespaceOwner | undefined {
  const match = new RegExp(`^${NAMESPACE_PREFIX}(\\d+)-(\\d+)-\\d+$`).exec(name);
  return match ? { pid: Number(match[1]), startTicks: Number(match[2]) } : undefined;
}
