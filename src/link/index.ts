// Network namespaces with a shaped loopback: a link of a chosen rate on one machine, without touching
// the machine's own network. Used by the experiments (src/experiments/link-transfer.ts) and the CLI.
export { createLinkNamespace } from "./namespace";
export type { LinkNamespace, LinkConditions, QdiscStats, LinkHooks } from "./namespace";
export { requireLinkTools, missingForLink, LinkUnavailableError } from "./preconditions";
export { removeStaleNamespaces, staleNamespaces } from "./stale";
export { listNamespaces, deleteNamespace } from "./netns";
export { NAMESPACE_PREFIX } from "./names";
export { tbfShape } from "./tbf";
export { forkInNamespace } from "./namespace-exec";
export { IprouteError } from "./iproute";
