// Writes Kafka's primitive types into a growing buffer; the counterpart of wire-reader.ts.
// A response or request is built as one frame: INT32 size, then header and body. frame() fills the size in.

/** A growable big-endian writer. Not thread-safe; one per message being built. */
export class WireWriter {
  private buffer: Buffer;
  private at = 0;

  constructor(initialBytes = 256) {
    this.buffer = Buffer.allocUnsafe(initialBytes);
  }

  /** Bytes written so far. */
  get length(): number {
    return this.at;
  }

  /** Makes room for `n` more bytes, doubling the buffer. */
  private room(n: number): number {
    if (this.at + n > this.buffer.length) {
      const grown = Buffer.allocUnsafe(Math.max(this.buffer.length * 2, this.at + n));
      this.buffer.copy(grown, 0, 0, this.at);
      this.buffer = grown;
    }
    const at = this.at;
    this.at += n;
    return at;
  }

  // Every method claims room first and only then touches this.buffer: room() may replace the buffer, and
  // `this.buffer.write(..., this.room(n))` would write into the old one (the object is read before the call).

  int8(value: number): this {
    const at = this.room(1);
    this.buffer.writeInt8(value, at);
    return this;
  }

  int16(value: number): this {
    const at = this.room(2);
    this.buffer.writeInt16BE(value, at);
    return this;
  }

  int32(value: number): this {
    const at = this.room(4);
    this.buffer.writeInt32BE(value, at);
    return this;
  }

  uint32(value: number): this {
    const at = this.room(4);
    this.buffer.writeUInt32BE(value, at);
    return this;
  }

  /** INT64 from a safe integer (offsets, timestamps, -1 sentinels). */
  int64(value: number): this {
    const at = this.room(8);
    const high = Math.floor(value / 0x1_0000_0000);
    this.buffer.writeInt32BE(high, at);
    this.buffer.writeUInt32BE(value - high * 0x1_0000_0000, at + 4);
    return this;
  }

  bool(value: boolean): this {
    return this.int8(value ? 1 : 0);
  }

  /** STRING or NULLABLE_STRING (null writes length -1). */
  string(value: string | null): this {
    if (value === null) return this.int16(-1);
    const length = Buffer.byteLength(value, "utf8");
    if (length > 0x7fff) throw new RangeError(`string of ${length} bytes exceeds INT16 length`);
    this.int16(length);
    const at = this.room(length);
    this.buffer.write(value, at, length, "utf8");
    return this;
  }

  /** BYTES or NULLABLE_BYTES (null writes length -1). */
  bytes(value: Uint8Array | null): this {
    if (value === null) return this.int32(-1);
    this.int32(value.length);
    const at = this.room(value.length);
    this.buffer.set(value, at);
    return this;
  }

  /** Raw bytes with no length prefix. */
  raw(value: Uint8Array): this {
    const at = this.room(value.length);
    this.buffer.set(value, at);
    return this;
  }

  /** ARRAY (null writes count -1). */
  array<T>(values: readonly T[] | null, element: (writer: WireWriter, value: T) => void): this {
    if (values === null) return this.int32(-1);
    this.int32(values.length);
    for (const value of values) element(this, value);
    return this;
  }

  /** Overwrites an INT32 written earlier (sizes known only at the end). */
  patchInt32(position: number, value: number): void {
    this.buffer.writeInt32BE(value, position);
  }

  /** The bytes written, as a view (valid until the next write). */
  finish(): Buffer {
    return this.buffer.subarray(0, this.at);
  }
}

/** Starts a frame: the INT32 size placeholder; pass the writer to finishFrame when the message is complete. */
export function startFrame(initialBytes = 256): WireWriter {
  return new WireWriter(initialBytes).int32(0);
}

/** Fills in the size of a frame started with startFrame (plus `trailingBytes` sent after it, e.g. file records) and returns it. */
export function finishFrame(writer: WireWriter, trailingBytes = 0): Buffer {
  writer.patchInt32(0, writer.length - 4 + trailingBytes);
  return writer.finish();
}
