// How a forked child runs inside a namespace: Node's fork() spawns `execPath execArgv... script`, so with
// execPath = ip and execArgv = [netns, exec, <name>, node] it becomes `ip netns exec <name> node script`.
// ip setns()es and then exec()s node in the same process, so the pid is the child's and the IPC fd is inherited.
import { findOnPath } from "./preconditions";

/** fork() options that start the child inside network namespace `name`. */
export function forkInNamespace(name: string): { execPath: string; execArgv: string[] } {
  const ip = findOnPath("ip");
  if (!ip) throw new Error(`cannot start a child in network namespace ${name}: \`ip\` is not on PATH`);
  return { execPath: ip, execArgv: ["netns", "exec", name, process.execPath] };
}
