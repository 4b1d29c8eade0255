// A network namespace the workbook makes for one link: its own loopback, brought up and, for a shaped link,
// given a tbf qdisc. Made whole or not at all: a failed step undoes the earlier ones. The caller registers it
// with the experiments' cleanup (track) right away, so it is removed on success, error, exit and signals.
// Not thread-safe; synchronous throughout (removal must work inside exit and signal handlers).
import type { LinkRate } from "../units/rates";
import { requireLinkTools, LinkTools } from "./preconditions";
import { runTool } from "./iproute";
import { newNamespaceName } from "./names";
import { removeStaleNamespaces } from "./stale";
import { deleteNamespace, namespaceExists } from "./netns";
import { tbfShape } from "./tbf";

/** The qdisc's counters, read when the link's runs are over: how much it shaped, and whether it dropped. */
export interface QdiscStats {
  sentBytes: number;
  sentPackets: number;
  /** Packets tbf dropped because its queue was full (TCP then retransmits; a good shape has none). */
  drops: number;
  /** Times a packet had to wait for tokens: > 0 means the link, not the CPU, set the pace at some point. */
  overlimits: number;
}

/** The link a result went through, recorded in its conditions. */
export interface LinkConditions {
  /** bit/s, or null for a namespace's loopback without a qdisc (the control). */
  rateBitsPerSecond: number | null;
  namespace: string;
  /** The qdisc as `tc qdisc show` prints it ("tbf ... rate 1Gbit burst 250000b lat 50ms"), or null. */
  qdisc: string | null;
  /** Bucket size and queue latency as the kernel holds them (it stores burst as time: 625000 reads back 624687). */
  burstBytes: number | null;
  latencyMs: number | null;
  qdiscStats: QdiscStats | null;
}

/** A live namespace; dispose() deletes it (synchronous, safe to call twice: the cleanup contract). */
export interface LinkNamespace {
  label: string;
  name: string;
  rateBitsPerSecond: number | null;
  tools: LinkTools;
  /** The conditions to record, with the qdisc's counters as of now. */
  describe(): LinkConditions;
  dispose(): void;
}

/** Runs `command` inside the namespace, with the tool given by absolute path. */
function inside(tools: LinkTools, name: string, command: string[]): string {
  return runTool(tools.ip, ["netns", "exec", name, ...command]);
}

/** The root qdisc of lo inside the namespace, as the kernel holds it: tc's line, bucket, latency, counters. */
function readQdisc(tools: LinkTools, name: string) {
  // tc -j reports rate in bytes/s, burst in bytes, lat in microseconds.
  const [root] = JSON.parse(inside(tools, name, [tools.tc, "-s", "-j", "qdisc", "show", "dev", "lo"]) || "[]");
  const shown = inside(tools, name, [tools.tc, "qdisc", "show", "dev", "lo"]).split("\n")[0];
  // "qdisc tbf 8001: root refcnt 2 rate 1Gbit burst 250000b lat 50ms" -> "tbf rate 1Gbit burst 250000b lat 50ms"
  const line = shown.replace(/^qdisc\s+(\S+)\s+\S+:\s+root\s+(refcnt\s+\d+\s+)?/, "$1 ").trim();
  const stats: QdiscStats = { sentBytes: root?.bytes ?? 0, sentPackets: root?.packets ?? 0, drops: root?.drops ?? 0, overlimits: root?.overlimits ?? 0 };
  return { line, burstBytes: Number(root?.options?.burst), latencyMs: Number(root?.options?.lat) / 1000, stats };
}

/** Hooks for what the caller may want to print. */
export interface LinkHooks {
  /** One line per stale namespace removed before this one was made. */
  onNotice?: (line: string) => void;
}

/** Makes a namespace for `rate` (null: unshaped): checks preconditions, removes stale ones, then
 *  `ip netns add`, `ip link set lo up` and, when shaped, `tc qdisc add dev lo root tbf ...`. */
export function createLinkNamespace(rate: LinkRate, hooks: LinkHooks = {}): LinkNamespace {
  const tools = requireLinkTools();
  for (const line of removeStaleNamespaces(tools.ip)) hooks.onNotice?.(line);
  const name = newNamespaceName();
  try {
    runTool(tools.ip, ["netns", "add", name]);
  } catch (error) {
    // A signal may have killed `ip` after it made the namespace: leave nothing behind either way.
    if (namespaceExists(tools.ip, name)) deleteNamespace(tools.ip, name);
    throw error;
  }
  const shape = rate === null ? undefined : tbfShape(rate);
  let removed = false;
  const namespace: LinkNamespace = {
    label: `network namespace ${name}`,
    name,
    rateBitsPerSecond: rate,
    tools,
    dispose: () => {
      if (removed) return;
      deleteNamespace(tools.ip, name);
      removed = true;
    },
    describe: () => {
      const qdisc = shape ? readQdisc(tools, name) : undefined;
      return {
        rateBitsPerSecond: rate,
        namespace: name,
        qdisc: qdisc?.line ?? null,
        burstBytes: qdisc?.burstBytes ?? null,
        latencyMs: qdisc?.latencyMs ?? null,
        qdiscStats: qdisc?.stats ?? null,
      };
    },
  };
  try {
    inside(tools, name, [tools.ip, "link", "set", "lo", "up"]);
    if (shape) inside(tools, name, [tools.tc, "qdisc", "add", "dev", "lo", "root", ...shape.args]);
  } catch (error) {
    try {
      namespace.dispose();
    } catch (undo) {
      throw new Error(`${(error as Error).message}; removing ${name} failed too (${(undo as Error).message}): remove it with ip netns delete ${name}`);
    }
    throw error;
  }
  return namespace;
}
