// `workbook`: dispatches to a subcommand and turns any failure into one line on stderr.
import { Command, CliIO, UsageError } from "./command";
import { COMMANDS } from "./commands";
import { setCleanupNotices } from "../cleanup/notices";

/** The text of `workbook --help`. */
export function helpText(commands: Command[] = COMMANDS): string {
  const width = Math.max(...commands.map((c) => c.name.length));
  return [
    "workbook: why Kafka is fast, theory beside measurement",
    "",
    "usage: workbook <command> [options]",
    "",
    ...commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}\n  ${" ".repeat(width)}  ${c.usage}`),
    "",
    "Sizes accept bytes (4096) or units (64KiB, 1GiB, 7MB). Exit codes: 0 ok, 1 failed, 2 bad input.",
  ].join("\n");
}

/** The one line bare `workbook` prints on stderr. */
export function usageLine(commands: Command[] = COMMANDS): string {
  return `usage: workbook <command> [options], where <command> is one of ${commands.map((c) => c.name).join(", ")}; workbook --help describes each`;
}

/** An error as one line: a message that spans lines is joined, so stderr holds exactly one. */
function oneLine(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.split(/\s*\n\s*/).filter(Boolean).join("; ") || (error as Error).name;
}

/** Runs `workbook <argv>` and resolves to the exit code; bin/tests call this.
 *  Bad input (a UsageError, or a RangeError/TypeError from the checks below the CLI) exits 2, anything else 1;
 *  either way stderr gets one line (the stack too with WORKBOOK_DEBUG=1). */
export async function main(argv: string[], io: CliIO): Promise<number> {
  const [name, ...rest] = argv;
  if (!name) {
    io.err(usageLine());
    return 2;
  }
  if (name === "--help" || name === "-h" || name === "help") {
    io.out(helpText());
    return 0;
  }
  const command = COMMANDS.find((c) => c.name === name);
  if (!command) {
    io.err(`workbook: unknown command "${name}"; try: ${COMMANDS.map((c) => c.name).join(", ")} (workbook --help)`);
    return 2;
  }
  if (rest.includes("--help") || rest.includes("-h")) {
    io.out(`${command.summary}\nusage: ${command.usage}`);
    return 0;
  }
  const restoreNotices = setCleanupNotices((line) => io.err(`workbook ${name}: ${line}`));
  try {
    return await command.run(rest, io);
  } catch (error) {
    const bad = error instanceof UsageError || error instanceof RangeError || error instanceof TypeError;
    io.err(`workbook ${name}: ${oneLine(error)}`);
    if (process.env.WORKBOOK_DEBUG) io.err(String((error as Error).stack));
    return bad ? 2 : 1;
  } finally {
    restoreNotices();
  }
}
