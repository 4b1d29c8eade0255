// One segment of a partition's log, as Kafka's LogSegment lays it out on disk:
//
//   <topic>-<partition>/00000000000000001234.log     record batches back to back, exactly as producers
//                                                     sent them, stamped with their offsets; named by the
//                                                     base offset (first offset) zero-padded to 20 digits
//   <topic>-<partition>/00000000000000001234.index   the sparse offset index (offset-index.ts)
//
// Appends only go to the end of the newest segment of a partition: the producer's write is sequential.
// Reads find a batch through the index, then walk batch headers (27 bytes each: the 12-byte log
// overhead plus partition leader epoch, magic, crc, attributes and lastOffsetDelta). Not thread-safe:
// every call runs on the broker's event loop; fsync runs on libuv's pool and touches no JS state.
import * as fs from "fs";
import * as path from "path";
import { OffsetIndex } from "./offset-index";
import { FIELD, LOG_OVERHEAD, BATCH_HEADER_BYTES, validateBatch, readBatchHeader, InvalidBatch, BatchHeader } from "../records/record-batch";

/** Kafka's file name for a segment: the base offset, zero-padded to 20 digits, so `ls` lists log order. */
export function segmentFileName(baseOffset: number, suffix: ".log" | ".index"): string {
  return String(baseOffset).padStart(20, "0") + suffix;
}

/** Bytes of a batch's start that say where it ends and which offsets it holds. */
const EXTENT_BYTES = FIELD.lastOffsetDelta + 4;

/** Where one batch sits and which offsets it holds. */
export interface BatchExtent {
  position: number;
  baseOffset: number;
  lastOffset: number;
  sizeInBytes: number;
}

/** A range of whole batches in a segment file: what a fetch sends. */
export interface SegmentSlice {
  fd: number;
  file: string;
  position: number;
  length: number;
}

/** What a full scan of a segment found (recovery). */
export interface SegmentScan {
  baseOffset: number;
  batches: number;
  validBytes: number;
  truncatedBytes: number;
  /** Why the scan stopped before the end of the file; null if every byte was a valid batch. */
  stoppedBecause: string | null;
}

export class LogSegment {
  /** Bytes of whole batches: where the next append goes. */
  size: number;
  /** The offset the next batch appended here gets. */
  nextOffset: number;
  private bytesSinceIndexEntry = 0;
  private readonly extentBuffer = Buffer.alloc(EXTENT_BYTES);

  private constructor(
    readonly logFile: string,
    readonly baseOffset: number,
    readonly fd: number,
    public index: OffsetIndex,
    private readonly indexIntervalBytes: number,
  ) {
    this.size = fs.fstatSync(fd).size;
    this.nextOffset = baseOffset;
  }

  /** Creates a new, empty segment file (fails if it exists). */
  static create(dir: string, baseOffset: number, indexIntervalBytes: number): LogSegment {
    const logFile = path.join(dir, segmentFileName(baseOffset, ".log"));
    const fd = fs.openSync(logFile, "wx+");
    return new LogSegment(logFile, baseOffset, fd, new OffsetIndex(path.join(dir, segmentFileName(baseOffset, ".index")), baseOffset), indexIntervalBytes);
  }

  /** Opens an existing segment; call openTrusted() or recover() next to learn its end. */
  static open(logFile: string, baseOffset: number, indexIntervalBytes: number): LogSegment {
    const fd = fs.openSync(logFile, "r+");
    const indexFile = logFile.replace(/\.log$/, ".index");
    return new LogSegment(logFile, baseOffset, fd, new OffsetIndex(indexFile, baseOffset), indexIntervalBytes);
  }

  /** Offsets in this segment are stored relative to its base as int32: a batch past that needs a new segment. */
  fitsOffset(lastOffset: number): boolean {
    return lastOffset - this.baseOffset <= 0x7fffffff;
  }

  /**
   * Appends one validated, stamped batch at the end of the file (pwrite into the page cache), and indexes it
   * if index.interval.bytes have gone by since the last entry (Kafka: the batch's last offset, its start).
   */
  append(bytes: Buffer, at: number, length: number, lastOffset: number): void {
    const position = this.size;
    for (let done = 0; done < length; ) done += fs.writeSync(this.fd, bytes, at + done, length - done, position + done);
    if (this.bytesSinceIndexEntry > this.indexIntervalBytes) {
      this.index.append(lastOffset, position);
      this.bytesSinceIndexEntry = 0;
    }
    this.bytesSinceIndexEntry += length;
    this.size += length;
    this.nextOffset = lastOffset + 1;
  }

  /** The extent of the batch starting at `position`, from its first 27 bytes; null past the end. */
  extentAt(position: number): BatchExtent | null {
    if (position + EXTENT_BYTES > this.size) return null;
    if (fs.readSync(this.fd, this.extentBuffer, 0, EXTENT_BYTES, position) < EXTENT_BYTES) return null;
    const b = this.extentBuffer;
    const baseOffset = b.readInt32BE(0) * 0x1_0000_0000 + b.readUInt32BE(4);
    return { position, baseOffset, lastOffset: baseOffset + b.readInt32BE(FIELD.lastOffsetDelta), sizeInBytes: LOG_OVERHEAD + b.readInt32BE(FIELD.batchLength) };
  }

  /** The first batch holding an offset >= `offset` (index lookup, then a header walk), or null if none here. */
  findBatch(offset: number): BatchExtent | null {
    let position = this.index.lookup(offset).position;
    for (;;) {
      const extent = this.extentAt(position);
      if (!extent) return null;
      if (extent.lastOffset >= offset) return extent;
      position += extent.sizeInBytes;
    }
  }

  /**
   * Whole batches from `first` on, at most `maxBytes`, but always the first batch even if it is larger
   * (KIP-74: a consumer must always make progress). Jumps to the last indexed batch start within the
   * limit, then walks headers to it. (Kafka sends `maxBytes` even if that cuts the last batch; clients
   * drop the partial batch. Whole batches make every served byte one the consumer uses.)
   */
  slice(first: BatchExtent, maxBytes: number): SegmentSlice {
    let end = first.position + first.sizeInBytes;
    const limit = Math.min(this.size, first.position + Math.max(maxBytes, 0));
    const indexed = this.index.positionAtOrBefore(limit);
    if (indexed > end) end = indexed;
    for (;;) {
      const next = end < limit ? this.extentAt(end) : null;
      if (!next || end + next.sizeInBytes > limit) break;
      end += next.sizeInBytes;
    }
    return { fd: this.fd, file: this.logFile, position: first.position, length: end - first.position };
  }

  /** The full header of the batch at `position` (ListOffsets by timestamp, tests). */
  headerAt(position: number): BatchHeader | null {
    if (position + BATCH_HEADER_BYTES > this.size) return null;
    const b = Buffer.alloc(BATCH_HEADER_BYTES);
    fs.readSync(this.fd, b, 0, BATCH_HEADER_BYTES, position);
    return readBatchHeader(b);
  }

  /** The bytes of the batch at `position`. */
  readBatch(extent: BatchExtent): Buffer {
    const b = Buffer.alloc(extent.sizeInBytes);
    fs.readSync(this.fd, b, 0, extent.sizeInBytes, extent.position);
    return b;
  }

  /**
   * Opens a segment that was fsynced before the last checkpoint: trusts its index file (rebuilt from the
   * headers if missing or insane) and walks headers from the last entry to the end of the file. Returns
   * false if the headers do not line up to the end (then the caller recovers it with full CRC checks).
   */
  openTrusted(expectedBaseOffset: number): boolean {
    const loaded = OffsetIndex.load(this.index.file, this.baseOffset, Math.max(this.size, 1));
    let position = 0;
    let next = expectedBaseOffset;
    if (loaded && loaded.entries > 0) {
      this.index = loaded;
      const last = loaded.last()!;
      const extent = this.extentAt(last.position);
      if (!extent || extent.lastOffset !== last.offset) return false;
      position = last.position;
      next = extent.baseOffset;
    } else {
      this.index = new OffsetIndex(this.index.file, this.baseOffset);
    }
    const rebuild = this.index.entries === 0;
    this.bytesSinceIndexEntry = 0;
    while (position < this.size) {
      const extent = this.extentAt(position);
      if (!extent || extent.baseOffset !== next || extent.sizeInBytes < BATCH_HEADER_BYTES || position + extent.sizeInBytes > this.size) return false;
      if (rebuild && this.bytesSinceIndexEntry > this.indexIntervalBytes) {
        this.index.append(extent.lastOffset, position);
        this.bytesSinceIndexEntry = 0;
      }
      this.bytesSinceIndexEntry += extent.sizeInBytes;
      next = extent.lastOffset + 1;
      position += extent.sizeInBytes;
    }
    this.nextOffset = next;
    return true;
  }

  /**
   * Full scan after an unclean shutdown (Kafka's LogSegment.recover): every batch's size, offsets, magic
   * and CRC32C checked, the index rebuilt, the file truncated at the first byte that is not a valid batch.
   */
  recover(expectedBaseOffset: number): SegmentScan {
    const fileSize = fs.fstatSync(this.fd).size;
    this.size = fileSize;
    this.index = new OffsetIndex(this.index.file, this.baseOffset);
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
      if (this.bytesSinceIndexEntry > this.indexIntervalBytes) {
        this.index.append(problem.lastOffset, position);
        this.bytesSinceIndexEntry = 0;
      }
      this.bytesSinceIndexEntry += problem.sizeInBytes;
      next = problem.lastOffset + 1;
      position += problem.sizeInBytes;
      batches++;
    }
    if (position < fileSize) fs.ftruncateSync(this.fd, position);
    this.size = position;
    this.nextOffset = next;
    return { baseOffset: this.baseOffset, batches, validBytes: position, truncatedBytes: fileSize - position, stoppedBecause };
  }

  /** The extent of a valid batch at `position`, or a sentence saying why there is none. */
  private checkBatchAt(position: number, expectedOffset: number, fileSize: number): BatchExtent | string {
    if (position + BATCH_HEADER_BYTES > fileSize) return `a partial batch header (${fileSize - position} bytes) at position ${position}`;
    const extent = this.extentAt(position);
    if (!extent) return `an unreadable batch header at position ${position}`;
    if (extent.sizeInBytes < BATCH_HEADER_BYTES) return `an impossible batch length ${extent.sizeInBytes} at position ${position}`;
    if (position + extent.sizeInBytes > fileSize) return `a partial batch (${fileSize - position} of ${extent.sizeInBytes} bytes) at position ${position}`;
    if (extent.baseOffset !== expectedOffset) return `a batch with base offset ${extent.baseOffset} at position ${position} where ${expectedOffset} was next`;
    try {
      validateBatch(this.readBatch(extent), 0, extent.sizeInBytes);
    } catch (error) {
      if (error instanceof InvalidBatch) return `an invalid batch at position ${position} (${error.message})`;
      throw error;
    }
    return extent;
  }

  /** fsync(2) of the .log file on libuv's pool; the partition log's group commit calls it. */
  flush(): Promise<void> {
    return new Promise((resolve, reject) => fs.fsync(this.fd, (error) => (error ? reject(error) : resolve())));
  }

  /** Writes the index file; `sync` fsyncs it too (on roll the next log flush covers the .log). */
  persistIndex(sync = false): void {
    this.index.persist(sync);
  }

  /** Closes the file (the index must have been persisted by the caller if it is to survive). */
  close(): void {
    fs.closeSync(this.fd);
  }
}
