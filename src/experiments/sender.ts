// Sender child process: one transfer per process, so getrusage and /proc/self/io are this run's alone.
// It connects, puts the file's cache in the asked state, measures around the send, and reports over IPC.
// Started by transfer-experiment.ts through child.cjs.
import * as fs from "fs";
import { prepareCache } from "./cache-state";
import { readRusage, rusageDelta } from "./rusage";
import { readProcIo, procIoDelta } from "./proc-io";
import { sendAlong } from "./transfer-paths";
import { connectLoopback, replyOf } from "./loopback";
import { reportToParent } from "../cleanup/child-process";
import type { SendOrder, SendResult, SenderReport } from "./transfer-messages";

/** Runs one measured transfer and returns the sender's side of the record. */
async function run(job: SendOrder): Promise<SendResult> {
  const fd = fs.openSync(job.file, "r");
  const socket = await connectLoopback(job.port);
  const localPort = socket.localPort ?? -1; // read now: gone once both sides have closed
  try {
    const cache = prepareCache(fd, job.cache);
    const reply = replyOf(socket);
    const rusage0 = readRusage();
    const io0 = readProcIo();
    const t0 = process.hrtime.bigint();
    const counts = await sendAlong(job.path, fd, socket, job.bytes, job.chunk);
    socket.end();
    const answer = await reply; // the clock stops when the receiver has drained every byte
    const t1 = process.hrtime.bigint();
    const io = procIoDelta(io0, readProcIo());
    const rusage = rusageDelta(rusage0, readRusage());
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
