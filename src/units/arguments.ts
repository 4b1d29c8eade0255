// Argument checks shared by the model facades: every bad value gets an error naming the
// argument and the allowed range, before anything reaches WebAssembly.
import { formatBytes } from "./sizes";

/** Largest transfer the model accepts: 1 PiB. Beyond it the question is not about a real machine. */
export const MAX_MODEL_BYTES = 2 ** 50;

/** Checks a whole number within [min, max]; called by every facade for sizes, counts and capacities. */
export function requireInteger(name: string, value: unknown, min: number, max: number): number {
  if (typeof value !== "number" || !Number.isInteger(value) || value < min || value > max) {
    throw new RangeError(`${name} must be a whole number from ${min} to ${max}, got ${String(value)}`);
  }
  return value;
}

/** Checks a byte count within [min, max] and reports the range in readable units. */
export function requireBytes(name: string, value: unknown, min = 1, max = MAX_MODEL_BYTES): number {
  if (typeof value !== "number" || !Number.isInteger(value) || value < min || value > max) {
    throw new RangeError(
      `${name} must be a whole number of bytes from ${min} to ${max} (${formatBytes(max)}), got ${String(value)}`,
    );
  }
  return value;
}

/** Checks that a name is one of the allowed choices; returns its index. */
export function requireChoice<T extends string>(name: string, value: unknown, allowed: readonly T[]): number {
  const index = allowed.indexOf(value as T);
  if (index < 0) {
    throw new TypeError(`${name} must be one of ${allowed.join(", ")}; got ${JSON.stringify(value)}`);
  }
  return index;
}
