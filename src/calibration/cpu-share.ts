// How much CPU our busy threads get right now. The transfer runs two busy processes (sender and receiver); other
// work on the machine, or a CPU affinity mask, takes its share of the cores. Threads spin for a fixed time and
// the process's CPU time (all threads, exact from the scheduler) is divided by threads x wall time:
//  - one thread spinning: the share of a core one busy chain gets (1 on an idle machine);
//  - two threads spinning: the share each of two busy chains gets (1 with two free cores, 0.5 on one core).
import { Worker } from "worker_threads";
import { Measurement, measurementOf, nowSeconds, cpuSeconds } from "./measurement";

/** Code of a helper spinning thread: spin until the deadline it is sent, then report. */
const WORKER = `
const { parentPort } = require("worker_threads");
parentPort.on("message", (until) => {
  while (Number(process.hrtime.bigint()) / 1e9 < until) {}
  parentPort.postMessage("done");
});`;

/** Busy-waits on this thread until `until` (seconds on the monotonic clock). */
function spinUntil(until: number): void {
  while (nowSeconds() < until) {
    // spin
  }
}

/** Starts a spinning helper thread and waits until it is running. */
async function startSpinner(): Promise<Worker> {
  const worker = new Worker(WORKER, { eval: true });
  await new Promise((resolve, reject) => {
    worker.once("online", resolve);
    worker.once("error", reject);
  });
  return worker;
}

/** Spins this thread and `helpers` more for `seconds`; returns the CPU share each thread got (0..1). */
async function spin(seconds: number, helpers: Worker[]): Promise<number> {
  const cpu0 = cpuSeconds();
  const t0 = nowSeconds();
  const until = t0 + seconds;
  const done = helpers.map(
    (w) =>
      new Promise((resolve, reject) => {
        w.once("message", resolve);
        w.once("error", reject);
      }),
  );
  helpers.forEach((w) => w.postMessage(until));
  spinUntil(until);
  await Promise.all(done);
  const wall = nowSeconds() - t0;
  const cpu1 = cpuSeconds();
  return (cpu1.user + cpu1.system - cpu0.user - cpu0.system) / ((1 + helpers.length) * wall);
}

/** The share of a core one busy thread gets and each of two get, median of `runs` spins of `seconds`. */
export async function measureCpuShare(seconds: number, runs: number): Promise<{ one: Measurement; two: Measurement }> {
  const one: number[] = [];
  const two: number[] = [];
  for (let run = 0; run < runs; run++) one.push(Math.min(1, await spin(seconds, [])));
  const helper = await startSpinner();
  try {
    for (let run = 0; run < runs; run++) two.push(Math.min(1, await spin(seconds, [helper])));
  } finally {
    await helper.terminate();
  }
  const how = `process CPU / (threads x wall), capped at 1, spins of ${seconds * 1000} ms, median of ${runs}`;
  return {
    one: measurementOf("cpu-share-one", "fraction", one, `one thread spinning; ${how}`),
    two: measurementOf("cpu-share-two", "fraction", two, `two threads spinning at once; ${how}`),
  };
}
