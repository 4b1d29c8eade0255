// What the kernel accounts to a process (all its threads, including the thread pool that runs sendfile and
// pread): CPU time from /proc/<pid>/stat and I/O from /proc/<pid>/io. proc(5): utime/stime are "measured in
// clock ticks"; read_bytes is what the process "really did cause to be fetched from the storage layer";
// syscr/syscw count read-like and write-like system calls (sendfile counts once in each).
import * as fs from "fs";
import { readProcIo } from "../experiments/proc-io";

/** Clock ticks per second of /proc/<pid>/stat (sysconf(_SC_CLK_TCK), 100 on Linux x86-64). */
export const CLOCK_TICKS_PER_SECOND = 100;

/** One snapshot of a process's CPU and I/O counters. */
export interface ProcUsage {
  userSeconds: number;
  systemSeconds: number;
  readBytes: number;
  writeBytes: number;
  syscr: number;
  syscw: number;
}

/** Reads /proc/<pid>/stat and /proc/<pid>/io now; the experiment samples the broker before and after a run. */
export function readProcUsage(pid: number): ProcUsage {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
  // Fields after "(comm)": state is field 3, utime field 14, stime field 15 (1-based, proc(5)).
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  const io = readProcIo(pid);
  return {
    userSeconds: Number(fields[14 - 3]) / CLOCK_TICKS_PER_SECOND,
    systemSeconds: Number(fields[15 - 3]) / CLOCK_TICKS_PER_SECOND,
    readBytes: io.readBytes,
    writeBytes: io.writeBytes,
    syscr: io.syscr,
    syscw: io.syscw,
  };
}

/** after - before, field by field. */
export function usageDelta(before: ProcUsage, after: ProcUsage): ProcUsage {
  const out = {} as ProcUsage;
  for (const key of Object.keys(before) as (keyof ProcUsage)[]) out[key] = after[key] - before[key];
  return out;
}
