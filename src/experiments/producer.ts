// The producer experiment (chapter 5): a producer process sends N bytes over loopback TCP to a sink
// process that recv()s them and write()s them into a file under a flush policy (page-cache, fsync-end,
// fsync-each), then acks. Each run is verified byte-exact against the file as read back, and records the
// producer's wait, the sink's CPU and I/O counters, page-cache residency, system-wide Dirty, the disk
// device's writes, and a later fsync that makes the deferred writeback visible. Produces a ProducerResult
// (plain JSON). Called by notebook 5, the report (`workbook run`) and the tests.
import { interleavedRuns } from "./run-order";
import * as fs from "fs";
import * as path from "path";
import { readNetCounters, netCountersDelta } from "./net-counters";
import { SINK_FIELDS, ProducerOrder, ProducerReport, SinkJob, SinkOrder, SinkReport, StoredReport } from "./producer-messages";
import { requireBytes, requireInteger, requireChoice } from "../units/arguments";
import { requireNative } from "../native/addon";
import { CHECKSUM_NAME, formatChecksum } from "./checksum";
import { startChild, ChildHandle, MessageOf } from "../cleanup/child-process";
import { machineConditions } from "./conditions";
import { makeScratchDir } from "../cleanup/scratch-dir";
import { summarize, summarizeFields } from "../statistics/spread";
import { writeResultFile } from "./result-file";
import { describeFile } from "./data-file";
import { writebackSettings, flusherDeadlineSeconds } from "./producer-writeback";
import { filesystemTypeOf, blockDeviceOf } from "./block-device";
import {
  PRODUCER_POLICIES,
  PRODUCER_METRICS,
  ProducerPolicy,
  ProducerRun,
  ProducerSummary,
  ProducerResult,
  FlusherObservation,
  FlusherProbe,
} from "./producer-records";
import { KiB, MiB, GiB } from "../units/sizes";

/** Largest payload: 2 GiB (the producer holds it in memory; the sink writes one file of it per run). */
export const MAX_PRODUCER_BYTES = 2 * GiB;

/** What to run. Only `bytes` is required. */
export interface ProducerOptions {
  /** Bytes the producer sends per run. */
  bytes: number;
  /** Flush policies to compare (default: all three). */
  policies?: readonly ProducerPolicy[];
  /** Measured runs per policy (default 5). */
  runs?: number;
  /** Unrecorded warm-up rounds before the measured ones (default 1). */
  warmup?: number;
  /** fsync-each: bytes between fsyncs (default 1 MiB). */
  fsyncBytes?: number;
  /** The producer's socket write size (default 1 MiB). */
  sendChunk?: number;
  /** Also run the flusher observation: files left in the page cache, fsynced at growing ages (~40 s with default sysctls). */
  observeFlusher?: boolean;
  /** Where the scratch directory goes (default os.tmpdir()); its filesystem decides what write_bytes shows. */
  dir?: string;
  /** Write the result JSON here. */
  out?: string;
  /** Called after every run, warm-up runs included. */
  onProgress?: (progress: ProducerProgress) => void;
}

/** Progress of an experiment, for progress bars. */
export interface ProducerProgress {
  done: number;
  total: number;
  policy: ProducerPolicy;
  round: number;
  warmup: boolean;
  wallSeconds: number;
}

/** Raised when the file does not hold exactly what the producer sent: such a run is an error, never a data point. */
export class ProducerVerificationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ProducerVerificationError";
  }
}

/** Validated options with defaults filled in. */
export interface ProducerPlan {
  policies: ProducerPolicy[];
  bytes: number;
  runs: number;
  warmup: number;
  fsyncBytes: number;
  sendChunk: number;
  observeFlusher: boolean;
}

/** Checks every option before anything is created; throws RangeError/TypeError naming the bad one. */
export function planProducer(options: ProducerOptions): ProducerPlan {
  if (options === null || typeof options !== "object") throw new TypeError("options must be an object like { bytes: 16 * MiB }");
  if (options.bytes === undefined) throw new RangeError("bytes is required: how many bytes the producer sends per run");
  const policies = [...(options.policies ?? PRODUCER_POLICIES)];
  if (policies.length === 0) throw new RangeError(`policies must name at least one of ${PRODUCER_POLICIES.join(", ")}`);
  policies.forEach((p) => requireChoice("policy", p, PRODUCER_POLICIES));
  const observeFlusher = options.observeFlusher ?? false;
  if (typeof observeFlusher !== "boolean") throw new TypeError(`observeFlusher must be true or false, got ${JSON.stringify(observeFlusher)}`);
  return {
    policies: [...new Set(policies)],
    bytes: requireBytes("bytes", options.bytes, 0, MAX_PRODUCER_BYTES),
    runs: requireInteger("runs", options.runs ?? 5, 1, 1000),
    warmup: requireInteger("warmup", options.warmup ?? 1, 0, 100),
    fsyncBytes: requireBytes("fsyncBytes", options.fsyncBytes ?? MiB, 4096, GiB),
    sendChunk: requireBytes("sendChunk", options.sendChunk ?? MiB, 1, 64 * MiB),
    observeFlusher,
  };
}

/** How long one run may take before it counts as hung: 60 s plus 5 MiB/s (fsync-each on a slow disk). */
function runTimeoutMs(bytes: number): number {
  return 60_000 + (bytes / (5 * MiB)) * 1000;
}

/** The two children of an experiment: the sink (listening) and the producer (payload ready). */
interface Peers {
  sink: ChildHandle<SinkOrder, SinkReport>;
  port: number;
  producer: ChildHandle<ProducerOrder, ProducerReport>;
  sentChecksum: string;
}

/** Starts the sink and the producer; the producer makes its payload. Stops both if either fails. */
async function startPeers(bytes: number): Promise<Peers> {
  const sink = startChild<SinkOrder, SinkReport>(path.join(__dirname, "producer-sink.ts"), "sink");
  const producer = startChild<ProducerOrder, ProducerReport>(path.join(__dirname, "producer-client.ts"), "producer");
  try {
    const listening = await sink.next(["listening"], 30_000, "port");
    producer.send({ type: "prepare", bytes });
    const prepared = await producer.next(["prepared", "error"], 60_000 + (bytes / MiB) * 100, "payload");
    if (prepared.type === "error") throw new Error(`producer: ${prepared.message}`);
    return { sink, port: listening.port, producer, sentChecksum: prepared.checksum };
  } catch (error) {
    await Promise.all([sink.stop(), producer.stop()]);
    throw error;
  }
}

/** Throws unless the sink stored exactly what the producer sent: length at the sink, length and CRC-32 of the file. */
export function verifyStored(policy: string, round: number, sent: { bytes: number; checksum: string }, stored: { receivedBytes: number; fileBytes: number; fileChecksum: string }): void {
  if (stored.receivedBytes !== sent.bytes || stored.fileBytes !== sent.bytes || stored.fileChecksum !== sent.checksum) {
    throw new ProducerVerificationError(
      `${policy} run ${round}: the producer sent ${sent.bytes} bytes with ${CHECKSUM_NAME} ${sent.checksum}, the sink received ` +
        `${stored.receivedBytes} and its file holds ${stored.fileBytes} bytes with ${CHECKSUM_NAME} ${stored.fileChecksum}; ` +
        "a run that loses data is an error, not a data point",
    );
  }
}

/** One run's setup. */
interface RunSetup {
  policy: ProducerPolicy;
  round: number;
  id: number;
}

/** Runs one produce: announce it to the sink, let the producer send, verify the file, delete it. */
async function runOnce(setup: RunSetup, plan: ProducerPlan, peers: Peers, dir: string): Promise<ProducerRun> {
  const file = path.join(dir, `log-${setup.id}.bin`);
  try {
    const job: SinkJob = {
      type: "expect",
      id: setup.id,
      file,
      policy: setup.policy,
      fsyncBytes: plan.fsyncBytes,
      sampleBytes: Math.max(64 * KiB, Math.ceil(plan.bytes / 64)),
    };
    peers.sink.send(job);
    await peers.sink.next(["ready"], 30_000, "ready", (m) => m.id === setup.id);
    const netBefore = readNetCounters();
    peers.producer.send({ type: "send", port: peers.port, chunk: plan.sendChunk });
    const timeout = runTimeoutMs(plan.bytes);
    const storedReport = peers.sink.next(["stored", "sink-error"], timeout, "report", (m) => m.id === setup.id);
    storedReport.catch(() => undefined); // if the producer fails first, we stop waiting for this one
    const sent = await peers.producer.next(["sent", "error"], timeout, "ack");
    const net = netCountersDelta(netBefore, readNetCounters());
    if (sent.type === "error") {
      // A sink that failed closes the connection: its own message says more than the producer's.
      const sinkSide = await Promise.race([storedReport, new Promise<null>((r) => setTimeout(() => r(null), 2000))]).catch(() => null);
      const why = sinkSide?.type === "sink-error" ? `sink: ${sinkSide.message} after ${sinkSide.bytes} bytes` : `producer: ${sent.message}`;
      throw new Error(`${setup.policy} run ${setup.round}: ${why}`);
    }
    const stored = await storedReport;
    if (stored.type === "sink-error") throw new Error(`${setup.policy} run ${setup.round}: sink: ${stored.message} after ${stored.bytes} bytes`);
    const onFile = await describeFile(file); // read back: the bytes as the file holds them
    const fileChecksum = formatChecksum(onFile.checksum);
    verifyStored(setup.policy, setup.round, { bytes: plan.bytes, checksum: peers.sentChecksum }, { receivedBytes: stored.receivedBytes, fileBytes: onFile.bytes, fileChecksum });
    return { ...toRun(setup, plan, peers.sentChecksum, sent, stored, onFile.bytes, fileChecksum), net };
  } finally {
    try {
      fs.rmSync(file, { force: true });
    } catch {
      // cleanup must not mask the run's own error; the scratch dir's removal gets whatever is left
    }
  }
}

/** Builds the run record from the producer's and the sink's reports; times move to the producer's clock. */
function toRun(
  setup: RunSetup,
  plan: ProducerPlan,
  sentChecksum: string,
  sent: MessageOf<ProducerReport, "sent">,
  stored: StoredReport,
  fileBytes: number,
  fileChecksum: string,
): Omit<ProducerRun, "net"> {
  const start = sent.startNs;
  const seconds = (ns: number) => (ns - start) / 1e9;
  const wallSeconds = (sent.ackNs - start) / 1e9;
  const measured = Object.fromEntries(SINK_FIELDS.map((field) => [field, stored[field]])) as Pick<ProducerRun, (typeof SINK_FIELDS)[number]>;
  return {
    policy: setup.policy,
    round: setup.round,
    bytes: plan.bytes,
    wallSeconds,
    throughputMiBps: plan.bytes / MiB / wallSeconds,
    ...measured,
    producerUserCpuMs: sent.userCpuMs,
    producerSystemCpuMs: sent.systemCpuMs,
    laterFsyncSeconds: (stored.laterEndNs - stored.laterStartNs) / 1e9,
    samples: stored.samples.map((s) => ({ seconds: seconds(s.ns), writtenBytes: s.writtenBytes, durableBytes: s.durableBytes, deviceWriteBytes: s.deviceWriteBytes })),
    ackSeconds: seconds(stored.ackNs),
    laterFsyncStartSeconds: seconds(stored.laterStartNs),
    laterFsyncEndSeconds: seconds(stored.laterEndNs),
    sentChecksum,
    fileBytes,
    fileChecksum,
  };
}

/** Median and min-max of every metric, per policy, in the order the policies were given. */
export function summarizeProducer(policies: readonly ProducerPolicy[], runs: readonly ProducerRun[]): ProducerSummary[] {
  return policies.map((policy) => {
    const mine = runs.filter((r) => r.policy === policy);
    const device = (key: "deviceWriteBytesDuring" | "deviceWriteBytesLater") =>
      mine.every((r) => r[key] !== null) ? summarize(mine.map((r) => r[key] as number)) : null;
    return {
      policy,
      runs: mine.length,
      metrics: summarizeFields(mine, PRODUCER_METRICS),
      deviceWriteBytesDuring: device("deviceWriteBytesDuring"),
      deviceWriteBytesLater: device("deviceWriteBytesLater"),
    };
  });
}

/** The flusher observation's files: six of 16 MiB, each left dirty and fsynced at its own age. */
const FLUSHER_FILES = 6;
const FLUSHER_FILE_BYTES = 16 * MiB;
/** Disk space the flusher observation needs. */
export const FLUSHER_BYTES = FLUSHER_FILES * FLUSHER_FILE_BYTES;

/**
 * Ages at which the flusher probes fsync their files: before expiry, just before it, within the flusher's
 * next wake-up, and after it. "dirty_expire_centisecs: ... when dirty data is older than this interval it
 * will be written out next time a flusher thread wakes up"; "dirty_writeback_centisecs: The kernel flusher
 * threads will periodically wake up and write `old' data out to disk." (Documentation/admin-guide/sysctl/vm.rst)
 */
export function flusherAges(expireSeconds: number, intervalSeconds: number): number[] {
  const ages = [0.5, expireSeconds / 3, (2 * expireSeconds) / 3, expireSeconds - 2, expireSeconds + intervalSeconds / 2, expireSeconds + intervalSeconds + 2];
  return ages.map((a) => Math.round(Math.max(0.5, a) * 10) / 10);
}

/** Runs the flusher observation in the sink, or says why it cannot (periodic writeback off, or too slow to wait for). */
async function observeFlusher(peers: Peers, dir: string): Promise<{ flusher: FlusherObservation | null; note: string }> {
  const settings = writebackSettings();
  const deadline = flusherDeadlineSeconds(settings);
  if (deadline === null) return { flusher: null, note: "periodic writeback is off (dirty_writeback_centisecs = 0) or its settings are unreadable" };
  if (deadline > 120) return { flusher: null, note: `periodic writeback would take ${deadline} s here; not waited for` };
  const expireSeconds = (settings.dirtyExpireCentisecs as number) / 100;
  const writebackIntervalSeconds = (settings.dirtyWritebackCentisecs as number) / 100;
  const agesSeconds = flusherAges(expireSeconds, writebackIntervalSeconds);
  const id = 1_000_000;
  peers.sink.send({ type: "flusher", id, dir, bytesPerFile: FLUSHER_FILE_BYTES, agesSeconds });
  const done = await peers.sink.next(["flusher-done", "sink-error"], 60_000 + agesSeconds[agesSeconds.length - 1] * 1000, "flusher probes", (m) => m.id === id);
  for (const name of fs.readdirSync(dir)) if (name.startsWith(`flusher-${id}-`)) fs.rmSync(path.join(dir, name), { force: true });
  if (done.type === "sink-error") throw new Error(`sink (flusher observation): ${done.message}`);
  return {
    flusher: { bytesPerFile: FLUSHER_FILE_BYTES, files: agesSeconds.length, probes: done.probes, expireSeconds, writebackIntervalSeconds },
    note: "",
  };
}

/** Runs the experiment: checks input and space, starts sink and producer, runs every policy n times, verifies, summarises. */
export async function runProducerExperiment(options: ProducerOptions): Promise<ProducerResult> {
  const plan = planProducer(options);
  requireNative(); // mincore and getrusage come from the addon: say so now, not from inside a child
  const machine = machineConditions();
  // One file at a time: each run's file is verified and deleted before the next.
  const scratch = makeScratchDir("producer", plan.bytes + (plan.observeFlusher ? FLUSHER_BYTES : 0), options.dir);
  let peers: Peers | undefined;
  try {
    peers = await startPeers(plan.bytes);
    const jobs = interleavedRuns(plan.policies, plan.warmup, plan.runs);
    const runs: ProducerRun[] = [];
    for (const [index, job] of jobs.entries()) {
      const run = await runOnce({ policy: job.item, round: job.round, id: index }, plan, peers, scratch.dir);
      if (!job.warmup) runs.push(run);
      options.onProgress?.({ done: index + 1, total: jobs.length, policy: job.item, round: job.round, warmup: job.warmup, wallSeconds: run.wallSeconds });
    }
    const observed = plan.observeFlusher ? await observeFlusher(peers, scratch.dir) : { flusher: null, note: "not asked for (it waits for periodic writeback: dirty_expire_centisecs + dirty_writeback_centisecs + 2 s, 37 s with the defaults)" };
    const device = blockDeviceOf(scratch.dir);
    const result: ProducerResult = {
      kind: "producer",
      conditions: {
        ...machine,
        policies: plan.policies,
        bytes: plan.bytes,
        fsyncBytes: plan.fsyncBytes,
        sendChunk: plan.sendChunk,
        runs: plan.runs,
        warmupRuns: plan.warmup,
        checksum: CHECKSUM_NAME,
        loopback: "TCP 127.0.0.1; producer and sink in their own processes, one connection per run",
        scratchDir: path.dirname(scratch.dir),
        filesystem: filesystemTypeOf(scratch.dir),
        device: device?.name ?? null,
        writeback: writebackSettings(),
        loadAverageEnd: machineConditions().loadAverage,
      },
      runs,
      summaries: summarizeProducer(plan.policies, runs),
      flusher: observed.flusher,
      flusherNote: observed.note,
    };
    if (options.out) writeResultFile(options.out, result);
    return result;
  } finally {
    if (peers) await Promise.all([peers.sink.stop(), peers.producer.stop()]);
    scratch.remove();
  }
}
