// Parent side of the workbook's child processes: start one with an IPC channel, wait for its messages,
// and make sure it dies with the run (tracked for cleanup; it also exits when the IPC channel closes).
// Each child has one message union per direction, imported by both sides, so a renamed field is a type error.
import { fork, ChildProcess } from "child_process";
import * as path from "path";
import { track, release, Disposable } from "./registry";

/** What every message between processes has: a `type` that names its shape. */
export interface Message {
  type: string;
}

/** The member of a message union whose `type` is K. */
export type MessageOf<M extends Message, K extends M["type"]> = Extract<M, { type: K }>;

/** A running child: `Order` is what the parent sends, `Report` what the child sends back. */
export interface ChildHandle<Order extends Message, Report extends Message> extends Disposable {
  child: ChildProcess;
  /** Resolves with the first message (queued or future) of one of `types` that `accept` takes; rejects if the
   *  child exits first or time runs out, naming `what` was awaited. */
  next<K extends Report["type"]>(types: readonly K[], timeoutMs: number, what: string, accept?: (message: MessageOf<Report, K>) => boolean): Promise<MessageOf<Report, K>>;
  send(message: Order): void;
  /** Kills the child (SIGKILL) if still running, forgets it, and resolves once it has exited. */
  stop(): Promise<void>;
}

const LAUNCHER = path.join(__dirname, "child.cjs");

/** How to start a child: by default Node runs the script directly; `launcher` runs Node through another command
 *  that execs it in place (e.g. `ip netns exec <name>`), so the pid and the IPC channel stay the child's. */
export interface ChildOptions {
  launcher?: { execPath: string; execArgv: string[] };
}

/** Starts `script` (an absolute path to a .ts file) as a child; its stderr tail goes into error messages. */
export function startChild<Order extends Message, Report extends Message>(script: string, label: string, options: ChildOptions = {}): ChildHandle<Order, Report> {
  const child = fork(LAUNCHER, [script], {
    stdio: ["ignore", "ignore", "pipe", "ipc"],
    // The child measures itself; keep it free of the parent's inspector/loader flags.
    execArgv: [],
    ...options.launcher,
  });
  let stderr = "";
  child.stderr?.on("data", (d: Buffer) => {
    stderr = (stderr + d.toString()).slice(-2000);
  });
  const queue: Report[] = [];
  const waiters = new Set<() => void>();
  let exit: string | undefined;
  child.on("message", (m) => {
    queue.push(m as Report);
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
  const handle: ChildHandle<Order, Report> = {
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
    next: <K extends Report["type"]>(types: readonly K[], timeoutMs: number, what: string, accept: (message: MessageOf<Report, K>) => boolean = () => true) =>
      new Promise<MessageOf<Report, K>>((resolve, reject) => {
        const wanted = (m: Report): m is MessageOf<Report, K> => (types as readonly string[]).includes(m.type) && accept(m as MessageOf<Report, K>);
        const check = () => {
          const index = queue.findIndex(wanted);
          if (index >= 0) {
            finish();
            resolve(queue.splice(index, 1)[0] as MessageOf<Report, K>);
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

/** Child side: sends one message to the parent (no-op when run without an IPC channel). */
export function reportToParent<M extends Message>(message: M, then?: () => void): void {
  if (process.send) process.send(message, undefined, {}, () => then?.());
  else then?.();
}

/** Waits for a `type` report from a child that answers a failed order with { type: "failed", message }; that answer
 *  becomes an Error naming `who`. */
export async function nextReport<M extends Message, K extends Exclude<M["type"], "failed">>(
  child: Pick<ChildHandle<Message, M>, "next">,
  type: K,
  timeoutMs: number,
  what: string,
  who: string,
): Promise<MessageOf<M, K>> {
  const message = await child.next([type, "failed"] as M["type"][], timeoutMs, what);
  if (message.type === "failed") throw new Error(`${who} failed: ${(message as unknown as { message: string }).message}`);
  return message as unknown as MessageOf<M, K>;
}
