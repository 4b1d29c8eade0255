// Network namespaces by name, as `ip netns` keeps them (a bind mount per name under /run/netns).
import * as fs from "fs";
import { runTool } from "./iproute";

/** Every network namespace `ip netns list` shows, by name ("name (id: 3)" lines). */
export function listNamespaces(ip: string): string[] {
  return runTool(ip, ["netns", "list"])
    .split("\n")
    .map((line) => line.trim().split(/\s+/)[0])
    .filter(Boolean);
}

/** True while `ip netns` knows the name. */
export function namespaceExists(ip: string, name: string): boolean {
  return fs.existsSync(`/run/netns/${name}`) || listNamespaces(ip).includes(name);
}

/** Deletes a namespace; done when it is gone, whoever removed it. Tries twice, since a Ctrl-C reaches the
 *  `ip` child too and may kill the first try. Processes still inside keep their copy alive until they exit. */
export function deleteNamespace(ip: string, name: string): void {
  for (let attempt = 0; ; attempt++) {
    try {
      runTool(ip, ["netns", "delete", name]);
      return;
    } catch (error) {
      if (!namespaceExists(ip, name)) return;
      if (attempt === 1) throw error;
    }
  }
}
