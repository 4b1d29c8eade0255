// The log of one topic partition: its segments in offset order in <dataDir>/<topic>-<partition>/, the
// newest one taking appends. Offsets are assigned here, on append: the batch's base offset is the log end
// offset, stamped into the batch (record-batch.ts stampBatch) before it is written.
//
// Durability: an append is in the page cache when append() returns; flush() makes it durable with fsync,
// as a group commit (one fsync in flight; everyone who appended meanwhile waits for the next, which covers
// them all). The offset up to which the log is known fsynced is the recovery point: after a crash, only
// what lies after it must be checked (log-manager.ts). Not thread-safe: event loop only.
import * as fs from "fs";
import * as path from "path";
import { LogSegment, SegmentSlice, SegmentScan, BatchExtent, segmentFileName } from "./log-segment";
import { stampBatch, BatchHeader } from "../records/record-batch";
import { decodeRecords } from "../records/records";

/** Sizes a partition's log is cut by. */
export interface LogConfig {
  /** Kafka's log.segment.bytes: roll to a new segment when the next batch would pass this size (default 1 GiB). */
  segmentBytes: number;
  /** Kafka's index.interval.bytes: bytes between offset index entries (default 4096). */
  indexIntervalBytes: number;
}

/** What a read for a fetch found. */
export type LogRead =
  | { kind: "records"; slice: SegmentSlice; firstOffset: number }
  | { kind: "empty" }
  | { kind: "out-of-range" };

/** What opening (and, after a crash, recovering) this partition did. */
export interface PartitionRecovery {
  topic: string;
  partition: number;
  segments: number;
  /** The checkpointed recovery point: segments from the one holding it on were checked batch by batch. */
  recoveryPoint: number;
  /** Segments whose every batch had its CRC32C checked. */
  segmentsValidated: number;
  batchesValidated: number;
  bytesValidated: number;
  truncatedBytes: number;
  /** Where and why recovery cut the log, if it did. */
  truncation: { file: string; position: number; reason: string } | null;
  /** Segments after a truncation point, deleted as Kafka does. */
  deletedSegments: string[];
}

export class PartitionLog {
  /** Offset up to which every appended batch has been fsynced. */
  recoveryPoint: number;
  private flushing: Promise<void> | null = null;
  private dirNeedsSync = false;
  private readonly appendListeners = new Set<() => void>();

  private constructor(
    readonly dir: string,
    readonly topic: string,
    readonly partition: number,
    readonly segments: LogSegment[],
    private readonly config: LogConfig,
    readonly leaderEpoch: number,
  ) {
    this.recoveryPoint = this.logEndOffset;
  }

  /** The directory name Kafka uses for a partition. */
  static directoryName(topic: string, partition: number): string {
    return `${topic}-${partition}`;
  }

  /** Creates an empty partition directory with its first segment. */
  static create(dataDir: string, topic: string, partition: number, config: LogConfig): PartitionLog {
    const dir = path.join(dataDir, PartitionLog.directoryName(topic, partition));
    fs.mkdirSync(dir);
    const log = new PartitionLog(dir, topic, partition, [LogSegment.create(dir, 0, config.indexIntervalBytes)], config, 0);
    log.dirNeedsSync = true;
    return log;
  }

  /**
   * Opens an existing partition directory. Segments before the one holding `recoveryPoint` are trusted
   * (their headers must line up, or they are checked too); from that segment on, every batch's CRC is
   * checked and the log is cut at the first bad byte. `recoveryPoint` = Infinity after a clean shutdown.
   */
  static open(dir: string, topic: string, partition: number, config: LogConfig, recoveryPoint: number): { log: PartitionLog; recovery: PartitionRecovery } {
    const bases = fs
      .readdirSync(dir)
      .filter((f) => /^\d{20}\.log$/.test(f))
      .map((f) => Number(f.slice(0, 20)))
      .sort((a, b) => a - b);
    const recovery: PartitionRecovery = {
      topic, partition, segments: 0, recoveryPoint: Number.isFinite(recoveryPoint) ? recoveryPoint : -1,
      segmentsValidated: 0, batchesValidated: 0, bytesValidated: 0, truncatedBytes: 0, truncation: null, deletedSegments: [],
    };
    if (bases.length === 0) bases.push(0);
    const segments: LogSegment[] = [];
    let next = bases[0];
    for (let i = 0; i < bases.length; i++) {
      const file = path.join(dir, segmentFileName(bases[i], ".log"));
      if (!fs.existsSync(file)) fs.writeFileSync(file, "");
      const segment = LogSegment.open(file, bases[i], config.indexIntervalBytes);
      segments.push(segment);
      if (bases[i] !== next && segments.length > 1) {
        // A gap between segments: what follows cannot be trusted to continue this log.
        recovery.truncation = { file, position: 0, reason: `segment ${bases[i]} does not start at the previous segment's end offset ${next}` };
        segments.pop();
        segment.close();
        PartitionLog.deleteSegments(dir, bases.slice(i), recovery);
        break;
      }
      // Segment i holds offsets [bases[i], bases[i + 1]): check it if the recovery point is in it or before it.
      const unflushed = Number.isFinite(recoveryPoint) && (i + 1 >= bases.length || bases[i + 1] > recoveryPoint);
      const trusted = !unflushed && segment.openTrusted(next);
      if (!trusted) {
        const scan: SegmentScan = segment.recover(next);
        recovery.segmentsValidated++;
        recovery.batchesValidated += scan.batches;
        recovery.bytesValidated += scan.validBytes;
        if (scan.truncatedBytes > 0 || scan.stoppedBecause) {
          recovery.truncatedBytes += scan.truncatedBytes;
          recovery.truncation = { file, position: scan.validBytes, reason: scan.stoppedBecause ?? "" };
          PartitionLog.deleteSegments(dir, bases.slice(i + 1), recovery);
          next = segment.nextOffset;
          break;
        }
      }
      next = segment.nextOffset;
    }
    recovery.segments = segments.length;
    const log = new PartitionLog(dir, topic, partition, segments, config, 0);
    log.recoveryPoint = Math.min(log.logEndOffset, Number.isFinite(recoveryPoint) ? recoveryPoint : log.logEndOffset);
    return { log, recovery };
  }

  /** Deletes the segments with these base offsets (after a truncation point) and records it. */
  private static deleteSegments(dir: string, bases: number[], recovery: PartitionRecovery): void {
    for (const base of bases) {
      for (const suffix of [".log", ".index"] as const) {
        const file = path.join(dir, segmentFileName(base, suffix));
        if (!fs.existsSync(file)) continue;
        if (suffix === ".log") recovery.truncatedBytes += fs.statSync(file).size;
        fs.rmSync(file);
        if (suffix === ".log") recovery.deletedSegments.push(file);
      }
    }
  }

  /** The first offset still in the log (no retention here, so always the first segment's base). */
  get logStartOffset(): number {
    return this.segments[0].baseOffset;
  }

  /** The offset the next appended record gets; also the high watermark (one replica: all of it is "replicated"). */
  get logEndOffset(): number {
    return this.active.nextOffset;
  }

  /** Bytes in all segments. */
  get sizeInBytes(): number {
    return this.segments.reduce((sum, s) => sum + s.size, 0);
  }

  private get active(): LogSegment {
    return this.segments[this.segments.length - 1];
  }

  /**
   * Appends one batch that validateBatch accepted: stamps its base offset and leader epoch (outside the CRC,
   * so the stored batch still checks), rolls to a new segment if it would not fit, writes it. Returns its base offset.
   */
  append(bytes: Buffer, at: number, header: BatchHeader): number {
    const baseOffset = this.logEndOffset;
    const lastOffset = baseOffset + header.lastOffsetDelta;
    stampBatch(bytes, at, baseOffset, this.leaderEpoch);
    let segment = this.active;
    if (segment.size > 0 && (segment.size + header.sizeInBytes > this.config.segmentBytes || !segment.fitsOffset(lastOffset))) segment = this.roll();
    segment.append(bytes, at, header.sizeInBytes, lastOffset);
    for (const listener of [...this.appendListeners]) listener();
    return baseOffset;
  }

  /** Starts a new segment at the log end; the old one keeps serving reads and is fsynced by the next flush. */
  private roll(): LogSegment {
    const old = this.active;
    old.persistIndex();
    const segment = LogSegment.create(this.dir, this.logEndOffset, this.config.indexIntervalBytes);
    this.segments.push(segment);
    this.dirNeedsSync = true;
    return segment;
  }

  /** Calls `listener` after every append until the returned function is called (a long-polling fetch). */
  onAppend(listener: () => void): () => void {
    this.appendListeners.add(listener);
    return () => this.appendListeners.delete(listener);
  }

  /** Whole batches from the one holding `offset`, at most `maxBytes` (at least one batch), from one segment. */
  read(offset: number, maxBytes: number): LogRead {
    if (offset < this.logStartOffset || offset > this.logEndOffset) return { kind: "out-of-range" };
    if (offset === this.logEndOffset) return { kind: "empty" };
    const segment = this.segmentFor(offset);
    const first = segment.findBatch(offset);
    if (!first) return { kind: "empty" };
    return { kind: "records", slice: segment.slice(first, maxBytes), firstOffset: first.baseOffset };
  }

  /** The segment whose offsets include `offset` (binary search on base offsets). */
  private segmentFor(offset: number): LogSegment {
    let lo = 0;
    let hi = this.segments.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >>> 1;
      if (this.segments[mid].baseOffset <= offset) lo = mid;
      else hi = mid - 1;
    }
    return this.segments[lo];
  }

  /**
   * The first offset whose record timestamp is >= `timestamp`, and that timestamp (ListOffsets). Walks batch
   * headers from the start (there is no .timeindex here), decoding only the batch that crosses it.
   */
  offsetForTimestamp(timestamp: number): { offset: number; timestamp: number } | null {
    for (const segment of this.segments) {
      let position = 0;
      for (let extent: BatchExtent | null; (extent = segment.extentAt(position)); position += extent.sizeInBytes) {
        const header = segment.headerAt(position)!;
        if (header.maxTimestamp < timestamp) continue;
        if (header.compression !== "none") return { offset: header.baseOffset, timestamp: header.maxTimestamp };
        const record = decodeRecords(segment.readBatch(extent)).find((r) => r.timestamp >= timestamp);
        if (record) return { offset: record.offset, timestamp: record.timestamp };
      }
    }
    return null;
  }

  /**
   * Makes every batch appended so far durable: fsync of each segment holding unflushed batches (and of the
   * directory when a segment file was created), one flush at a time. Resolves when `upTo` is covered.
   */
  flush(upTo = this.logEndOffset): Promise<void> {
    if (this.recoveryPoint >= upTo) return Promise.resolve();
    if (this.flushing) return this.flushing.then(() => this.flush(upTo));
    const target = this.logEndOffset;
    const dirty = this.segments.filter((s, i) => i === this.segments.length - 1 || this.segments[i + 1].baseOffset > this.recoveryPoint);
    const syncDir = this.dirNeedsSync;
    this.dirNeedsSync = false;
    this.flushing = (async () => {
      try {
        await Promise.all(dirty.map((s) => s.flush()));
        if (syncDir) await fsyncDirectory(this.dir);
        this.recoveryPoint = Math.max(this.recoveryPoint, target);
      } catch (error) {
        if (syncDir) this.dirNeedsSync = true;
        throw error;
      } finally {
        this.flushing = null;
      }
    })();
    return this.flushing.then(() => this.flush(upTo));
  }

  /** Writes every segment's index; called at clean shutdown after the last flush. */
  persistIndexes(): void {
    for (const segment of this.segments) segment.persistIndex(true);
  }

  /** Closes the segment files. */
  close(): void {
    this.appendListeners.clear();
    for (const segment of this.segments) segment.close();
  }
}

/** fsync(2) of a directory, so a newly created file's name survives a crash too. */
export function fsyncDirectory(dir: string): Promise<void> {
  return new Promise((resolve, reject) =>
    fs.open(dir, "r", (error, fd) => {
      if (error) return reject(error);
      fs.fsync(fd, (syncError) => fs.close(fd, () => (syncError ? reject(syncError) : resolve())));
    }),
  );
}
