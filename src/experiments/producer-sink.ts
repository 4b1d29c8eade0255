// Sink child process of the producer experiment (chapter 5): a "broker-like" log writer. It listens on
// 127.0.0.1 (ephemeral port); for each job the parent announces it accepts one connection, write()s every
// received chunk into a file under the job's flush policy, acks the producer, and then measures where the
// bytes are: resident pages (mincore), the counters that moved, and a later fsync that forces what is left.
// Started by producer.ts through child.cjs; exits when the parent goes away.
import * as fs from "fs";
import * as net from "net";
import * as path from "path";
import * as crypto from "crypto";
import { residency } from "./cache-state";
import { readRusage, rusageDelta } from "./rusage";
import { readProcIo, procIoDelta } from "./proc-io";
import { dirtyBytes } from "./producer-writeback";
import { blockDeviceOf, deviceWriteBytes, BlockDevice } from "./block-device";
import { reportToParent } from "../cleanup/child-process";
import type { SinkJob, FlusherJob, SinkOrder, SinkReport, RawSample } from "./producer-messages";

/** Monotonic clock in ns (CLOCK_MONOTONIC, shared with the producer process). */
function now(): number {
  return Number(process.hrtime.bigint());
}

/** Reports to the parent. */
function report(message: SinkReport): void {
  reportToParent(message);
}

/** write(2) until all `length` bytes from `offset` are in the file at `position`; returns the calls made. */
function writeAll(fd: number, data: Buffer, offset: number, length: number, position: number): number {
  let calls = 0;
  for (let done = 0; done < length; calls++) done += fs.writeSync(fd, data, offset + done, length - done, position + done);
  return calls;
}

/** Milliseconds of sleep, for the flusher observation's waits. */
function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));
}

/** Handles one producer connection under `job`: receive + write + policy, ack, then measure. */
function serve(socket: net.Socket, job: SinkJob): void {
  const fd = fs.openSync(job.file, "w+"); // read access too: mincore() needs a readable mapping
  const device: BlockDevice | null = blockDeviceOf(job.file);
  const deviceNow = () => (device ? deviceWriteBytes(device) : 0);
  const connectedNs = now();
  const rusage0 = readRusage();
  const io0 = readProcIo();
  const dirty0 = dirtyBytes();
  const device0 = deviceNow();
  const samples: RawSample[] = [];
  let written = 0;
  let durable = 0;
  let writeCalls = 0;
  let fsyncCalls = 0;
  let nextSample = 0;
  let failed = false;
  let acked = false;

  const sample = () => samples.push({ ns: now(), writtenBytes: written, durableBytes: durable, deviceWriteBytes: device ? deviceNow() - device0 : null });
  // "fsync() transfers ("flushes") all modified in-core data of ... the file ... to the disk device ...
  // The call blocks until the device reports that the transfer has completed." (fsync(2))
  const flush = () => {
    fs.fsyncSync(fd);
    fsyncCalls++;
    durable = written;
    sample();
  };
  const fail = (error: Error) => {
    if (failed) return;
    failed = true;
    socket.destroy();
    try {
      fs.closeSync(fd);
    } catch {
      // already closed
    }
    report({ type: "sink-error", id: job.id, bytes: written, message: error.message });
  };

  socket.on("data", (data: Buffer) => {
    try {
      if (written === 0) sample(); // the first byte has arrived
      // recv() has copied the bytes into `data` (user space); write() copies them into the page cache.
      for (let offset = 0; offset < data.length; ) {
        // fsync-each cuts writes at every fsyncBytes boundary, so each fsync covers exactly one chunk.
        const room = job.policy === "fsync-each" ? job.fsyncBytes - (written - durable) : data.length - offset;
        const n = Math.min(room, data.length - offset);
        writeCalls += writeAll(fd, data, offset, n, written);
        written += n;
        offset += n;
        if (job.policy === "fsync-each" && written - durable === job.fsyncBytes) flush();
      }
      if (written >= nextSample) {
        sample();
        nextSample = written + job.sampleBytes;
      }
    } catch (error) {
      fail(error as Error);
    }
  });

  socket.on("end", () => {
    if (failed) return;
    finish().catch(fail);
  });
  // Once the ack is out the producer may close at once; a reset after that is no failure of the run.
  socket.on("error", (error) => acked || fail(error));

  /** After the producer's last byte: the policy's final fsync, the ack, then the after-measurements. */
  async function finish(): Promise<void> {
    sample(); // every byte is in the page cache
    if (job.policy === "fsync-end" || (job.policy === "fsync-each" && written > durable)) flush();
    const ackNs = now();
    const rusage = rusageDelta(rusage0, readRusage());
    const ioAtAck = readProcIo();
    const dirtyAtAck = dirtyBytes();
    const deviceAtAck = deviceNow();
    // The producer's clock stops when it reads this line; wait until the kernel has it before going on.
    await new Promise<void>((resolve, reject) => socket.write("ack\n", (error) => (error ? reject(error) : resolve())));
    acked = true;
    socket.end();
    const resident = residency(fd); // right after the ack: where are the pages?
    const fileBytes = fs.fstatSync(fd).size;

    // The later fsync: whatever the policy left dirty must reach the disk now.
    const laterStartNs = now();
    const ioBefore = readProcIo();
    const deviceBefore = deviceNow();
    fs.fsyncSync(fd);
    const laterEndNs = now();
    const ioLater = procIoDelta(ioBefore, readProcIo());
    const deviceLater = deviceNow() - deviceBefore;
    const dirtyAfter = dirtyBytes();
    durable = written;
    sample();
    fs.closeSync(fd);
    const ioRun = procIoDelta(io0, readProcIo());
    report({
      type: "stored",
      id: job.id,
      receivedBytes: written,
      fileBytes,
      writeCalls,
      fsyncCalls,
      sinkUserCpuMs: rusage.userMicros / 1000,
      sinkSystemCpuMs: rusage.systemMicros / 1000,
      writeBytesDuring: ioAtAck.writeBytes - io0.writeBytes,
      writeBytesLater: ioLater.writeBytes,
      cancelledWriteBytes: ioRun.cancelledWriteBytes,
      deviceWriteBytesDuring: device ? deviceAtAck - device0 : null,
      deviceWriteBytesLater: device ? deviceLater : null,
      dirtyBytesBefore: dirty0,
      dirtyBytesAtAck: dirtyAtAck,
      dirtyBytesAfterLaterFsync: dirtyAfter,
      residentPages: resident.resident,
      filePages: resident.total,
      connectedNs,
      ackNs,
      laterStartNs,
      laterEndNs,
      samples,
    });
  }
}

/**
 * The flusher observation: writes every file at once (page cache only), then fsyncs file i when its data
 * is agesSeconds[i] old and times it. Reports one probe per file; the files stay for the parent to delete.
 */
async function probeFlusher(job: FlusherJob): Promise<void> {
  const data = crypto.randomBytes(job.bytesPerFile);
  const device = blockDeviceOf(job.dir);
  const fds = job.agesSeconds.map((_, i) => fs.openSync(path.join(job.dir, `flusher-${job.id}-${i}.bin`), "w"));
  try {
    for (const fd of fds) writeAll(fd, data, 0, data.length, 0);
    const writtenNs = now();
    const probes = [];
    for (const [i, age] of job.agesSeconds.entries()) {
      await sleep(age * 1000 - (now() - writtenNs) / 1e6);
      const ageSeconds = (now() - writtenNs) / 1e9;
      const device0 = device ? deviceWriteBytes(device) : 0;
      const t0 = now();
      fs.fsyncSync(fds[i]);
      const fsyncSeconds = (now() - t0) / 1e9;
      probes.push({ ageSeconds, fsyncSeconds, deviceWriteBytes: device ? deviceWriteBytes(device) - device0 : null });
    }
    report({ type: "flusher-done", id: job.id, probes });
  } finally {
    for (const fd of fds) fs.closeSync(fd);
  }
}

const pending: SinkJob[] = [];

const server = net.createServer((socket) => {
  const job = pending.shift();
  if (!job) {
    socket.destroy(); // nobody announced this connection
    return;
  }
  try {
    serve(socket, job);
  } catch (error) {
    socket.destroy(); // e.g. the file could not be created: say so instead of dying
    report({ type: "sink-error", id: job.id, bytes: 0, message: (error as Error).message });
  }
});
server.on("error", (error) => {
  report({ type: "fatal", message: error.message });
  process.exit(1);
});
process.on("message", (job: SinkOrder) => {
  if (job?.type === "expect") {
    pending.push(job);
    report({ type: "ready", id: job.id });
  } else if (job?.type === "flusher") {
    probeFlusher(job).catch((error: Error) => report({ type: "sink-error", id: job.id, bytes: 0, message: error.message }));
  }
});
server.listen(0, "127.0.0.1", () => report({ type: "listening", port: (server.address() as net.AddressInfo).port }));
