// Command-line options via node:util parseArgs, with every mistake turned into a one-line UsageError.
import { parseArgs, ParseArgsConfig } from "util";
import { UsageError } from "./command";
import { parseSize } from "../units/sizes";

type Options = NonNullable<ParseArgsConfig["options"]>;

/** Parses argv against `options`; unknown flags and missing values become UsageErrors. Called by every command. */
export function parseOptions<T extends Options>(argv: string[], options: T) {
  // "--bytes -5" would read as a missing value; join it so the value check can say "negative".
  const args = argv.map((arg, i) => (/^-\d/.test(arg) && /^--\w/.test(argv[i - 1] ?? "") ? `=${arg}` : arg));
  const joined = args.flatMap((arg, i) => (arg.startsWith("=") ? [] : args[i + 1]?.startsWith("=") ? [arg + args[i + 1]] : [arg]));
  try {
    return parseArgs({ args: joined, options, strict: true, allowPositionals: true });
  } catch (error) {
    throw new UsageError((error as Error).message.split("\n")[0]);
  }
}

/** Reads a size option ("64MiB", "4096"); a malformed one becomes a UsageError naming the flag. */
export function sizeOption(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  try {
    return parseSize(value, `--${flag}`);
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

/** Reads a whole-number option within [min, max]; anything else becomes a UsageError. */
export function integerOption(value: string | undefined, flag: string, min: number, max: number): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!/^\d+$/.test(value.trim()) || n < min || n > max) {
    throw new UsageError(`--${flag} must be a whole number from ${min} to ${max}, got "${value}"`);
  }
  return n;
}

/** Reads an option that must be one of `allowed`; anything else becomes a UsageError listing them. */
export function choiceOption<T extends string>(value: string | undefined, flag: string, allowed: readonly T[]): T | undefined {
  if (value === undefined) return undefined;
  if (!allowed.includes(value as T)) {
    throw new UsageError(`--${flag} must be one of ${allowed.join(", ")}; got "${value}"`);
  }
  return value as T;
}
