// Running iproute2 (`ip`, `tc`) synchronously: cleanup runs in exit and signal handlers, where only
// synchronous work completes. A failure becomes one line with the command and the tool's own message.
import { execFileSync } from "child_process";
import * as path from "path";

/** An ip or tc command failed; the message names the command and quotes the tool's first line of stderr. */
export class IprouteError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "IprouteError";
  }
}

/** Runs `tool args...` and returns its stdout; throws IprouteError on a non-zero exit, a signal or a hang (10 s). */
export function runTool(tool: string, args: readonly string[]): string {
  try {
    return execFileSync(tool, args, { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"], timeout: 10_000 });
  } catch (error) {
    const e = error as { stderr?: string; signal?: string; message: string };
    const said = (e.stderr ?? "").trim().split("\n")[0] || (e.signal ? `killed by ${e.signal}` : e.message.split("\n")[0]);
    throw new IprouteError(`${path.basename(tool)} ${args.join(" ")} failed: ${said}`);
  }
}
