// The round trip of one asynchronous fs call: fs.read with a callback hands the read(2) to libuv's thread pool
// and comes back through the event loop (two thread hand-offs). fs.ReadStream pays this for every chunk.
// A 1-byte read of /dev/zero, so the call itself costs next to nothing and the round trip is what is timed.
import * as fs from "fs";
import { Measurement, measurementOf, nowSeconds, cpuSeconds } from "./measurement";

/** Runs `calls` fs.read calls one after another; resolves when the last callback has run. */
function readChain(fd: number, buffer: Buffer, calls: number): Promise<void> {
  return new Promise((resolve, reject) => {
    let left = calls;
    const next = (error: NodeJS.ErrnoException | null) => {
      if (error) return reject(error);
      if (left-- === 0) return resolve();
      fs.read(fd, buffer, 0, 1, null, next);
    };
    next(null);
  });
}

/** Wall time and process CPU per asynchronous 1-byte fs.read, `calls` per run, median of `runs`. */
export async function measureAsyncRead(calls: number, runs: number): Promise<{ wall: Measurement; cpu: Measurement }> {
  const fd = fs.openSync("/dev/zero", "r");
  const one = Buffer.alloc(1);
  const wall: number[] = [];
  const cpu: number[] = [];
  try {
    await readChain(fd, one, Math.min(calls, 1000)); // untimed warm-up: starts the thread pool
    for (let run = 0; run < runs; run++) {
      const cpu0 = cpuSeconds();
      const t0 = nowSeconds();
      await readChain(fd, one, calls);
      wall.push((nowSeconds() - t0) / calls);
      const cpu1 = cpuSeconds();
      cpu.push((cpu1.user + cpu1.system - cpu0.user - cpu0.system) / calls);
    }
  } finally {
    fs.closeSync(fd);
  }
  const how = `${calls} chained fs.read(1 byte of /dev/zero) with callbacks (thread pool round trip), median of ${runs}`;
  return {
    wall: measurementOf("async-read-wall", "s/call", wall, `wall per call; ${how}`),
    cpu: measurementOf("async-read-cpu", "s/call", cpu, `process CPU (all threads) per call; ${how}`),
  };
}
