// CPU affinity of our own processes: which CPUs we may use, and pinning a process (all its threads) to some of
// them with taskset(1) from util-linux. The calibration pins its own measurements to compare one core with two.
import * as fs from "fs";
import { execFileSync } from "child_process";

/** The CPUs this process may run on, from /proc/self/status (e.g. "0-1"), as a list. */
export function allowedCpus(status = fs.readFileSync("/proc/self/status", "utf8")): number[] {
  const list = /^Cpus_allowed_list:\s*(\S+)/m.exec(status)?.[1];
  if (!list) throw new Error("/proc/self/status has no Cpus_allowed_list");
  return list.split(",").flatMap((part) => {
    const [a, b] = part.split("-").map(Number);
    return Array.from({ length: (b ?? a) - a + 1 }, (_, i) => a + i);
  });
}

/** Sets the CPU affinity of every thread of `pid` (ours or our child's) with taskset(1) from util-linux. */
export function pin(pid: number, cpus: readonly number[]): void {
  try {
    execFileSync("taskset", ["-a", "-p", "-c", cpus.join(","), String(pid)], { stdio: "ignore" });
  } catch (error) {
    throw new Error(`could not pin process ${pid} to CPU ${cpus.join(",")} with taskset (util-linux): ${(error as Error).message.split("\n")[0]}`);
  }
}

