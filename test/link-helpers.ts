// Helpers for the link tests: the network namespaces that exist now, and which of them a process owns.
import { execFileSync } from "child_process";
import * as fs from "fs";
import { NAMESPACE_PREFIX, ownerOf, ownerAlive } from "../src/link/names";

/** Every network namespace `ip netns list` shows, by name. */
export function namespaces(): string[] {
  return execFileSync("ip", ["netns", "list"], { encoding: "utf8" })
    .split("\n")
    .map((line) => line.trim().split(/\s+/)[0])
    .filter(Boolean);
}

/** The workbook namespaces whose name says `pid` made them. */
export function namespacesOf(pid: number): string[] {
  return namespaces().filter((name) => name.startsWith(`${NAMESPACE_PREFIX}${pid}-`));
}

/** Workbook namespaces that appeared since `before` and whose owner has exited: what a finished command left behind.
 *  Namespaces of live owners (other tests, other runs on a shared machine) come and go meanwhile and do not count. */
export function leftBehind(before: string[]): string[] {
  return namespaces().filter((name) => {
    const owner = ownerOf(name);
    return !before.includes(name) && owner !== undefined && !ownerAlive(owner);
  });
}

/** The network namespace inode a process is in (the target of /proc/<pid>/ns/net). */
export function netnsOfProcess(pid: number): string {
  return fs.readlinkSync(`/proc/${pid}/ns/net`);
}

/** The inode of a named namespace, in the same "net:[inode]" form. */
export function netnsOfName(name: string): string {
  return `net:[${fs.statSync(`/run/netns/${name}`).ino}]`;
}

/** Waits until `ready()` holds or `ms` pass; returns whether it held. */
export async function waitFor(ready: () => boolean, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (ready()) return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  return ready();
}
