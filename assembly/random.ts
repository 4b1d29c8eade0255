// The model's only source of randomness: Marsaglia's xorshift32 ("Xorshift RNGs", J. Stat. Softw. 2003,
// shifts 13, 17, 5). Only shifts and xors, so src/model/xorshift.ts reproduces it bit for bit in plain TS.

let state: u32 = 1;

/** Starts the sequence from `seed`; 0 would stick at 0 forever, so it is replaced by a fixed odd constant. */
export function seedRandom(seed: u32): void {
  state = seed == 0 ? 0x9e3779b9 : seed;
}

/** The next 32-bit value of the sequence; called once or twice per generated page access. */
// @ts-ignore: decorator
@inline export function nextRandom(): u32 {
  let x = state;
  x ^= x << 13;
  x ^= x >> 17;
  x ^= x << 5;
  state = x;
  return x;
}
