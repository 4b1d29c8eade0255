// The broker experiment's results as plain JSON records: one BrokerRunRecord per measured run, and
// BrokerSummaryRow per (scenario, serving, cache, consumers) with median and min-max over the repeats.
// Notebooks and the CLI plot/print these; nothing here measures.
import { summarize, Spread } from "../statistics/spread";
import { MachineConditions } from "../experiments/conditions";
import { ServingMode } from "./fetch-server";

/** How consumers meet the data: reading an existing log from the start, or following producers at the log end. */
export const SCENARIOS = ["catch-up", "tailing"] as const;
export type Scenario = (typeof SCENARIOS)[number];

/** Where the log's pages were when consumers started: evicted (cold), resident (warm), or just written (tailing). */
export type CacheCondition = "cold" | "warm" | "just-written";


/** One measured run: C consumers reading through one broker in one serving mode. */
export interface BrokerRunRecord {
  scenario: Scenario;
  serving: ServingMode;
  cache: CacheCondition;
  consumers: number;
  producers: number;
  repeat: number;
  /** Bytes of log each consumer read (the whole log for catch-up, what producers appended for tailing). */
  logBytes: number;
  /** Record bytes the broker sent to all consumers together (whole batches, CRC-checked by each consumer). */
  bytesServed: number;
  /** Records delivered, summed over consumers; each consumer got every acknowledged record exactly once. */
  recordsDelivered: number;
  seconds: number;
  servedMiBps: number;
  /** Tailing only: what producers appended during the run and how fast (acknowledged). */
  producedBytes: number | null;
  produceMiBps: number | null;
  fetches: number;
  avgFetchBytes: number;
  /** Broker CPU from getrusage(RUSAGE_SELF) inside the broker (microseconds; all threads, incl. the thread pool). */
  brokerUserSeconds: number;
  brokerSystemSeconds: number;
  brokerCpuSeconds: number;
  /** The same from /proc/<pid>/stat utime+stime: a cross-check with 10 ms resolution. */
  brokerProcStatCpuSeconds: number;
  /** Broker CPU (user + system, all threads) per GiB served. Tailing runs include the broker's append work. */
  brokerCpuSecondsPerGiB: number;
  /** /proc/<broker>/io read_bytes: bytes the broker caused to be read from the disk. */
  brokerReadBytes: number;
  /** brokerReadBytes / logBytes: ~1 when the log was read from disk once, ~0 when it came from the page cache. */
  diskReadsPerLogByte: number;
  /** Cold runs: brokerReadBytes / the log bytes that really were evicted (see residentBefore); ~1 = read from disk once. */
  diskReadsPerColdByte: number | null;
  /** brokerReadBytes / bytesServed: falls as 1/C when C consumers share one pass over the disk. */
  diskReadsPerServedByte: number;
  brokerSyscr: number;
  brokerSyscw: number;
  /** (syscr + syscw) per GiB served; a sendfile(2) counts once in each, a request read or pread in syscr. */
  brokerSyscallsPerGiB: number;
  /**
   * Catch-up only: the system calls that moved the served bytes, per GiB, to set beside the model's syscalls:
   * sendfile mode = sendfile(2) + poll(2) calls of the native loop; read-write mode = pread(2) calls + every
   * write-like call (syscw: in a catch-up run the broker writes only to sockets). Excludes request reads,
   * batch-header preads and (sendfile mode) the response header write. Null for tailing (appends mix in).
   */
  dataSyscallsPerGiB: number | null;
  /** sendfile mode: sendfile(2) calls and poll(2)s on EAGAIN inside the native loop (0 for read-write). */
  sendfileCalls: number;
  sendfilePolls: number;
  /** CPU of the experiment process that ran the consumers (and producers, when tailing). */
  clientCpuSeconds: number;
  /** Fraction of the log's pages resident when consumers started (mincore), or null if it could not be checked. */
  residentBefore: number | null;
  verified: true;
  loadAverage1m: number;
}

/** Median and min-max of a run metric over the repeats of one configuration. */
export interface BrokerSummaryRow {
  scenario: Scenario;
  serving: ServingMode;
  cache: CacheCondition;
  consumers: number;
  runs: number;
  servedMiBps: Spread;
  brokerCpuSecondsPerGiB: Spread;
  diskReadsPerLogByte: Spread;
  diskReadsPerColdByte: Spread | null;
  residentBefore: Spread | null;
  brokerSyscallsPerGiB: Spread;
  dataSyscallsPerGiB: Spread | null;
  avgFetchBytes: Spread;
  produceMiBps: Spread | null;
}

/** Everything one experiment produced: conditions, every run, the summary. */
export interface BrokerExperimentResult {
  conditions: BrokerConditions;
  runs: BrokerRunRecord[];
  summary: BrokerSummaryRow[];
}

/** The conditions the runs were taken under, with the caveats a reader needs. */
export interface BrokerConditions {
  machine: MachineConditions;
  /** Load average when the experiment ended (cores are shared). */
  loadAverageAtEnd: number[];
  sendfileAvailable: boolean;
  sendfileUnavailableReason: string | null;
  logBytes: number;
  tailBytes: number;
  recordBytes: number;
  recordsPerBatch: number;
  batchBytes: number;
  fetchMaxBytes: number;
  segmentBytes: number;
  producers: number;
  acks: "append" | "fsync";
  flush: string;
  repeats: number;
  notes: string[];
}

/** Groups runs by configuration and summarises each metric (median, min, max); the experiment calls it last. */
export function summarizeBrokerRuns(runs: BrokerRunRecord[]): BrokerSummaryRow[] {
  const groups = new Map<string, BrokerRunRecord[]>();
  for (const run of runs) {
    const key = [run.scenario, run.serving, run.cache, run.consumers].join("|");
    groups.set(key, [...(groups.get(key) ?? []), run]);
  }
  return [...groups.values()].map((group) => {
    const pick = (field: keyof BrokerRunRecord) => summarize(group.map((r) => r[field] as number));
    const present = (field: "produceMiBps" | "diskReadsPerColdByte" | "residentBefore" | "dataSyscallsPerGiB") => {
      const values = group.map((r) => r[field]).filter((v): v is number => v !== null);
      return values.length ? summarize(values) : null;
    };
    const first = group[0];
    const avgFetch = pick("avgFetchBytes");
    return {
      scenario: first.scenario,
      serving: first.serving,
      cache: first.cache,
      consumers: first.consumers,
      runs: group.length,
      servedMiBps: pick("servedMiBps"),
      brokerCpuSecondsPerGiB: pick("brokerCpuSecondsPerGiB"),
      diskReadsPerLogByte: pick("diskReadsPerLogByte"),
      diskReadsPerColdByte: present("diskReadsPerColdByte"),
      residentBefore: present("residentBefore"),
      brokerSyscallsPerGiB: pick("brokerSyscallsPerGiB"),
      dataSyscallsPerGiB: present("dataSyscallsPerGiB"),
      avgFetchBytes: avgFetch,
      produceMiBps: present("produceMiBps"),
    };
  });
}
