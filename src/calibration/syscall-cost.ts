// The cost of one system call, split the way getrusage splits it: the kernel's side (system CPU per call) and
// the caller's side (wall time per call from a JS loop, which adds Node's binding between JS and C).
// The call is a 1-byte read(2) of /dev/zero: a real read (the paths' call), with a copy too small to matter.
// Why not fstat: Node builds a Stats object per call (about 2x the JS work); why not length 0: Node skips the call.
import * as fs from "fs";
import { Measurement, measurementOf, nowSeconds, cpuSeconds } from "./measurement";

/** Kernel CPU per read(2) and wall time per read(2) from JS, over `calls` calls, median of `runs`. */
export function measureSyscall(calls: number, runs: number): { kernel: Measurement; fromJs: Measurement } {
  const fd = fs.openSync("/dev/zero", "r");
  const one = Buffer.alloc(1);
  const kernel: number[] = [];
  const wall: number[] = [];
  try {
    for (let i = 0; i < Math.min(calls, 10_000); i++) fs.readSync(fd, one, 0, 1, null); // untimed warm-up: JIT
    for (let run = 0; run < runs; run++) {
      const cpu0 = cpuSeconds();
      const t0 = nowSeconds();
      for (let i = 0; i < calls; i++) fs.readSync(fd, one, 0, 1, null);
      const t1 = nowSeconds();
      const cpu1 = cpuSeconds();
      wall.push((t1 - t0) / calls);
      kernel.push((cpu1.system - cpu0.system) / calls);
    }
  } finally {
    fs.closeSync(fd);
  }
  return {
    kernel: measurementOf(
      "syscall-kernel",
      "s/call",
      kernel,
      `system CPU per 1-byte read(2) of /dev/zero (getrusage), ${calls} calls per run, median of ${runs}`,
    ),
    fromJs: measurementOf("syscall-from-js", "s/call", wall, `wall time per fs.readSync(1 byte of /dev/zero), ${calls} calls per run, median of ${runs}`),
  };
}
