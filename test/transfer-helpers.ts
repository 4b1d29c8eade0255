// Helpers for the transfer and disk tests: a private scratch parent, and the processes an experiment left behind.
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

/** Child processes of `pid` still alive (from /proc/<n>/stat's ppid field). */
export function childrenOf(pid: number): number[] {
  const out: number[] = [];
  for (const entry of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, "utf8");
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      const state = stat.slice(stat.lastIndexOf(")") + 2).split(" ")[0];
      if (ppid === pid && state !== "Z") out.push(Number(entry));
    } catch {
      // the process ended while we looked
    }
  }
  return out;
}

/** The script a process runs (its last command-line argument's base name), or "" once it has ended. */
export function scriptOf(pid: number): string {
  try {
    return path.basename(fs.readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0").filter(Boolean).pop() ?? "");
  } catch {
    return "";
  }
}

/** Processes whose environment carries `marker` (children inherit the environment, even when orphaned). */
export function processesWithMarker(marker: string): number[] {
  const out: number[] = [];
  for (const entry of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    try {
      if (fs.readFileSync(`/proc/${entry}/environ`, "latin1").includes(marker)) out.push(Number(entry));
    } catch {
      // gone, or not ours to read
    }
  }
  return out;
}

/** A fresh directory to hold an experiment's scratch dirs, so the test can prove they are gone. */
export function scratchParent(name: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `workbook-test-${name}-`));
}
