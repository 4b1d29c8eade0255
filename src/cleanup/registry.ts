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

/** Disposes of everything still registered; runs on exit and on signals. */
export function disposeAll(): void {
  for (const item of [...live]) release(item);
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
