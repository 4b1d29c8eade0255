// How much of two CPUs two busy threads of ours get right now. The transfer runs two busy processes (sender and
// receiver); other work on the machine takes its share of the cores. Two threads spin for a fixed time and the
// process's CPU time (all threads, exact from the scheduler) is divided by 2 x wall time.
import { Worker } from "worker_threads";
import { Measurement, measurementOf, nowSeconds, cpuSeconds } from "./measurement";

/** Busy-waits on this thread until `until` (seconds on the monotonic clock). */
function spinUntil(until: number): number {
  let turns = 0;
  while (nowSeconds() < until) turns++;
  return turns;
}

/** Code of the second spinning thread: spin until the deadline it is sent, then report. */
const WORKER = `
const { parentPort } = require("worker_threads");
parentPort.once("message", (until) => {
  while (Number(process.hrtime.bigint()) / 1e9 < until) {}
  parentPort.postMessage("done");
});`;

/** One spin of both threads for `seconds`; returns the CPU share (0..1) the two got. */
async function spinBoth(seconds: number): Promise<number> {
  const worker = new Worker(WORKER, { eval: true });
  try {
    await new Promise((resolve, reject) => {
      worker.once("online", resolve);
      worker.once("error", reject);
    });
    const cpu0 = cpuSeconds();
    const t0 = nowSeconds();
    const until = t0 + seconds;
    const done = new Promise((resolve, reject) => {
      worker.once("message", resolve);
      worker.once("error", reject);
    });
    worker.postMessage(until);
    spinUntil(until);
    await done;
    const wall = nowSeconds() - t0;
    const cpu1 = cpuSeconds();
    return (cpu1.user + cpu1.system - cpu0.user - cpu0.system) / (2 * wall);
  } finally {
    await worker.terminate();
  }
}

/** The share of two CPUs two of our busy threads get (1 = two free cores), median of `runs` spins of `seconds`. */
export async function measureCpuShare(seconds: number, runs: number): Promise<Measurement> {
  const values: number[] = [];
  for (let run = 0; run < runs; run++) values.push(Math.min(1, await spinBoth(seconds)));
  return measurementOf(
    "cpu-share",
    "fraction",
    values,
    `two threads spin ${seconds * 1000} ms; process CPU / (2 x wall), capped at 1, median of ${runs}`,
  );
}
