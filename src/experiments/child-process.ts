// Parent side of the experiments' child processes: start one with an IPC channel, wait for its messages,
// and make sure it dies with the experiment (tracked for cleanup; it also exits when the IPC channel closes).
import { fork, ChildProcess } from "child_process";
import * as path from "path";
import { track, release, Disposable } from "./cleanup";
import { forkInNamespace } from "../link/namespace-exec";

/** Messages children send: a `type` and fields. */
export interface ChildMessage {
  type: string;
  [field: string]: unknown;
}

/** A running child and ways to talk to it. */
export interface ChildHandle extends Disposable {
  child: ChildProcess;
  /** Resolves with the first message (queued or future) that `accept` takes; rejects if the child exits first or time runs out. */
  next(accept: (message: ChildMessage) => boolean, timeoutMs: number, what: string): Promise<ChildMessage>;
  send(message: object): void;
  /** Kills the child (SIGKILL) if still running, forgets it, and resolves once it has exited. */
  stop(): Promise<void>;
}

const LAUNCHER = path.join(__dirname, "child.cjs");

/** Where a child runs. */
export interface ChildOptions {
  /** A network namespace (made by src/link/) to run the child in; default: the parent's. */
  netns?: string;
}

/** Starts `script` (a .ts file in src/experiments/) as a child; its stderr tail goes into error messages. */
export function startChild(script: string, label: string, options: ChildOptions = {}): ChildHandle {
  const child = fork(LAUNCHER, [path.join(__dirname, script)], {
    stdio: ["ignore", "ignore", "pipe", "ipc"],
    // The child measures itself; keep it free of the parent's inspector/loader flags.
    execArgv: [],
    ...(options.netns !== undefined ? forkInNamespace(options.netns) : {}),
  });
  let stderr = "";
  child.stderr?.on("data", (d: Buffer) => {
    stderr = (stderr + d.toString()).slice(-2000);
  });
  const queue: ChildMessage[] = [];
  const waiters = new Set<() => void>();
  let exit: string | undefined;
  child.on("message", (m) => {
    queue.push(m as ChildMessage);
    for (const wake of [...waiters]) wake();
  });
  child.on("exit", (code, signal) => {
    exit = signal ? `was killed by ${signal}` : `exited with code ${code}`;
    for (const wake of [...waiters]) wake();
  });
  child.on("error", (error) => {
    exit = `could not run (${error.message})`;
    for (const wake of [...waiters]) wake();
  });
  const handle: ChildHandle = {
    label,
    child,
    dispose: () => {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
    },
    stop: () => {
      const exited = child.exitCode !== null || child.signalCode !== null ? Promise.resolve() : new Promise<void>((resolve) => child.once("exit", () => resolve()));
      release(handle);
      return exited;
    },
    send: (message) => {
      if (child.connected) child.send(message);
    },
    next: (accept, timeoutMs, what) =>
      new Promise<ChildMessage>((resolve, reject) => {
        const check = () => {
          const index = queue.findIndex(accept);
          if (index >= 0) {
            finish();
            resolve(queue.splice(index, 1)[0]);
          } else if (exit !== undefined) {
            finish();
            const tail = stderr.trim().split("\n").slice(-3).join(" | ");
            reject(new Error(`${label} ${exit} before ${what}${tail ? `: ${tail}` : ""}`));
          }
        };
        const timer = setTimeout(() => {
          finish();
          reject(new Error(`${label} sent no ${what} within ${Math.round(timeoutMs / 1000)} s`));
        }, timeoutMs);
        const finish = () => {
          clearTimeout(timer);
          waiters.delete(check);
        };
        waiters.add(check);
        check();
      }),
  };
  return track(handle);
}
