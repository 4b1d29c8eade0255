// One segment of the log: <baseOffset>.log holding whole record batches back to back, plus its sparse index.
// Appends only ever go to the end of the newest segment: the producer's write is sequential, the pattern
// Kafka's design doc builds on ("linear writes ... are the most predictable of all usage patterns").
import * as fs from "fs";
import * as path from "path";
import { BatchHeader, BATCH_HEADER_BYTES, readBatchHeader, checkBatch, BatchFormatError } from "./record-batch";
import { OffsetIndex } from "./offset-index";

/** Kafka's file naming: the base offset, zero-padded to 20 digits, so `ls` sorts segments in log order. */
export function segmentFileName(baseOffset: number, suffix: ".log" | ".index"): string {
  return String(baseOffset).padStart(20, "0") + suffix;
}

/** What recovery found in one segment. */
export interface SegmentRecovery {
  baseOffset: number;
  validBytes: number;
  truncatedBytes: number;
  batches: number;
  /** Why the scan stopped before the end of the file, or null if every byte was a valid batch. */
  stoppedBecause: string | null;
}

/** A byte range of a segment file holding whole batches, as a fetch serves it. */
export interface SegmentSlice {
  fd: number;
  position: number;
  length: number;
}

/** A log segment file opened for reading and appending, with its in-memory index. */
export class Segment {
  /** Bytes of whole batches in the file: the append position. */
  size = 0;
  /** Offset the next appended batch will get. */
  nextOffset: number;
  /** Bytes appended since the last fsync of this file. */
  dirtyBytes = 0;
  private bytesSinceIndexEntry = 0;
  private readonly header = Buffer.alloc(BATCH_HEADER_BYTES);

  private constructor(
    readonly dir: string,
    readonly baseOffset: number,
    readonly fd: number,
    public index: OffsetIndex,
    private readonly indexIntervalBytes: number,
  ) {
    this.nextOffset = baseOffset;
  }

  /** The .log file's path. */
  get logPath(): string {
    return path.join(this.dir, segmentFileName(this.baseOffset, ".log"));
  }

  /** Creates an empty segment starting at `baseOffset`; called by Log on first open and on roll. */
  static create(dir: string, baseOffset: number, indexIntervalBytes: number): Segment {
    const fd = fs.openSync(path.join(dir, segmentFileName(baseOffset, ".log")), "wx+");
    const index = new OffsetIndex(path.join(dir, segmentFileName(baseOffset, ".index")), baseOffset);
    return new Segment(dir, baseOffset, fd, index, indexIntervalBytes);
  }

  /** Opens an existing segment file without scanning it; Log then calls recover() or openClean(). */
  static openExisting(dir: string, baseOffset: number, indexIntervalBytes: number): Segment {
    const fd = fs.openSync(path.join(dir, segmentFileName(baseOffset, ".log")), "r+");
    const index = new OffsetIndex(path.join(dir, segmentFileName(baseOffset, ".index")), baseOffset);
    const segment = new Segment(dir, baseOffset, fd, index, indexIntervalBytes);
    segment.size = fs.fstatSync(fd).size;
    return segment;
  }

  /** Appends one validated batch (baseOffset already stamped) at the end of the file; called by Log.append. */
  append(batch: Buffer, baseOffset: number, recordCount: number): void {
    // Kafka LogSegment.append: "if (bytesSinceLastIndexEntry > indexIntervalBytes) offsetIndex.append(...)".
    const indexIt = this.size === 0 || this.bytesSinceIndexEntry >= this.indexIntervalBytes;
    writeFully(this.fd, batch, this.size); // a failed write (ENOSPC) changes nothing: the next append retries here
    if (indexIt) {
      this.index.append(baseOffset, this.size);
      this.bytesSinceIndexEntry = 0;
    }
    this.size += batch.length;
    this.dirtyBytes += batch.length;
    this.bytesSinceIndexEntry += batch.length;
    this.nextOffset = baseOffset + recordCount;
  }

  /** Writes the first `bytes` of a batch and nothing else: the torn write a crash mid-append leaves. Fault injection only. */
  appendTornForFaultInjection(batch: Buffer, bytes: number): void {
    writeFully(this.fd, batch.subarray(0, bytes), this.size);
  }

  /** Reads the header of the batch at `position`, or null at/after the end of the valid bytes. */
  headerAt(position: number): BatchHeader | null {
    if (position + BATCH_HEADER_BYTES > this.size) return null;
    const n = fs.readSync(this.fd, this.header, 0, BATCH_HEADER_BYTES, position);
    return n === BATCH_HEADER_BYTES ? readBatchHeader(this.header) : null;
  }

  /** The batch holding `offset`: its file position and header (index lookup, then a walk over headers). */
  locate(offset: number): { position: number; header: BatchHeader } {
    let { position } = this.index.lookup(offset);
    for (;;) {
      const header = this.headerAt(position);
      if (!header) throw new Error(`offset ${offset} is not in segment ${this.baseOffset} (ends at ${this.nextOffset})`);
      if (offset < header.baseOffset + header.recordCount) return { position, header };
      position += header.size;
    }
  }

  /** Whole batches starting at `offset`, at most `maxBytes` unless the first batch alone is larger (Kafka KIP-74). */
  slice(offset: number, maxBytes: number): SegmentSlice {
    const { position, header } = this.locate(offset);
    let end = position + header.size;
    const limit = Math.min(this.size, position + maxBytes);
    // Jump to the last indexed batch start within the limit, then walk headers to the limit.
    const indexed = this.index.lastPositionAtOrBefore(limit);
    if (indexed > end) end = indexed;
    for (;;) {
      const next = end < limit ? this.headerAt(end) : null;
      if (!next || end + next.size > limit) break;
      end += next.size;
    }
    return { fd: this.fd, position, length: end - position };
  }

  /**
   * Full scan after an unclean shutdown: checks every batch (size, offsets, CRC, records), rebuilds the index,
   * and truncates the file at the first bad byte. Kafka LogSegment.recover does the same per segment.
   */
  recover(expectedBaseOffset: number): SegmentRecovery {
    const fileSize = fs.fstatSync(this.fd).size;
    this.index = new OffsetIndex(this.index.path, this.baseOffset);
    this.size = fileSize;
    this.bytesSinceIndexEntry = 0;
    let position = 0;
    let next = expectedBaseOffset;
    let batches = 0;
    let stoppedBecause: string | null = null;
    while (position < fileSize) {
      const problem = this.checkBatchAt(position, next, fileSize);
      if (typeof problem === "string") {
        stoppedBecause = problem;
        break;
      }
      if (position === 0 || this.bytesSinceIndexEntry >= this.indexIntervalBytes) {
        this.index.append(next, position);
        this.bytesSinceIndexEntry = 0;
      }
      this.bytesSinceIndexEntry += problem.size;
      next = problem.baseOffset + problem.recordCount;
      position += problem.size;
      batches++;
    }
    if (position < fileSize) fs.ftruncateSync(this.fd, position);
    this.size = position;
    this.nextOffset = next;
    return { baseOffset: this.baseOffset, validBytes: position, truncatedBytes: fileSize - position, batches, stoppedBecause };
  }

  /** Validates the batch at `position`; returns its header, or a sentence saying why it is not a valid batch. */
  private checkBatchAt(position: number, expectedOffset: number, fileSize: number): BatchHeader | string {
    if (position + BATCH_HEADER_BYTES > fileSize) return `partial header: ${fileSize - position} bytes at position ${position}`;
    const headerBytes = Buffer.alloc(BATCH_HEADER_BYTES);
    fs.readSync(this.fd, headerBytes, 0, BATCH_HEADER_BYTES, position);
    const header = readBatchHeader(headerBytes) as BatchHeader;
    if (header.baseOffset !== expectedOffset) return `batch at position ${position} has baseOffset ${header.baseOffset}, expected ${expectedOffset}`;
    if (header.size < BATCH_HEADER_BYTES) return `batch at position ${position} has impossible length ${header.size}`;
    if (position + header.size > fileSize) return `partial batch: ${fileSize - position} of ${header.size} bytes at position ${position}`;
    const batch = Buffer.allocUnsafe(header.size);
    fs.readSync(this.fd, batch, 0, header.size, position);
    try {
      checkBatch(batch);
    } catch (error) {
      if (error instanceof BatchFormatError) return `batch at position ${position}: ${error.message}`;
      throw error;
    }
    return header;
  }

  /**
   * Cheap open after a clean shutdown: trust the index file, walk headers from its last entry to the end of
   * the file. Returns false if anything does not line up, and the log falls back to recover().
   */
  openClean(): boolean {
    const fileSize = this.size;
    const index = OffsetIndex.load(this.index.path, this.baseOffset, Math.max(fileSize, 1));
    if (!index && fileSize > 0) return false;
    if (index) this.index = index;
    const last = this.index.last() ?? { offset: this.baseOffset, position: 0 };
    let position = last.position;
    let next = last.offset;
    while (position < fileSize) {
      const header = this.headerAt(position);
      if (!header || header.baseOffset !== next || header.size < BATCH_HEADER_BYTES || position + header.size > fileSize) return false;
      next = header.baseOffset + header.recordCount;
      position += header.size;
    }
    this.nextOffset = next;
    this.bytesSinceIndexEntry = position - last.position;
    return true;
  }

  /** fsync(2) of the .log file off the event loop; called by the log's group commit. */
  flush(): Promise<void> {
    const dirty = this.dirtyBytes;
    return new Promise((resolve, reject) =>
      fs.fsync(this.fd, (error) => {
        if (error) return reject(error);
        this.dirtyBytes -= dirty;
        resolve();
      }),
    );
  }

  /** Writes the index out and closes the file; called on roll (index only) and on clean close. */
  close(): void {
    this.index.persist();
    fs.closeSync(this.fd);
  }
}

/** pwrite(2) until every byte is written; Node may return short writes. */
function writeFully(fd: number, bytes: Buffer, position: number): void {
  let done = 0;
  while (done < bytes.length) done += fs.writeSync(fd, bytes, done, bytes.length - done, position + done);
}
