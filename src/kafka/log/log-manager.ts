// The broker's data folder (Kafka's log.dirs, one folder here):
//
//   <dataDir>/.lock                              the pid of the broker using the folder
//   <dataDir>/.kafka_cleanshutdown               written last by a clean shutdown; found at start = trust the logs
//   <dataDir>/recovery-point-offset-checkpoint   per partition, the offset known fsynced (recovery-checkpoint.ts)
//   <dataDir>/<topic>-<partition>/               one partition's segments (partition-log.ts, log-segment.ts)
//
// Start-up after a clean shutdown trusts every segment (headers must still line up). After a crash
// (no marker), each partition is checked from the segment holding its checkpointed recovery point on:
// every batch's size, offsets, magic and CRC32C, the log cut at the first bad byte (a torn write), the
// later segments deleted; the report says what was checked and what was cut. Not thread-safe.
import * as fs from "fs";
import * as path from "path";
import { PartitionLog, LogConfig, PartitionRecovery } from "./partition-log";
import { readRecoveryPoints, writeRecoveryPoints, partitionKey, RecoveryPoints } from "./recovery-checkpoint";
import { topicNameProblem } from "./topic-names";

export const CLEAN_SHUTDOWN_FILE = ".kafka_cleanshutdown";
export const LOCK_FILE = ".lock";

export interface LogManagerConfig extends LogConfig {
  dataDir: string;
  /** How often recovery points are checkpointed (Kafka: log.flush.offset.checkpoint.interval.ms, 60 s). */
  checkpointIntervalMs: number;
}

/** What opening the data folder did. */
export interface RecoveryReport {
  clean: boolean;
  /** Why the checkpoint could not be used, if it could not. */
  checkpointProblem: string | null;
  partitions: PartitionRecovery[];
}

/** The folder is locked by a live broker. */
export class DataDirInUse extends Error {}

/** One line per fact a reader of the broker's start-up output wants: clean or not, what was checked, what was cut. */
export function describeRecovery(report: RecoveryReport): string[] {
  if (report.partitions.length === 0) return ["empty data folder"];
  if (report.clean) return [`clean shutdown marker found: ${report.partitions.length} partition(s) opened without recovery`];
  const p = report.partitions;
  const sum = (f: (r: PartitionRecovery) => number) => p.reduce((s, r) => s + f(r), 0);
  const lines = [
    `unclean shutdown (no ${CLEAN_SHUTDOWN_FILE}): recovered ${p.length} partition(s) from their checkpointed recovery points` +
      `${report.checkpointProblem ? ` (${report.checkpointProblem}: checked everything)` : ""}; CRC32C-checked ${sum((r) => r.batchesValidated)} batches ` +
      `(${sum((r) => r.bytesValidated)} bytes) in ${sum((r) => r.segmentsValidated)} segment(s)`,
  ];
  for (const r of p) {
    if (r.truncation) lines.push(`  ${r.topic}-${r.partition}: truncated ${r.truncatedBytes} bytes at ${path.basename(r.truncation.file)}:${r.truncation.position}: ${r.truncation.reason}${r.deletedSegments.length ? `; deleted ${r.deletedSegments.length} later segment(s)` : ""}`);
  }
  if (lines.length === 1) lines.push("  nothing truncated: every checked batch was whole and valid");
  return lines;
}

export class LogManager {
  private readonly topics = new Map<string, PartitionLog[]>();
  private checkpointTimer: NodeJS.Timeout | null = null;
  private closed = false;

  private constructor(
    readonly config: LogManagerConfig,
    readonly recovery: RecoveryReport,
  ) {}

  /** Locks and opens the data folder (creating it if needed), recovering every partition if the last shutdown was not clean. */
  static open(config: LogManagerConfig): LogManager {
    const dir = config.dataDir;
    fs.mkdirSync(dir, { recursive: true });
    if (!fs.statSync(dir).isDirectory()) throw new Error(`${dir} is not a directory`);
    fs.accessSync(dir, fs.constants.W_OK);
    lock(dir);
    try {
      const marker = path.join(dir, CLEAN_SHUTDOWN_FILE);
      const clean = fs.existsSync(marker);
      const checkpoint = clean ? { points: new Map() as RecoveryPoints, problem: null } : readRecoveryPoints(dir);
      const report: RecoveryReport = { clean, checkpointProblem: checkpoint.problem, partitions: [] };
      const manager = new LogManager(config, report);
      const found = new Map<string, number[]>();
      for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
        const match = /^(.+)-(\d+)$/.exec(entry.name);
        if (!entry.isDirectory() || !match || topicNameProblem(match[1])) continue;
        found.set(match[1], [...(found.get(match[1]) ?? []), Number(match[2])]);
      }
      for (const [topic, indexes] of [...found].sort(([a], [b]) => a.localeCompare(b))) {
        const count = Math.max(...indexes) + 1;
        const logs: PartitionLog[] = [];
        for (let p = 0; p < count; p++) {
          const partitionDir = path.join(dir, PartitionLog.directoryName(topic, p));
          if (!fs.existsSync(partitionDir)) {
            logs.push(PartitionLog.create(dir, topic, p, config));
            continue;
          }
          const recoveryPoint = clean ? Infinity : checkpoint.points.get(partitionKey(topic, p)) ?? 0;
          const { log, recovery } = PartitionLog.open(partitionDir, topic, p, config, recoveryPoint);
          report.partitions.push(recovery);
          logs.push(log);
        }
        manager.topics.set(topic, logs);
      }
      // From now on the logs change: a crash before the next clean close must be recovered.
      if (clean) fs.rmSync(marker);
      manager.checkpointTimer = setInterval(() => void manager.checkpoint().catch(() => undefined), config.checkpointIntervalMs);
      manager.checkpointTimer.unref();
      return manager;
    } catch (error) {
      unlock(dir);
      throw error;
    }
  }

  /** Topic names, sorted. */
  topicNames(): string[] {
    return [...this.topics.keys()].sort();
  }

  /** A topic's partition logs, or undefined if the topic does not exist. */
  partitions(topic: string): PartitionLog[] | undefined {
    return this.topics.get(topic);
  }

  /** One partition's log, or undefined. */
  partition(topic: string, index: number): PartitionLog | undefined {
    return this.topics.get(topic)?.[index];
  }

  /** Creates a topic with `count` partitions (its directories and first segments); the name must be valid. */
  createTopic(topic: string, count: number): PartitionLog[] {
    const problem = topicNameProblem(topic);
    if (problem) throw new RangeError(problem);
    if (this.topics.has(topic)) return this.topics.get(topic)!;
    const logs = Array.from({ length: count }, (_, p) => PartitionLog.create(this.config.dataDir, topic, p, this.config));
    this.topics.set(topic, logs);
    return logs;
  }

  /** Every partition log. */
  allLogs(): PartitionLog[] {
    return [...this.topics.values()].flat();
  }

  /** Writes every partition's recovery point (what its flushes have covered so far). */
  async checkpoint(): Promise<void> {
    const points: RecoveryPoints = new Map();
    for (const log of this.allLogs()) points.set(partitionKey(log.topic, log.partition), log.recoveryPoint);
    await writeRecoveryPoints(this.config.dataDir, points);
  }

  /** Clean shutdown: fsync every log, write the indexes and the checkpoint, then the marker; unlock. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.checkpointTimer) clearInterval(this.checkpointTimer);
    try {
      const logs = this.allLogs();
      await Promise.all(logs.map((log) => log.flush()));
      for (const log of logs) log.persistIndexes();
      await this.checkpoint();
      fs.writeFileSync(path.join(this.config.dataDir, CLEAN_SHUTDOWN_FILE), "");
      for (const log of logs) log.close();
    } finally {
      unlock(this.config.dataDir);
    }
  }

  /** Closes the files without flushing or marking the shutdown clean (tests of what a crash leaves). */
  abandon(): void {
    this.closed = true;
    if (this.checkpointTimer) clearInterval(this.checkpointTimer);
    for (const log of this.allLogs()) log.close();
    unlock(this.config.dataDir);
  }
}

/** Takes the folder's lock file, or throws DataDirInUse naming the live broker that has it. */
function lock(dir: string): void {
  const file = path.join(dir, LOCK_FILE);
  try {
    const holder = Number(fs.readFileSync(file, "utf8").trim());
    if (Number.isInteger(holder) && holder > 0 && isAlive(holder)) {
      throw new DataDirInUse(`data folder ${dir} is in use by process ${holder} (${file}); stop that broker or pick another --dir`);
    }
  } catch (error) {
    if (error instanceof DataDirInUse) throw error;
  }
  fs.writeFileSync(file, `${process.pid}\n`);
}

/** Removes the lock if it is ours. */
function unlock(dir: string): void {
  const file = path.join(dir, LOCK_FILE);
  try {
    if (Number(fs.readFileSync(file, "utf8").trim()) === process.pid) fs.rmSync(file);
  } catch {
    // already gone
  }
}

/** Whether a process exists (signal 0 checks without sending anything). */
function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}
