// The sparse offset index of one segment, in Kafka's .index layout (OffsetIndex.scala): 8-byte entries,
//
//   relativeOffset  int32  the last offset of an indexed batch, minus the segment's base offset
//   position        int32  where that batch starts in the .log file
//
// one entry after every index.interval.bytes (default 4096) of appended batches, so the index stays tiny
// and a lookup lands at most that many bytes before the batch it wants. Offsets and positions only grow.
// The entries are kept in memory in exactly the file's layout; persist() writes them out (Kafka mmaps a
// preallocated file instead; after a crash both rebuild it from the log). Not thread-safe.
import * as fs from "fs";

/** Bytes per entry. */
export const INDEX_ENTRY_BYTES = 8;

export interface IndexEntry {
  offset: number;
  position: number;
}

export class OffsetIndex {
  private bytes: Buffer;
  private count = 0;

  constructor(
    readonly file: string,
    readonly baseOffset: number,
    entries?: Buffer,
  ) {
    this.bytes = Buffer.alloc(Math.max(entries?.length ?? 0, 64 * INDEX_ENTRY_BYTES));
    if (entries) {
      entries.copy(this.bytes);
      this.count = entries.length / INDEX_ENTRY_BYTES;
    }
  }

  /** Number of entries. */
  get entries(): number {
    return this.count;
  }

  /** Entry i. */
  entry(i: number): IndexEntry {
    const at = i * INDEX_ENTRY_BYTES;
    return { offset: this.baseOffset + this.bytes.readInt32BE(at), position: this.bytes.readInt32BE(at + 4) };
  }

  /** The last entry, or null for an empty index. */
  last(): IndexEntry | null {
    return this.count ? this.entry(this.count - 1) : null;
  }

  /** Adds an entry; offsets and positions must be larger than the last entry's. */
  append(offset: number, position: number): void {
    const last = this.last();
    if (last && (offset <= last.offset || position <= last.position)) {
      throw new RangeError(`index entry (${offset}, ${position}) does not follow (${last.offset}, ${last.position})`);
    }
    if ((this.count + 1) * INDEX_ENTRY_BYTES > this.bytes.length) {
      const grown = Buffer.alloc(this.bytes.length * 2);
      this.bytes.copy(grown, 0, 0, this.count * INDEX_ENTRY_BYTES);
      this.bytes = grown;
    }
    const at = this.count * INDEX_ENTRY_BYTES;
    this.bytes.writeInt32BE(offset - this.baseOffset, at);
    this.bytes.writeInt32BE(position, at + 4);
    this.count++;
  }

  /** The entry with the largest offset <= `offset` (binary search), or (baseOffset, 0) when there is none. */
  lookup(offset: number): IndexEntry {
    const relative = offset - this.baseOffset;
    let lo = 0;
    let hi = this.count - 1;
    let found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      if (this.bytes.readInt32BE(mid * INDEX_ENTRY_BYTES) <= relative) {
        found = mid;
        lo = mid + 1;
      } else {
        hi = mid - 1;
      }
    }
    return found < 0 ? { offset: this.baseOffset, position: 0 } : this.entry(found);
  }

  /** The largest indexed batch start <= `position` (binary search), or 0. */
  positionAtOrBefore(position: number): number {
    let lo = 0;
    let hi = this.count - 1;
    let found = 0;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const p = this.bytes.readInt32BE(mid * INDEX_ENTRY_BYTES + 4);
      if (p <= position) {
        found = p;
        lo = mid + 1;
      } else {
        hi = mid - 1;
      }
    }
    return found;
  }

  /** Drops every entry pointing at or past `position` (the log was truncated there). */
  truncateToPosition(position: number): void {
    while (this.count > 0 && this.entry(this.count - 1).position >= position) this.count--;
  }

  /** Writes the entries to the .index file (replacing it) and, if asked, fsyncs it. */
  persist(sync = false): void {
    const fd = fs.openSync(this.file, "w");
    try {
      const data = this.bytes.subarray(0, this.count * INDEX_ENTRY_BYTES);
      for (let done = 0; done < data.length; ) done += fs.writeSync(fd, data, done, data.length - done, done);
      if (sync) fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
  }

  /**
   * Reads an .index file and checks it as Kafka's sanityCheck does: a whole number of entries, offsets and
   * positions increasing, every position inside the segment. Returns null (rebuild it) if anything is off.
   */
  static load(file: string, baseOffset: number, segmentBytes: number): OffsetIndex | null {
    let data: Buffer;
    try {
      data = fs.readFileSync(file);
    } catch {
      return null;
    }
    if (data.length % INDEX_ENTRY_BYTES !== 0) return null;
    let lastRelative = -1;
    let lastPosition = -1;
    for (let at = 0; at < data.length; at += INDEX_ENTRY_BYTES) {
      const relative = data.readInt32BE(at);
      const position = data.readInt32BE(at + 4);
      if (relative <= lastRelative || position <= lastPosition || position >= segmentBytes) return null;
      lastRelative = relative;
      lastPosition = position;
    }
    return new OffsetIndex(file, baseOffset, data);
  }
}
