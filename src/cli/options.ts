// Command-line options: one parser and one policy for every `workbook` command. Before a command does anything,
// every mistake becomes a one-line UsageError (main prints it and exits 2):
//   an unknown option, a stray positional argument, an option given twice, a missing or empty value, a value on a
//   switch; and for options that name paths, a folder that does not exist or a place that cannot be written.
import { parseArgs } from "util";
import { UsageError } from "./command";
import { parseSize } from "../units/sizes";
import { checkExistingDir, checkExistingFile, checkOutputDir, checkOutputFile } from "../files/output-path";

/** What an option's value names, checked by parseOptions before the command runs:
 *  existing-dir  a folder that exists and can be written in (where scratch files go: --dir)
 *  existing-file a regular file that exists and can be read (--file)
 *  output-file   a file that can be written (it need not exist; its folders are made when it is written)
 *  output-dir    a folder that can be written (made if missing) */
export type PathKind = "existing-dir" | "existing-file" | "output-file" | "output-dir";

/** One option: a switch (boolean) or an option with a value (string), and what the value names. */
export interface OptionSpec {
  type: "string" | "boolean";
  path?: PathKind;
}

/** What a command takes besides its options. */
export interface ParseRules {
  /** Names of the positional arguments, in order (default: none). More is an error; fewer is the command's to judge. */
  positionals?: readonly string[];
}

/** The parsed values: a string per option with a value, true per switch given, undefined when absent. */
export type OptionValues<T extends Record<string, OptionSpec>> = {
  [K in keyof T]?: T[K]["type"] extends "boolean" ? boolean : string;
};

const PATH_CHECKS: Record<PathKind, (value: string, what: string) => void> = {
  "existing-dir": checkExistingDir,
  "existing-file": checkExistingFile,
  "output-file": checkOutputFile,
  "output-dir": checkOutputDir,
};

/** Parses argv against `options` under the policy above; called by every command before it does anything. */
export function parseOptions<T extends Record<string, OptionSpec>>(argv: string[], options: T, rules: ParseRules = {}): { values: OptionValues<T>; positionals: string[] } {
  const config = Object.fromEntries(Object.entries(options).map(([name, spec]) => [name, { type: spec.type }]));
  // Not strict: node's strict mode rejects "--bytes -5" as ambiguous; the checks below say what is wrong instead.
  const { tokens } = parseArgs({ args: argv, options: config, strict: false, allowPositionals: true, tokens: true });
  const allowed = rules.positionals ?? [];
  const values: Record<string, string | boolean> = {};
  const positionals: string[] = [];
  for (const token of tokens) {
    if (token.kind === "option-terminator") continue;
    if (token.kind === "positional") {
      if (positionals.length === allowed.length) throw new UsageError(strayMessage(token.value, allowed));
      positionals.push(token.value);
      continue;
    }
    const flag = token.rawName;
    const spec = Object.hasOwn(options, token.name) && flag === `--${token.name}` ? options[token.name] : undefined;
    if (!spec) throw new UsageError(`unknown option ${flag}; see --help for the options this command takes`);
    if (Object.hasOwn(values, token.name)) throw new UsageError(`${flag} is given twice; give it once`);
    if (spec.type === "boolean") {
      if (token.value !== undefined) throw new UsageError(`${flag} is a switch and takes no value, got "${token.value}"`);
      values[token.name] = true;
      continue;
    }
    const value = token.value;
    if (value === undefined) throw new UsageError(`${flag} needs a value`);
    // "--out --json": the next option was taken as the value. A negative number ("-5") is a value the checks judge.
    if (!token.inlineValue && /^-[^\d.]/.test(value)) throw new UsageError(`${flag} needs a value, got the option ${value} (write ${flag}=${value} if you mean it)`);
    if (value.trim() === "") throw new UsageError(`${flag} needs a value, got "${value}"`);
    values[token.name] = value;
  }
  for (const [name, spec] of Object.entries(options)) {
    const value = values[name];
    if (spec.path && typeof value === "string") {
      try {
        PATH_CHECKS[spec.path](value, `--${name}`);
      } catch (error) {
        throw new UsageError((error as Error).message);
      }
    }
  }
  return { values: values as OptionValues<T>, positionals };
}

/** The message for a positional argument the command does not take. */
function strayMessage(value: string, allowed: readonly string[]): string {
  const takes = allowed.length === 0 ? "it takes options only (--name value)" : `it takes ${allowed.map((n) => `<${n}>`).join(" ")} and options`;
  return `unexpected argument "${value}": ${takes}; see --help`;
}

/** Reads a comma-separated list ("a,b,c"); an empty item (",", "a,,b", "a,") is a UsageError naming the flag. */
export function listOption(value: string | undefined, flag: string): string[] | undefined {
  if (value === undefined) return undefined;
  const items = value.split(",").map((item) => item.trim());
  if (items.some((item) => item === "")) throw new UsageError(`--${flag} has an empty item in "${value}"; separate the items with single commas, like a,b`);
  return items;
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

/** Checks a path the command chose itself (a default output place) with the same rule as a declared option. */
export function checkPath(kind: PathKind, value: string, what: string): string {
  try {
    PATH_CHECKS[kind](value, what);
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  return value;
}
