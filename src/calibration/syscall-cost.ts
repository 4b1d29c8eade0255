// The cost of one system call, split the way getrusage splits it: the kernel's side (system CPU per call) and
// the caller's side (wall time per call from a JS loop, which adds Node's binding between JS and C).
// Two calls: a 1-byte read(2) of /dev/zero (a real read, as the paths make, with a copy too small to matter) and
// getppid(2) through process.ppid (the emptiest call there is: almost only the two mode switches).
// Why not fstat: Node builds a Stats object per call (2x the JS work); why not a 0-byte read: Node skips the call.
// getrusage splits CPU into user and system by sampling at each 4 ms tick (CONFIG_TICK_CPU_ACCOUNTING):
// the split is statistical, so each run makes enough calls to span dozens of ticks, and we take the median.
import * as fs from "fs";
import { Measurement, measurementOf, nowSeconds, cpuSeconds } from "./measurement";

/** Times `calls` calls of `call`: wall and system CPU per call, median of `runs`. */
function perCall(call: () => void, calls: number, runs: number): { wall: number[]; system: number[] } {
  for (let i = 0; i < Math.min(calls, 10_000); i++) call(); // untimed warm-up: JIT
  const wall: number[] = [];
  const system: number[] = [];
  for (let run = 0; run < runs; run++) {
    const cpu0 = cpuSeconds();
    const t0 = nowSeconds();
    for (let i = 0; i < calls; i++) call();
    const t1 = nowSeconds();
    wall.push((t1 - t0) / calls);
    system.push((cpuSeconds().system - cpu0.system) / calls);
  }
  return { wall, system };
}

/** Kernel CPU and wall time from JS per read(2), and kernel CPU per getppid(2). */
export function measureSyscall(calls: number, runs: number): Measurement[] {
  const fd = fs.openSync("/dev/zero", "r");
  const one = Buffer.alloc(1);
  let read: { wall: number[]; system: number[] };
  try {
    read = perCall(() => fs.readSync(fd, one, 0, 1, null), calls, runs);
  } finally {
    fs.closeSync(fd);
  }
  let sink = 0;
  const empty = perCall(() => (sink += process.ppid), calls, runs);
  if (!Number.isFinite(sink)) throw new Error("process.ppid returned no number");
  const how = `${calls} calls per run, median of ${runs}`;
  return [
    measurementOf("syscall-kernel", "s/call", read.system, `system CPU per 1-byte read(2) of /dev/zero (getrusage); ${how}`),
    measurementOf("syscall-from-js", "s/call", read.wall, `wall time per fs.readSync(1 byte of /dev/zero); ${how}`),
    measurementOf("syscall-empty-kernel", "s/call", empty.system, `system CPU per getppid(2) (process.ppid): entry + exit; ${how}`),
  ];
}
