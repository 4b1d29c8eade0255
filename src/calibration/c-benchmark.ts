// The profile's micro-benchmarks written in C (loopback-sender.c, syscall-loop.c): compiled with the system C
// compiler (the one node-gyp used for the addon; CC overrides it) into a scratch directory, run as child processes.
import * as path from "path";
import { execFile, execFileSync } from "child_process";
import { track, release } from "../cleanup/registry";

/** The C micro-benchmarks, by name: each is src/calibration/<name>.c. */
export type CBenchmark = "loopback-sender" | "syscall-loop";

/** Compiles one benchmark into `dir` and returns the binary; one clear error if there is no compiler. */
export function compileBenchmark(name: CBenchmark, dir: string): string {
  const binary = path.join(dir, name);
  const compiler = process.env.CC || "cc";
  try {
    execFileSync(compiler, ["-O2", "-o", binary, path.join(__dirname, `${name}.c`)], { stdio: ["ignore", "ignore", "pipe"] });
  } catch (error) {
    const detail = String((error as { stderr?: Buffer }).stderr ?? (error as Error).message).trim().split("\n")[0];
    throw new Error(`the ${name} micro-benchmark needs a C compiler (${compiler}, as the native addon does): ${detail}`);
  }
  return binary;
}

/** Runs a compiled benchmark; resolves with the JSON object on its last line of output. Killed on exit or Ctrl-C. */
export function runBenchmark(binary: string, args: string[], timeoutMs: number): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    const child = execFile(binary, args, { timeout: Math.round(timeoutMs) }, (error, stdout) => {
      release(handle);
      const line = stdout.trim().split("\n").pop() ?? "";
      let report: Record<string, unknown> | undefined;
      try {
        report = JSON.parse(line);
      } catch {
        report = undefined;
      }
      if (report && typeof report.error === "string") reject(new Error(`${path.basename(binary)}: ${report.error}`));
      else if (error || !report) reject(new Error(`${path.basename(binary)} failed: ${error?.message ?? `no report in "${line}"`}`));
      else resolve(report);
    });
    const handle = track({ label: path.basename(binary), dispose: () => child.kill("SIGKILL") });
  });
}
