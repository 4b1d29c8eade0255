// The transfer experiment: a file sent over loopback TCP to a receiver process, along each path, n times,
// interleaved, each run verified byte-exact. Produces a TransferResult (plain JSON). Called by the CLI
// (`workbook transfer`), the benchmark, notebooks and the report.
import { interleavedRuns } from "./run-order";
import * as fs from "fs";
import * as path from "path";
import { requireBytes, requireInteger, requireChoice } from "../units/arguments";
import { requireNative } from "../native/addon";
import { MAX_RW_COUNT } from "../reference/linux";
import { formatChecksum, CHECKSUM_NAME } from "./checksum";
import { startChild, ChildHandle, ChildOptions, MessageOf } from "../cleanup/child-process";
import { machineConditions, MachineConditions } from "./conditions";
import { makeScratchDir } from "../cleanup/scratch-dir";
import { summarize, summarizeFields } from "../statistics/spread";
import { writeResultFile } from "./result-file";
import { SENDER_FIELDS, SendOrder, SenderReport, ReceiverOrder, ReceiverReport } from "./transfer-messages";
import { TRANSFER_METRICS, SYSCALL_SOURCES, TransferRun, TransferSummary, TransferResult } from "./transfer-records";
import { KiB, MiB, GiB } from "../units/sizes";
import { TRANSFER_PATHS, TransferPath, CACHE_STATES, CacheState } from "../vocabulary/transfer";
import { writeDataFile, describeFile, DataFile } from "./data-file";
import type { LinkNamespace } from "../link/namespace";
import { forkInNamespace } from "../link/namespace-exec";

/** Largest file the experiment makes: 64 GiB (it must fit on disk and in the page cache for a warm run). */
export const MAX_TRANSFER_BYTES = 64 * GiB;

/** What to run. Only `bytes` (or `file`) is required. */
export interface TransferOptions {
  /** Paths to compare (default: all five). */
  paths?: readonly TransferPath[];
  /** Size of the generated file; with `file`, must match its size or be omitted. */
  bytes?: number;
  /** Send this existing file instead of a generated one. */
  file?: string;
  /** Measured runs per path (default 7). */
  runs?: number;
  /** Unrecorded warm-up runs per path before the measured ones (default 1). */
  warmup?: number;
  cache?: CacheState;
  /** Read size of stream, read-write and c-read-write (default 64 KiB). */
  chunk?: number;
  /** Quiet milliseconds before and after each send over which the sender measures the machine's background
   *  load (default 0: none; the link chapter uses it to subtract other processes from the machine-wide CPU). */
  backgroundWindowMs?: number;
  /** Where the scratch directory goes (default os.tmpdir()). */
  dir?: string;
  /** Write the result JSON here. */
  out?: string;
  /** Called after every run, warm-up runs included. */
  onProgress?: (progress: TransferProgress) => void;
  /** Run receiver and senders inside this network namespace (see link-transfer.ts); recorded in the conditions. */
  link?: LinkNamespace;
}

/** Progress of an experiment, for progress bars. */
export interface TransferProgress {
  done: number;
  total: number;
  path: TransferPath;
  round: number;
  warmup: boolean;
  wallSeconds: number;
}

/** Raised when the receiver did not get exactly the file: such a run is an error, never a data point. */
export class TransferVerificationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "TransferVerificationError";
  }
}

/** Validated options with defaults filled in. */
export interface TransferPlan {
  paths: TransferPath[];
  file?: string;
  bytes: number;
  runs: number;
  warmup: number;
  cache: CacheState;
  chunk: number;
  backgroundWindowMs: number;
}

/** Checks every option before anything is created; throws RangeError/TypeError naming the bad one. */
export function planTransfer(options: TransferOptions): TransferPlan {
  const paths = [...(options.paths ?? TRANSFER_PATHS)];
  if (paths.length === 0) throw new RangeError("paths must name at least one of " + TRANSFER_PATHS.join(", "));
  paths.forEach((p) => requireChoice("path", p, TRANSFER_PATHS));
  const cache = options.cache ?? "warm";
  requireChoice("cache", cache, CACHE_STATES);
  let bytes = options.bytes;
  if (options.file !== undefined) {
    // Bad input, not a failure: RangeError, so the CLI exits 2 with this one line.
    if (!fs.existsSync(options.file)) throw new RangeError(`file not found: ${options.file}; pass an existing file or --bytes to generate one`);
    if (!fs.statSync(options.file).isFile()) throw new RangeError(`not a regular file: ${options.file}; sendfile needs a regular file`);
    const size = fs.statSync(options.file).size;
    if (bytes !== undefined && bytes !== size) throw new RangeError(`bytes (${bytes}) does not match the size of ${options.file} (${size})`);
    bytes = size;
  }
  if (bytes === undefined) throw new RangeError("bytes is required (the size of the file to send), or pass a file");
  requireBytes("bytes", bytes, 0, MAX_TRANSFER_BYTES);
  return {
    paths: [...new Set(paths)],
    file: options.file,
    bytes,
    runs: requireInteger("runs", options.runs ?? 7, 1, 1000),
    warmup: requireInteger("warmup", options.warmup ?? 1, 0, 100),
    cache,
    chunk: requireBytes("chunk", options.chunk ?? 64 * KiB, 1, MAX_RW_COUNT),
    backgroundWindowMs: requireInteger("backgroundWindowMs", options.backgroundWindowMs ?? 0, 0, 10_000),
  };
}

/** How long one run may take before it counts as hung: 60 s plus 10 MiB/s, plus twice the link's own time. */
function runTimeoutMs(bytes: number, linkBitsPerSecond: number | null = null): number {
  return 60_000 + (bytes / (10 * MiB)) * 1000 + (linkBitsPerSecond ? ((2 * 8 * bytes) / linkBitsPerSecond) * 1000 : 0);
}

/** What the receiver reports for one connection: its bytes and checksum, or the error that ended it. */
export type Receipt = MessageOf<ReceiverReport, "received" | "receive-error">;

/** Throws unless the receiver reported exactly the file's length and checksum; called after every run. */
export function verifyReceipt(path: string, round: number, data: DataFile, receipt: Receipt): asserts receipt is MessageOf<ReceiverReport, "received"> {
  const expected = formatChecksum(data.checksum);
  if (receipt.type !== "received" || receipt.bytes !== data.bytes || receipt.checksum !== expected) {
    const got = receipt.type === "received" ? `${receipt.bytes} bytes with ${CHECKSUM_NAME} ${receipt.checksum}` : `an error after ${receipt.bytes} bytes (${receipt.message})`;
    throw new TransferVerificationError(
      `${path} run ${round}: the receiver got ${got}, the file has ${data.bytes} bytes with ${CHECKSUM_NAME} ${expected}; ` +
        "a run that loses data is an error, not a data point",
    );
  }
}

/** A receiver process listening on 127.0.0.1, ready for one connection per run. */
export interface Receiver {
  handle: ChildHandle<ReceiverOrder, ReceiverReport>;
  port: number;
  /** The network namespace it listens in (senders must run there too); absent: the machine's loopback. */
  link?: Pick<LinkNamespace, "name" | "rateBitsPerSecond">;
}

/** Child options that run a child inside network namespace `name`, or as usual without one. */
function inNamespace(name: string | undefined): ChildOptions {
  return name === undefined ? {} : { launcher: forkInNamespace(name) };
}

/** Starts the receiver child and waits for its port; stop it with `receiver.handle.stop()`. */
export async function startReceiver(link?: Receiver["link"]): Promise<Receiver> {
  const handle = startChild<ReceiverOrder, ReceiverReport>(path.join(__dirname, "receiver.ts"), "receiver", inNamespace(link?.name));
  try {
    const listening = await handle.next(["listening"], 30_000, "port");
    return { handle, port: listening.port, link };
  } catch (error) {
    await handle.stop();
    throw error;
  }
}

/** Waits for the receiver's report on the connection from `localPort` and verifies it against the file. */
export async function awaitVerifiedReceipt(receiver: Receiver, localPort: number, data: DataFile, label: string, round: number): Promise<MessageOf<ReceiverReport, "received">> {
  const receipt = await receiver.handle.next(["received", "receive-error"], 30_000, "receipt", (m) => m.peerPort === localPort);
  verifyReceipt(label, round, data, receipt);
  return receipt;
}

/** What one run needs: the path, its chunk size and cache state. */
export interface RunSetup {
  path: TransferPath;
  round: number;
  chunk: number;
  cache: CacheState;
  /** Quiet milliseconds before and after the send to measure the machine's background load over (0: none). */
  backgroundWindowMs?: number;
  /** For cold runs: where to put a fresh copy of the file (see coldCopy); without it the file itself is used. */
  scratchDir?: string;
}

/** A fresh copy of the data file for one cold run; removed after the run. Called by runTransferOnce.
 *  Why: after a sendfile/splice run, now and then one 2 MiB folio of the file stayed resident through
 *  fadvise(DONTNEED) for seconds (once > 20 s). Most likely a socket buffer still references it (the kernel
 *  defers some skb frees; not proven here), and DONTNEED cannot drop a referenced page. A copy's pages were
 *  never handed to a socket, so DONTNEED empties it every time. */
async function coldCopy(data: DataFile, dir: string, label: string): Promise<DataFile> {
  const copy = path.join(dir, `cold-${label}.bin`);
  await fs.promises.copyFile(data.path, copy); // off the event loop: a signal during a 64 GiB copy is handled at once
  return { ...data, path: copy };
}

/** Runs one transfer in a fresh sender process and checks the receiver's report against the file. */
export async function runTransferOnce(setup: RunSetup, data: DataFile, receiver: Receiver): Promise<TransferRun> {
  const { path: name, round } = setup;
  const sender = startChild<SendOrder, SenderReport>(path.join(__dirname, "sender.ts"), `sender (${name})`, inNamespace(receiver.link?.name));
  let source = data;
  try {
    if (setup.cache === "cold" && setup.scratchDir) source = await coldCopy(data, setup.scratchDir, `${name}-${round}`);
    const job: SendOrder = {
      type: "run",
      file: source.path,
      port: receiver.port,
      path: name,
      bytes: data.bytes,
      chunk: setup.chunk,
      cache: setup.cache,
      backgroundWindowMs: setup.backgroundWindowMs ?? 0,
    };
    sender.send(job);
    const report = await sender.next(["result", "error"], runTimeoutMs(data.bytes, receiver.link?.rateBitsPerSecond), "result");
    if (report.type === "error") throw new Error(`${name}: ${report.message}`);
    const receipt = await awaitVerifiedReceipt(receiver, report.localPort, data, name, round);
    const measured = Object.fromEntries(SENDER_FIELDS.map((field) => [field, report[field]])) as Pick<TransferRun, (typeof SENDER_FIELDS)[number]>;
    return {
      path: name,
      round,
      bytes: data.bytes,
      chunk: setup.chunk,
      cache: setup.cache,
      ...measured,
      throughputMiBps: data.bytes / MiB / report.wallSeconds,
      receiverCpuMs: receipt.cpuMs,
      machineBusyMs: report.machineBusyMs,
      machineStealMs: report.machineStealMs,
      backgroundBeforeBusyMs: report.backgroundBeforeBusyMs,
      backgroundAfterBusyMs: report.backgroundAfterBusyMs,
      backgroundWindowMs: report.backgroundWindowMs,
      receivedBytes: receipt.bytes,
      receivedChecksum: receipt.checksum,
    };
  } finally {
    await sender.stop();
    if (source !== data) fs.rmSync(source.path, { force: true });
  }
}

/** Median and min-max of every metric, per path, in the order the paths were given. */
export function summarizeTransfer(paths: readonly TransferPath[], runs: readonly TransferRun[]): TransferSummary[] {
  return paths.map((path) => {
    const mine = runs.filter((r) => r.path === path);
    const receiver = mine.map((r) => r.receiverCpuMs).filter((x): x is number => typeof x === "number");
    const summary: TransferSummary = { path, runs: mine.length, syscallSource: SYSCALL_SOURCES[path], metrics: summarizeFields(mine, TRANSFER_METRICS) };
    if (receiver.length === mine.length && receiver.length > 0) summary.receiverCpuMs = summarize(receiver);
    return summary;
  });
}

/** The result record of one data file's runs along `plan.paths`; `link` is the namespace they ran in, if any
 *  (its qdisc counters are read now, so call this when its runs are over). */
export function transferResult(plan: TransferPlan, data: DataFile, runs: TransferRun[], machine: MachineConditions, scratchDir: string, link?: LinkNamespace): TransferResult {
  return {
    kind: "transfer",
    conditions: {
      ...machine,
      paths: plan.paths,
      bytes: plan.bytes,
      chunk: plan.chunk,
      cache: plan.cache,
      runs: plan.runs,
      warmupRuns: plan.warmup,
      checksum: CHECKSUM_NAME,
      fileChecksum: formatChecksum(data.checksum),
      loopback: "TCP 127.0.0.1, receiver in its own process, one sender process per run",
      scratchDir,
      loadAverageEnd: machineConditions().loadAverage,
      ...(plan.backgroundWindowMs > 0 ? { backgroundWindowMs: plan.backgroundWindowMs } : {}),
      ...(link ? { link: link.describe() } : {}),
    },
    runs,
    summaries: summarizeTransfer(plan.paths, runs),
  };
}

/** Makes the plan's data file in `scratchDir`, or describes the given file; checks it has the planned size. */
export async function planData(plan: TransferPlan, scratchDir: string): Promise<DataFile> {
  const data = plan.file ? await describeFile(plan.file) : await writeDataFile(path.join(scratchDir, `data-${plan.bytes}.bin`), plan.bytes);
  if (data.bytes !== plan.bytes) throw new Error(`${data.path} changed size while being read (${data.bytes} != ${plan.bytes} bytes)`);
  return data;
}

/** Runs the experiment: makes the file, starts the receiver, runs every path n times, verifies, summarises. */
export async function runTransferExperiment(options: TransferOptions): Promise<TransferResult> {
  const plan = planTransfer(options);
  requireNative();
  const machine = machineConditions();
  // Room for the generated file, and for one fresh copy at a time when the cache must be cold.
  const scratch = makeScratchDir("transfer", (plan.file ? 0 : plan.bytes) + (plan.cache === "cold" ? plan.bytes : 0), options.dir);
  let receiver: Receiver | undefined;
  try {
    const data = await planData(plan, scratch.dir);
    receiver = await startReceiver(options.link);
    const jobs = interleavedRuns(plan.paths, plan.warmup, plan.runs);
    const runs: TransferRun[] = [];
    for (const [index, job] of jobs.entries()) {
      const setup = { path: job.item, round: job.round, chunk: plan.chunk, cache: plan.cache, backgroundWindowMs: plan.backgroundWindowMs, scratchDir: scratch.dir };
      const run = await runTransferOnce(setup, data, receiver);
      if (!job.warmup) runs.push(run);
      options.onProgress?.({ done: index + 1, total: jobs.length, path: job.item, round: job.round, warmup: job.warmup, wallSeconds: run.wallSeconds });
    }
    const result = transferResult(plan, data, runs, machine, plan.file ? path.dirname(plan.file) : path.dirname(scratch.dir), options.link);
    if (options.out) writeResultFile(options.out, result);
    return result;
  } finally {
    await receiver?.handle.stop();
    scratch.remove();
  }
}
