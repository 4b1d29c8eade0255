// The variable-length integers inside a record (Kafka's ByteUtils): 7 bits per byte, low bits first, the
// top bit set while more bytes follow; signed values zigzag-encoded first (0, -1, 1, -2 -> 0, 1, 2, 3) so
// small negative numbers stay short. "varint" is 32-bit (at most 5 bytes), "varlong" 64-bit (at most 10).
import { MalformedMessage } from "../protocol/wire-reader";

/** A read position in a byte array that varint reads advance. Not thread-safe. */
export class VarintCursor {
  constructor(
    readonly bytes: Uint8Array,
    public at: number,
    readonly end: number,
  ) {}

  /** A zigzag varint (int32). */
  varint(): number {
    const bytes = this.bytes;
    let raw = 0;
    let shift = 0;
    for (;;) {
      if (this.at >= this.end) throw new MalformedMessage(`varint runs past the end at position ${this.at}`);
      const b = bytes[this.at++];
      raw |= (b & 0x7f) << shift;
      if ((b & 0x80) === 0) break;
      shift += 7;
      if (shift > 28) throw new MalformedMessage(`varint longer than 5 bytes at position ${this.at}`);
    }
    return (raw >>> 1) ^ -(raw & 1);
  }

  /** A zigzag varlong, as a number (exact below 2^53, which every timestamp delta is). */
  varlong(): number {
    const bytes = this.bytes;
    let raw = 0;
    let scale = 1;
    for (let i = 0; ; i++) {
      if (this.at >= this.end) throw new MalformedMessage(`varlong runs past the end at position ${this.at}`);
      if (i >= 10) throw new MalformedMessage(`varlong longer than 10 bytes at position ${this.at}`);
      const b = bytes[this.at++];
      raw += (b & 0x7f) * scale;
      if ((b & 0x80) === 0) break;
      scale *= 128;
    }
    // zigzag: even raw values are non-negative (raw / 2), odd ones negative (-(raw + 1) / 2)
    return raw % 2 === 0 ? raw / 2 : -(raw + 1) / 2;
  }
}

/** Bytes a zigzag varint or varlong of `value` takes. */
export function varintSize(value: number): number {
  let raw = value >= 0 ? value * 2 : -value * 2 - 1;
  let n = 1;
  while (raw >= 128) {
    raw = Math.floor(raw / 128);
    n++;
  }
  return n;
}

/** Writes the zigzag varint/varlong of `value` at `at`; returns the position after it. */
export function writeVarint(bytes: Uint8Array, at: number, value: number): number {
  let raw = value >= 0 ? value * 2 : -value * 2 - 1;
  while (raw >= 128) {
    bytes[at++] = (raw % 128) | 0x80;
    raw = Math.floor(raw / 128);
  }
  bytes[at++] = raw;
  return at;
}
