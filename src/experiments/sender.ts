// Sender child process: one transfer per process, so getrusage and /proc/self/io are this run's alone.
// It connects, puts the file's cache in the asked state, measures around the send, and reports over IPC.
// Started by transfer-experiment.ts through child.cjs.
import * as fs from "fs";
import { prepareCache } from "./cache-state";
import { readRusage, rusageDelta } from "./rusage";
import { readProcIo, procIoDelta } from "./proc-io";
import { readMachineCpu, machineCpuDelta } from "./machine-cpu";
import { sendAlong } from "./transfer-paths";
import { connectLoopback, replyOf } from "./loopback";
import { reportToParent } from "../cleanup/child-process";
import type { SendOrder, SendResult, SenderReport } from "./transfer-messages";

/** Sleeps `ms` while nothing of the experiment runs (the receiver waits, the parent waits for our report) and
 *  returns the machine's busy time meanwhile: everyone else's load right before or right after the send. */
async function backgroundWindow(ms: number): Promise<{ busyMs: number; windowMs: number }> {
  if (ms <= 0) return { busyMs: 0, windowMs: 0 };
  const before = readMachineCpu();
  const t0 = process.hrtime.bigint();
  await new Promise((resolve) => setTimeout(resolve, ms));
  const windowMs = Number(process.hrtime.bigint() - t0) / 1e6;
  return { busyMs: machineCpuDelta(before, readMachineCpu()).busyMs, windowMs };
}

/** Runs one measured transfer and returns the sender's side of the record. */
async function run(job: SendOrder): Promise<SendResult> {
  const fd = fs.openSync(job.file, "r");
  const socket = await connectLoopback(job.port);
  const localPort = socket.localPort ?? -1; // read now: gone once both sides have closed
  try {
    const cache = prepareCache(fd, job.cache);
    const reply = replyOf(socket);
    const before = await backgroundWindow(job.backgroundWindowMs);
    const machine0 = readMachineCpu();
    const rusage0 = readRusage();
    const io0 = readProcIo();
    const t0 = process.hrtime.bigint();
    const counts = await sendAlong(job.path, fd, socket, job.bytes, job.chunk);
    socket.end();
    const answer = await reply; // the clock stops when the receiver has drained every byte
    const t1 = process.hrtime.bigint();
    const machine = machineCpuDelta(machine0, readMachineCpu());
    const io = procIoDelta(io0, readProcIo());
    const rusage = rusageDelta(rusage0, readRusage());
    const after = await backgroundWindow(job.backgroundWindowMs);
    if (answer !== "done\n") throw new Error(`receiver answered ${JSON.stringify(answer)} instead of "done"`);
    return {
      type: "result",
      localPort,
      residentPagesBefore: cache.resident,
      filePages: cache.total,
      wallSeconds: Number(t1 - t0) / 1e9,
      userCpuMs: rusage.userMicros / 1000,
      systemCpuMs: rusage.systemMicros / 1000,
      voluntarySwitches: rusage.voluntarySwitches,
      involuntarySwitches: rusage.involuntarySwitches,
      minorFaults: rusage.minorFaults,
      majorFaults: rusage.majorFaults,
      syscalls: counts.calls ?? io.syscr + io.syscw,
      polls: counts.polls,
      procSyscr: io.syscr,
      procSyscw: io.syscw,
      diskReadBytes: io.readBytes,
      machineBusyMs: machine.busyMs,
      machineStealMs: machine.stealMs,
      backgroundBeforeBusyMs: before.busyMs,
      backgroundAfterBusyMs: after.busyMs,
      backgroundWindowMs: (before.windowMs + after.windowMs) / 2,
    };
  } finally {
    socket.destroy();
    fs.closeSync(fd);
  }
}

/** Sends the one report to the parent, then leaves (the launcher exits on disconnect). */
function reply(message: SenderReport): void {
  reportToParent(message, () => process.disconnect());
}

process.once("message", (job: SendOrder) => {
  run(job).then(reply, (error: Error) => reply({ type: "error", message: error.message }));
});
