// Parent side of the broker child process: start it, wait until it listens, sample its CPU and I/O from
// /proc, stop it cleanly (SIGTERM) or kill -9 it. A separate process so the experiment measures the broker
// alone and the crash test can kill it; it is tracked for cleanup and also exits when its parent goes away.
import { fork } from "child_process";
import * as path from "path";
import { BrokerConfig } from "./server";
import { RecoveryReport } from "./log";
import { readProcUsage, ProcUsage } from "./proc-usage";
import { track, release, Disposable } from "../cleanup/registry";

/** A running broker child. */
export interface BrokerProcess extends Disposable {
  pid: number;
  port: number;
  recovery: RecoveryReport;
  /** Resolves when the child has exited, with how. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** CPU and I/O the kernel has accounted to the broker so far. */
  usage(): ProcUsage;
  /** SIGTERM: the broker flushes, writes its indexes and the clean-shutdown marker, exits 0. */
  stop(): Promise<void>;
  /** SIGKILL: no flush, no marker; the next start runs recovery. */
  kill9(): Promise<void>;
}

const LAUNCHER = path.join(__dirname, "broker-child.cjs");

/** Starts a broker child with `config` and resolves once it listens; rejects with its error (stderr tail) otherwise. */
export function spawnBroker(config: BrokerConfig, timeoutMs = 30_000): Promise<BrokerProcess> {
  const child = fork(LAUNCHER, [JSON.stringify(config)], { stdio: ["ignore", "ignore", "pipe", "ipc"], execArgv: [] });
  let stderr = "";
  child.stderr?.on("data", (d: Buffer) => {
    stderr = (stderr + d.toString()).slice(-2000);
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once("exit", (code, signal) => resolve({ code, signal })),
  );
  const tracked = track({
    label: `broker child ${child.pid}`,
    dispose: () => {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
    },
  });
  const why = () => stderr.trim().split("\n").slice(-3).join(" | ");
  return new Promise<BrokerProcess>((resolve, reject) => {
    const fail = (message: string) => {
      clearTimeout(timer);
      release(tracked);
      reject(new Error(message));
    };
    const timer = setTimeout(() => fail(`broker did not start within ${timeoutMs / 1000} s${why() ? `: ${why()}` : ""}`), timeoutMs);
    child.once("error", (error) => fail(`could not start the broker process: ${error.message}`));
    exited.then(({ code, signal }) => fail(`broker exited (${signal ?? `code ${code}`}) before listening${why() ? `: ${why()}` : ""}`));
    child.on("message", (raw) => {
      const message = raw as { type: string; port?: number; recovery?: RecoveryReport; message?: string };
      if (message.type === "failed") return fail(`broker failed to start: ${message.message}`);
      if (message.type !== "ready") return;
      clearTimeout(timer);
      const pid = child.pid as number;
      const handle: BrokerProcess = {
        label: tracked.label,
        dispose: tracked.dispose,
        pid,
        port: message.port as number,
        recovery: message.recovery as RecoveryReport,
        exited,
        usage: () => readProcUsage(pid),
        stop: async () => {
          if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
          const { code, signal } = await exited;
          release(tracked);
          if (code !== 0) throw new Error(`broker did not shut down cleanly (${signal ?? `code ${code}`})${why() ? `: ${why()}` : ""}`);
        },
        kill9: async () => {
          if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
          await exited;
          release(tracked);
        },
      };
      resolve(handle);
    });
  });
}
