// What a shaped link needs from the machine, checked before anything is made: the privileges to create a
// network namespace (CAP_SYS_ADMIN: ip netns add bind-mounts it under /run/netns) and to configure it
// (CAP_NET_ADMIN: lo up, tc qdisc), and iproute2's `ip` and `tc` on PATH.
import * as fs from "fs";
import * as path from "path";

/** The machine cannot make a link; the message is one line saying what is missing and what to do. */
export class LinkUnavailableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "LinkUnavailableError";
  }
}

/** Absolute paths of the two iproute2 tools, as found on PATH. */
export interface LinkTools {
  ip: string;
  tc: string;
}

/** Capability bit numbers from linux/capability.h. */
const CAP_NET_ADMIN = 12;
const CAP_SYS_ADMIN = 21;

/** The effective capability set of this process (CapEff in /proc/self/status) as a bigint mask. */
function effectiveCapabilities(): bigint {
  const status = fs.readFileSync("/proc/self/status", "utf8");
  const hex = /^CapEff:\s*([0-9a-f]+)$/m.exec(status)?.[1];
  return hex ? BigInt(`0x${hex}`) : 0n;
}

/** The first executable `name` in the directories of `searchPath`, or undefined. */
export function findOnPath(name: string, searchPath = process.env.PATH ?? ""): string | undefined {
  for (const dir of searchPath.split(path.delimiter).filter(Boolean)) {
    const candidate = path.join(dir, name);
    try {
      fs.accessSync(candidate, fs.constants.X_OK);
      if (fs.statSync(candidate).isFile()) return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}

/** What is missing for a link, in words; empty when everything is there. */
export function missingForLink(): string[] {
  const missing: string[] = [];
  const caps = effectiveCapabilities();
  const lacking = [["CAP_SYS_ADMIN", CAP_SYS_ADMIN], ["CAP_NET_ADMIN", CAP_NET_ADMIN]]
    .filter(([, bit]) => (caps & (1n << BigInt(bit))) === 0n)
    .map(([capability]) => capability);
  if (lacking.length > 0) missing.push(`root (this process lacks ${lacking.join(" and ")})`);
  const tools = ["ip", "tc"].filter((tool) => findOnPath(tool) === undefined);
  if (tools.length > 0) missing.push(`${tools.map((t) => `\`${t}\``).join(" and ")} on PATH`);
  return missing;
}

/** Throws LinkUnavailableError naming everything missing; otherwise returns where `ip` and `tc` are. */
export function requireLinkTools(): LinkTools {
  const missing = missingForLink();
  if (missing.length > 0) {
    const fix = missing.some((m) => m.startsWith("root")) ? "run it as root (sudo)" : "";
    const install = missing.some((m) => m.includes("on PATH")) ? "install iproute2 (apt-get install iproute2) or add its directory (/usr/sbin) to PATH" : "";
    throw new LinkUnavailableError(`a link (a network namespace shaped with tc) needs ${missing.join(" and ")}: ${[fix, install].filter(Boolean).join(" and ")}`);
  }
  return { ip: findOnPath("ip")!, tc: findOnPath("tc")! };
}
