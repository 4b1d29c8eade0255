// The sparse offset index of one segment: every ~indexIntervalBytes of log, one entry (offset -> file position).
// Kafka docs (index.interval.bytes, default 4096): "This setting controls how frequently Kafka adds an index
// entry to its offset index. ... More indexing allows reads to jump closer to the exact position in the log".
// A fetch looks up the largest indexed offset <= target, then walks batch headers forward from there.
//
// File format (<baseOffset>.index): entries of 8 bytes, relativeOffset u32 BE | position u32 BE, both strictly
// increasing. Kafka keeps its index in an mmap'd file; here it lives in memory and is written out when the
// segment rolls or the log closes cleanly. After a crash the index is rebuilt from the log, as Kafka does.
import * as fs from "fs";

/** Bytes per index entry on disk. */
export const INDEX_ENTRY_BYTES = 8;

/** One index entry: an absolute offset and the file position of the batch that starts with it. */
export interface IndexEntry {
  offset: number;
  position: number;
}

/** In-memory sparse index of one segment, persisted as a flat file. */
export class OffsetIndex {
  private relOffsets = new Uint32Array(64);
  private positions = new Uint32Array(64);
  private count = 0;

  constructor(
    readonly path: string,
    readonly baseOffset: number,
  ) {}

  /** Number of entries; tests and the log's sanity checks read it. */
  get length(): number {
    return this.count;
  }

  /** Adds an entry for a batch starting at `offset`/`position`; entries must grow strictly. Called by Segment.append. */
  append(offset: number, position: number): void {
    const rel = offset - this.baseOffset;
    if (this.count > 0 && (rel <= this.relOffsets[this.count - 1] || position <= this.positions[this.count - 1])) {
      throw new Error(`index entries must increase: (${offset}, ${position}) after ${JSON.stringify(this.entry(this.count - 1))}`);
    }
    if (this.count === this.relOffsets.length) this.grow();
    this.relOffsets[this.count] = rel;
    this.positions[this.count] = position;
    this.count++;
  }

  /** The largest entry with offset <= target, or the segment start; called by Segment.locate. */
  lookup(target: number): IndexEntry {
    const rel = target - this.baseOffset;
    let lo = 0;
    let hi = this.count - 1;
    let found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      if (this.relOffsets[mid] <= rel) {
        found = mid;
        lo = mid + 1;
      } else {
        hi = mid - 1;
      }
    }
    return found < 0 ? { offset: this.baseOffset, position: 0 } : this.entry(found);
  }

  /** The largest indexed position <= `position` (a batch start), or 0; lets a fetch end on a batch boundary. */
  lastPositionAtOrBefore(position: number): number {
    let lo = 0;
    let hi = this.count - 1;
    let found = 0;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      if (this.positions[mid] <= position) {
        found = this.positions[mid];
        lo = mid + 1;
      } else {
        hi = mid - 1;
      }
    }
    return found;
  }

  /** The i-th entry as absolute offset and position. */
  entry(i: number): IndexEntry {
    return { offset: this.baseOffset + this.relOffsets[i], position: this.positions[i] };
  }

  /** The last entry, or null if the index is empty; the log uses it to find its end quickly on a clean open. */
  last(): IndexEntry | null {
    return this.count === 0 ? null : this.entry(this.count - 1);
  }

  /** Drops entries at or beyond `position`; called when recovery truncates the segment. */
  truncateToPosition(position: number): void {
    while (this.count > 0 && this.positions[this.count - 1] >= position) this.count--;
  }

  /** Writes all entries to the index file in one sequential write; called on roll and clean close. */
  persist(): void {
    const bytes = Buffer.allocUnsafe(this.count * INDEX_ENTRY_BYTES);
    for (let i = 0; i < this.count; i++) {
      bytes.writeUInt32BE(this.relOffsets[i], i * INDEX_ENTRY_BYTES);
      bytes.writeUInt32BE(this.positions[i], i * INDEX_ENTRY_BYTES + 4);
    }
    fs.writeFileSync(this.path, bytes);
  }

  /** Loads an index file, or returns null if it is missing or not sane for a log of `logSize` bytes. */
  static load(path: string, baseOffset: number, logSize: number): OffsetIndex | null {
    let bytes: Buffer;
    try {
      bytes = fs.readFileSync(path);
    } catch {
      return null;
    }
    if (bytes.length % INDEX_ENTRY_BYTES !== 0) return null;
    const index = new OffsetIndex(path, baseOffset);
    try {
      for (let at = 0; at < bytes.length; at += INDEX_ENTRY_BYTES) {
        index.append(baseOffset + bytes.readUInt32BE(at), bytes.readUInt32BE(at + 4));
      }
    } catch {
      return null;
    }
    const last = index.last();
    return last && last.position >= logSize ? null : index;
  }

  /** Doubles the entry arrays; called by append when full. */
  private grow(): void {
    const grow = (old: Uint32Array) => {
      const next = new Uint32Array(old.length * 2);
      next.set(old);
      return next;
    };
    this.relOffsets = grow(this.relOffsets);
    this.positions = grow(this.positions);
  }
}
