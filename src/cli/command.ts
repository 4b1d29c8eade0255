// The shape every `workbook <command>` module has, and the error that means "the user typed it wrong".

/** Where a command writes; tests pass their own to capture output. */
export interface CliIO {
  out: (text: string) => void;
  err: (text: string) => void;
  /** True when stderr is a terminal: commands may draw progress bars there. */
  isTTY: boolean;
}

/** One subcommand: `workbook <name> ...`. run() resolves to the exit code. */
export interface Command {
  name: string;
  summary: string;
  usage: string;
  run(argv: string[], io: CliIO): Promise<number>;
}

/** Bad input from the user: main prints its one-line message and exits 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UsageError";
  }
}
