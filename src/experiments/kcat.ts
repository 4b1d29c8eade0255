// kcat (librdkafka's command-line client) as the experiments run it: found or not, run to completion with its
// output handed over as it comes, killed with the run on errors and signals, and never left hanging.
import { spawn } from "child_process";
import { track, release } from "../cleanup/registry";

/** kcat's version line ("Version 1.7.1 (JSON, Avro, ...) librdkafka 2.0.2 ..."), or null if it is not installed. */
export function kcatVersion(): Promise<string | null> {
  return new Promise((resolve) => {
    const child = spawn("kcat", ["-V"], { stdio: ["ignore", "pipe", "ignore"] });
    let out = "";
    child.stdout.on("data", (d) => (out += d));
    child.on("error", () => resolve(null));
    child.on("exit", (code) => resolve(code === 0 ? (/Version [^\n]*/.exec(out)?.[0] ?? "kcat") : null));
  });
}

/** What to tell a reader who has no kcat. */
export const KCAT_MISSING = "kcat is not installed (Debian: apt-get install kcat)";

/** Runs kcat to completion; resolves with its wall time in seconds; rejects on a non-zero exit or after
 *  `timeoutMs` (then it is killed). stdout is handed to `onData` as it arrives. */
export function runKcat(args: string[], onData?: (d: Buffer) => void, timeoutMs = 600_000): Promise<number> {
  return new Promise((resolve, reject) => {
    const t0 = process.hrtime.bigint();
    const child = spawn("kcat", args, { stdio: ["ignore", "pipe", "pipe"] });
    const tracked = track({ label: `kcat ${args[0]}`, dispose: () => child.kill("SIGKILL") });
    let err = "";
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill("SIGKILL");
    }, timeoutMs);
    child.stdout.on("data", (d: Buffer) => onData?.(d));
    child.stderr.on("data", (d) => (err = (err + d).slice(-2000)));
    child.on("error", (error) => {
      clearTimeout(timer);
      release(tracked);
      reject(new Error(`kcat could not run (${error.message}): ${KCAT_MISSING}`));
    });
    child.on("exit", (code) => {
      clearTimeout(timer);
      release(tracked);
      if (code === 0) resolve(Number(process.hrtime.bigint() - t0) / 1e9);
      else if (timedOut) reject(new Error(`kcat ${args.join(" ")} did not finish within ${Math.round(timeoutMs / 1000)} s`));
      else reject(new Error(`kcat ${args.join(" ")} exited ${code}: ${err.trim().split("\n").slice(-2).join(" | ")}`));
    });
  });
}
