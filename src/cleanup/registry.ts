// Everything an experiment leaves lying around (temp dirs, child processes, servers) is registered here
// and disposed of on success, on error (the experiment's finally) and when the process exits or gets
// SIGINT/SIGTERM/SIGHUP (a closed terminal). Hooks are installed on first use, never at import.

/** Something to undo; dispose() must be synchronous and safe to call twice. */
export interface Disposable {
  label: string;
  dispose(): void;
}

const live = new Set<Disposable>();
let hooked = false;
/** SIGINT/SIGTERM/SIGHUP received so far, and the last one: long loops compare the count between steps. */
let signalsReceived = 0;
let lastSignal: NodeJS.Signals | undefined;

/** A long loop stopped because a signal arrived while the process lives on (a notebook kernel or a test runner
 *  also listens): everything registered is already disposed of, and the loop's caller must not go on. */
export class InterruptedError extends Error {
  constructor(readonly signal: NodeJS.Signals, what: string) {
    super(`${what} stopped by ${signal}`);
    this.name = "InterruptedError";
  }
}

/** A checkpoint for a long synchronous loop (writing a data file): call it between steps. It yields to the event
 *  loop, so a pending signal's handler runs (disposing of everything, then ending the process if nobody else
 *  listens), and throws InterruptedError if a signal arrived since the checkpoint was made. */
export function signalCheckpoint(what: string): () => Promise<void> {
  installHooks();
  const before = signalsReceived;
  return async () => {
    await new Promise((resolve) => setImmediate(resolve));
    if (signalsReceived !== before) throw new InterruptedError(lastSignal!, what);
  };
}

/** Disposes of everything still registered, the newest first (a child goes before the folder it writes in, the
 *  namespace after the processes inside it); runs on exit and on signals. */
export function disposeAll(): void {
  for (const item of [...live].reverse()) release(item);
}

/** Registers `item` for cleanup at exit; returns it. Called when a temp dir, child or server is made. */
export function track<T extends Disposable>(item: T): T {
  installHooks();
  live.add(item);
  return item;
}

/** Disposes of one item now and forgets it; errors are swallowed (cleanup must not mask the real error). */
export function release(item: Disposable): void {
  live.delete(item);
  try {
    item.dispose();
  } catch {
    // already gone
  }
}

/** How many items are still registered; tests use it to prove nothing was left behind. */
export function liveCount(): number {
  return live.size;
}

/** Installs exit and signal hooks once. On a signal we clean up and, if nobody else listens, die by it. */
function installHooks(): void {
  if (hooked) return;
  hooked = true;
  process.on("exit", disposeAll);
  for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
    const onSignal = () => {
      signalsReceived++;
      lastSignal = signal;
      disposeAll();
      // A notebook kernel or test runner handles its own interrupts: then only clean up.
      if (process.listenerCount(signal) === 1) {
        process.removeListener(signal, onSignal);
        process.kill(process.pid, signal);
      }
    };
    process.on(signal, onSignal);
  }
}
