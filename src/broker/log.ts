// The log: an ordered list of segments in one directory. Appends go to the newest segment, which rolls when
// full; fetches find the segment by base offset; recovery after a crash truncates a torn tail; the flush
// policy decides when appended bytes are forced to disk (fsync) instead of left to the page cache.
import * as fs from "fs";
import * as path from "path";
import { Segment, SegmentRecovery, SegmentSlice } from "./segment";
import { writeBaseOffset } from "./record-batch";
import { makeDirectory } from "../files/directory";

/**
 * When the log calls fsync. Kafka's defaults leave it to the OS; its docs (log.flush.interval.messages/ms)
 * "generally recommend you not set this and use replication for durability and allow the operating
 * system's background flush capabilities as it is more efficient".
 */
export type FlushPolicy = { mode: "every-batch" } | { mode: "interval"; intervalMs: number } | { mode: "os" };

/** How a log is laid out and flushed. */
export interface LogConfig {
  dir: string;
  /** Roll to a new segment when the active one would grow beyond this (Kafka: segment.bytes). */
  segmentBytes: number;
  /** Bytes of log between sparse index entries (Kafka: index.interval.bytes). */
  indexIntervalBytes: number;
  flush: FlushPolicy;
  /** Fault injection for the crash test: on the n-th append (1-based), write half the batch and SIGKILL this process. */
  tornWriteAtAppend?: number;
}

/** What opening the log did: a clean open, or a recovery with its per-segment findings. */
export interface RecoveryReport {
  clean: boolean;
  segments: number;
  logEndOffset: number;
  truncatedBytes: number;
  deletedSegments: number;
  recovered: SegmentRecovery[];
}

/** The answer to "what would a fetch at this offset return?". */
export type FetchSlice =
  | { kind: "out-of-range"; logStartOffset: number; logEndOffset: number }
  | { kind: "empty"; logEndOffset: number }
  | ({ kind: "data"; logEndOffset: number } & SegmentSlice);

/** Kafka writes the same kind of marker (.kafka_cleanshutdown) so a clean restart can skip recovery. */
const CLEAN_SHUTDOWN_FILE = ".clean-shutdown";

/** A segmented append-only log in one directory. */
export class Log {
  private segments: Segment[] = [];
  private appendListeners = new Set<() => void>();
  private appendedBytes = 0;
  private durableBytes = 0;
  private flushInFlight = false;
  private flushWaiters: { target: number; resolve: () => void; reject: (e: Error) => void }[] = [];
  private dirDirty = false;
  private timer: NodeJS.Timeout | null = null;
  private appends = 0;
  private closed = false;
  /** Counters the broker reports in STATS. */
  readonly stats = { appends: 0, appendedBytes: 0, fsyncs: 0, rolls: 0 };

  private constructor(
    readonly config: LogConfig,
    readonly recovery: RecoveryReport,
  ) {}

  /** Opens (or creates) the log in config.dir, recovering it if the last shutdown was not clean. */
  static open(config: LogConfig): Log {
    makeDirectory(config.dir);
    const marker = path.join(config.dir, CLEAN_SHUTDOWN_FILE);
    const clean = fs.existsSync(marker);
    const bases = fs
      .readdirSync(config.dir)
      .filter((name) => /^\d{20}\.log$/.test(name))
      .map((name) => Number(name.slice(0, 20)))
      .sort((a, b) => a - b);
    const segments = bases.map((base) => Segment.openExisting(config.dir, base, config.indexIntervalBytes));
    const report = clean && segments.every((s) => s.openClean()) ? cleanReport(segments) : recoverSegments(config.dir, segments);
    if (segments.length === 0) segments.push(Segment.create(config.dir, 0, config.indexIntervalBytes));
    // Remove the marker before accepting appends: a crash from now on must trigger recovery.
    if (clean) fs.rmSync(marker);
    fsyncDirectory(config.dir);
    const log = new Log(config, { ...report, segments: segments.length, logEndOffset: segments[segments.length - 1].nextOffset });
    log.segments = segments;
    if (config.flush.mode === "interval") {
      log.timer = setInterval(() => log.flush().catch(() => undefined), config.flush.intervalMs);
      log.timer.unref();
    }
    return log;
  }

  /** Offset of the first record still in the log (no retention here, so always the first segment's base). */
  get logStartOffset(): number {
    return this.segments[0].baseOffset;
  }

  /** Offset the next appended record will get (Kafka: log end offset). */
  get logEndOffset(): number {
    return this.active.nextOffset;
  }

  /** Bytes of all segments together. */
  get sizeBytes(): number {
    return this.segments.reduce((sum, s) => sum + s.size, 0);
  }

  /** The segment files, oldest first; the experiment makes them cold with posix_fadvise. */
  get segmentPaths(): string[] {
    return this.segments.map((s) => s.logPath);
  }

  /** The newest segment, the only one appended to. */
  private get active(): Segment {
    return this.segments[this.segments.length - 1];
  }

  /**
   * Stamps the next offsets into a validated batch and appends it sequentially to the active segment;
   * returns its base offset. Called by the broker for every produce request.
   */
  append(batch: Buffer, recordCount: number): number {
    if (this.closed) throw new Error("log is closed");
    if (this.active.size > 0 && this.active.size + batch.length > this.config.segmentBytes) this.roll();
    const baseOffset = this.logEndOffset;
    writeBaseOffset(batch, baseOffset);
    this.appends++;
    if (this.config.tornWriteAtAppend === this.appends) {
      // Fault injection: the state a power cut or kill -9 in the middle of write(2) leaves behind.
      this.active.appendTornForFaultInjection(batch, Math.floor(batch.length / 2));
      process.kill(process.pid, "SIGKILL");
    }
    this.active.append(batch, baseOffset, recordCount);
    this.appendedBytes += batch.length;
    this.stats.appends++;
    this.stats.appendedBytes += batch.length;
    if (this.config.flush.mode === "every-batch") this.flush().catch(() => undefined);
    for (const listener of [...this.appendListeners]) listener();
    return baseOffset;
  }

  /** Calls `listener` after every append until the returned function is called; long-polling fetches use it. */
  onAppend(listener: () => void): () => void {
    this.appendListeners.add(listener);
    return () => this.appendListeners.delete(listener);
  }

  /** Closes the active segment (index written out) and starts a new one at the log end offset. */
  private roll(): void {
    const old = this.active;
    old.index.persist();
    this.segments.push(Segment.create(this.config.dir, old.nextOffset, this.config.indexIntervalBytes));
    this.dirDirty = true;
    this.stats.rolls++;
  }

  /**
   * Resolves once every byte appended before the call is on disk. Concurrent callers share one fsync
   * (group commit): while an fsync runs, later requests wait and the next fsync covers them all.
   */
  flush(): Promise<void> {
    if (this.durableBytes >= this.appendedBytes && !this.dirDirty) return Promise.resolve();
    return new Promise((resolve, reject) => {
      this.flushWaiters.push({ target: this.appendedBytes, resolve, reject });
      this.startFlush();
    });
  }

  /** Runs one fsync round over every dirty segment (and the directory after a roll); called by flush(). */
  private startFlush(): void {
    if (this.flushInFlight || this.flushWaiters.length === 0) return;
    this.flushInFlight = true;
    const target = this.appendedBytes;
    const dirty = this.segments.filter((s) => s.dirtyBytes > 0);
    const dir = this.dirDirty;
    this.dirDirty = false;
    Promise.all(dirty.map((s) => s.flush()))
      .then(() => {
        // A new segment's directory entry must be durable too, or recovery cannot find the file.
        if (dir) fsyncDirectory(this.config.dir);
        this.stats.fsyncs++;
        this.durableBytes = target;
        this.settleWaiters((w) => w.target <= target, null);
      })
      .catch((error: Error) => this.settleWaiters(() => true, error))
      .finally(() => {
        this.flushInFlight = false;
        this.startFlush();
      });
  }

  /** Resolves (or rejects with `error`) the flush waiters `which` selects. */
  private settleWaiters(which: (w: { target: number }) => boolean, error: Error | null): void {
    const done = this.flushWaiters.filter(which);
    this.flushWaiters = this.flushWaiters.filter((w) => !which(w));
    for (const w of done) (error ? w.reject(error) : w.resolve());
  }

  /** Where the bytes for a fetch at `offset` are: whole batches from one segment, at most ~maxBytes. */
  slice(offset: number, maxBytes: number): FetchSlice {
    const logEndOffset = this.logEndOffset;
    if (!Number.isSafeInteger(offset) || offset < this.logStartOffset || offset > logEndOffset) {
      return { kind: "out-of-range", logStartOffset: this.logStartOffset, logEndOffset };
    }
    if (offset === logEndOffset) return { kind: "empty", logEndOffset };
    return { kind: "data", logEndOffset, ...this.segmentFor(offset).slice(offset, maxBytes) };
  }

  /** The segment whose offsets include `offset` (largest base offset <= offset), by binary search. */
  private segmentFor(offset: number): Segment {
    let lo = 0;
    let hi = this.segments.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >>> 1;
      if (this.segments[mid].baseOffset <= offset) lo = mid;
      else hi = mid - 1;
    }
    return this.segments[lo];
  }

  /** Flushes everything, writes the indexes and the clean-shutdown marker, closes the files. */
  async close(): Promise<void> {
    if (this.closed) return;
    if (this.timer) clearInterval(this.timer);
    await this.flush();
    this.closed = true;
    for (const segment of this.segments) segment.close();
    fs.writeFileSync(path.join(this.config.dir, CLEAN_SHUTDOWN_FILE), "");
    fsyncDirectory(this.config.dir);
  }
}

/** The report of an open that trusted the clean-shutdown marker. */
function cleanReport(segments: Segment[]): RecoveryReport {
  return { clean: true, segments: segments.length, logEndOffset: 0, truncatedBytes: 0, deletedSegments: 0, recovered: [] };
}

/**
 * Unclean open: scan every segment in order; at the first bad batch truncate that segment and delete every
 * later one, as Kafka's recovery does ("delete all segments after the corrupted one"). Mutates `segments`.
 */
function recoverSegments(dir: string, segments: Segment[]): RecoveryReport {
  const recovered: SegmentRecovery[] = [];
  let next = segments.length ? segments[0].baseOffset : 0;
  let truncatedBytes = 0;
  let deletedSegments = 0;
  for (let i = 0; i < segments.length; i++) {
    const segment = segments[i];
    const result = segment.recover(next);
    recovered.push(result);
    truncatedBytes += result.truncatedBytes;
    next = segment.nextOffset;
    const isLast = i === segments.length - 1;
    const brokenChain = !isLast && segments[i + 1].baseOffset !== next;
    if (result.stoppedBecause !== null || brokenChain) {
      for (const later of segments.splice(i + 1)) {
        truncatedBytes += later.size;
        later.close();
        fs.rmSync(later.logPath);
        fs.rmSync(later.index.path, { force: true });
        deletedSegments++;
      }
      break;
    }
  }
  return { clean: false, segments: segments.length, logEndOffset: next, truncatedBytes, deletedSegments, recovered };
}

/** fsync(2) on the directory, so created/removed segment files survive a power cut. */
function fsyncDirectory(dir: string): void {
  const fd = fs.openSync(dir, "r");
  try {
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}
