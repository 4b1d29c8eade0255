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

/** Runs `workbook <argv>` and resolves to the exit code; bin/tests call this. */
export async function main(argv: string[], io: CliIO): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === "--help" || name === "-h" || name === "help") {
    io.out(helpText());
    return name ? 0 : 2;
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
    io.err(`workbook ${name}: ${(error as Error).message}`);
    if (!bad && process.env.WORKBOOK_DEBUG) io.err(String((error as Error).stack));
    return bad ? 2 : 1;
  } finally {
    restoreNotices();
  }
}
