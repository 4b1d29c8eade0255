// Namespaces left behind by a workbook run that died without cleaning up (SIGKILL, a crash, power cut
// of the shell): found by name, judged by whether their owner process still runs, removed by the next run.
import { listNamespaces, deleteNamespace } from "./netns";
import { NAMESPACE_PREFIX, ownerOf, ownerAlive } from "./names";

/** Workbook namespaces whose owner is gone; a live run's namespaces are never touched. */
export function staleNamespaces(ip: string): string[] {
  return listNamespaces(ip).filter((name) => {
    const owner = ownerOf(name);
    return name.startsWith(NAMESPACE_PREFIX) && owner !== undefined && !ownerAlive(owner);
  });
}

/** Removes every stale workbook namespace; returns one line per namespace removed, naming it.
 *  Two runs starting together may both sweep: one that finds the namespace already gone is content. */
export function removeStaleNamespaces(ip: string): string[] {
  return staleNamespaces(ip).map((name) => {
    deleteNamespace(ip, name);
    return `removed stale network namespace ${name} (its owner, pid ${ownerOf(name)!.pid}, is gone)`;
  });
}
