// Reads Kafka's primitive types from a message body (big-endian, as the protocol guide defines them):
// INT8/16/32/64, BOOLEAN, STRING (INT16 length), NULLABLE_STRING (length -1 = null), BYTES (INT32 length),
// NULLABLE_BYTES, ARRAY (INT32 count, -1 = null). Every read checks the bytes are there: a truncated or
// lying message throws MalformedMessage, which the broker turns into a logged, closed connection.
// https://kafka.apache.org/protocol#protocol_types

/** A message whose bytes do not parse as the layout its header announced. */
export class MalformedMessage extends Error {
  constructor(message: string) {
    super(message);
    this.name = "MalformedMessage";
  }
}

/** Largest INT64 that survives as a JS number; offsets and timestamps stay far below it. */
const MAX_SAFE_HIGH_WORD = 0x1fffff;

/** A cursor over bytes[start, end). Not thread-safe (nothing in JS is); cheap to create per message. */
export class WireReader {
  constructor(
    readonly bytes: Buffer,
    private at = 0,
    private readonly end = bytes.length,
  ) {}

  /** Where the next read starts. */
  get position(): number {
    return this.at;
  }

  /** Bytes left before the end. */
  get remaining(): number {
    return this.end - this.at;
  }

  /** Claims `n` bytes and returns where they start; throws if fewer remain. */
  private take(n: number, what: string): number {
    if (n > this.end - this.at) {
      throw new MalformedMessage(`${what} needs ${n} bytes at position ${this.at}, only ${this.end - this.at} remain`);
    }
    const at = this.at;
    this.at += n;
    return at;
  }

  int8(): number {
    return this.bytes.readInt8(this.take(1, "INT8"));
  }

  int16(): number {
    return this.bytes.readInt16BE(this.take(2, "INT16"));
  }

  int32(): number {
    return this.bytes.readInt32BE(this.take(4, "INT32"));
  }

  uint32(): number {
    return this.bytes.readUInt32BE(this.take(4, "UINT32"));
  }

  /** INT64 as a number; values beyond +-2^53 (never a real offset or timestamp) are malformed. */
  int64(): number {
    const at = this.take(8, "INT64");
    const high = this.bytes.readInt32BE(at);
    if (high > MAX_SAFE_HIGH_WORD || high < -MAX_SAFE_HIGH_WORD - 1) throw new MalformedMessage(`INT64 at position ${at} is beyond 2^53`);
    return high * 0x1_0000_0000 + this.bytes.readUInt32BE(at + 4);
  }

  bool(): boolean {
    return this.int8() !== 0;
  }

  /** STRING: INT16 length then UTF-8; a negative length is malformed here. */
  string(): string {
    const value = this.nullableString();
    if (value === null) throw new MalformedMessage(`STRING at position ${this.at - 2} is null where null is not allowed`);
    return value;
  }

  /** NULLABLE_STRING: length -1 means null. */
  nullableString(): string | null {
    const length = this.int16();
    if (length < -1) throw new MalformedMessage(`string length ${length} at position ${this.at - 2}`);
    if (length === -1) return null;
    const at = this.take(length, "string");
    return this.bytes.toString("utf8", at, at + length);
  }

  /** BYTES as a view into the message (no copy). */
  bytesField(): Buffer {
    const value = this.nullableBytes();
    if (value === null) throw new MalformedMessage(`BYTES at position ${this.at - 4} is null where null is not allowed`);
    return value;
  }

  /** NULLABLE_BYTES as a view, or null for length -1. */
  nullableBytes(): Buffer | null {
    const length = this.int32();
    if (length < -1) throw new MalformedMessage(`bytes length ${length} at position ${this.at - 4}`);
    if (length === -1) return null;
    const at = this.take(length, "bytes");
    return this.bytes.subarray(at, at + length);
  }

  /** ARRAY: INT32 count then that many elements; null (-1) is malformed here. */
  array<T>(element: (reader: WireReader) => T): T[] {
    const value = this.nullableArray(element);
    if (value === null) throw new MalformedMessage(`ARRAY at position ${this.at - 4} is null where null is not allowed`);
    return value;
  }

  /** ARRAY that may be null (count -1). Counts above the bytes left cannot be honest and are rejected first. */
  nullableArray<T>(element: (reader: WireReader) => T): T[] | null {
    const count = this.int32();
    if (count === -1) return null;
    if (count < 0 || count > this.remaining) {
      throw new MalformedMessage(`array count ${count} at position ${this.at - 4} with ${this.remaining} bytes left`);
    }
    const out = new Array<T>(count);
    for (let i = 0; i < count; i++) out[i] = element(this);
    return out;
  }

  /** Skips `n` bytes (e.g. a request header field this broker does not use). */
  skip(n: number): void {
    this.take(n, "skipped field");
  }
}
