// xorshift32, bit for bit the generator of assembly/random.ts (Marsaglia 2003, shifts 13, 17, 5):
// the TS twin of the page cache draws the same "random" pages as the WebAssembly kernel.

/** A seeded xorshift32 stream of unsigned 32-bit integers. */
export class Xorshift32 {
  private state: number;

  /** Starts at `seed` (an unsigned 32-bit integer); 0 is replaced by the same constant the kernel uses. */
  constructor(seed: number) {
    const s = seed >>> 0;
    this.state = s === 0 ? 0x9e3779b9 : s;
  }

  /** The next value, in [0, 2^32). JS shifts work on int32; `>>> 0` reads the bits back as unsigned. */
  next(): number {
    let x = this.state;
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    this.state = x;
    return x;
  }
}
