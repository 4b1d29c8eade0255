// Names for the numbers the model exchanges, in the order assembly/ defines them.

/** Data paths, indexed by the ids in assembly/paths.ts. */
export const PATHS = [
  "read-write",
  "mmap-write",
  "sendfile",
  "sendfile-sg",
  "splice",
  "recv-write",
  "recv-write-fsync",
] as const;
export type PathName = (typeof PATHS)[number];

/** Places on the data path, indexed as in assembly/places.ts. */
export const PLACES = ["disk", "page cache", "user buffer", "socket buffer", "NIC", "pipe", "network"] as const;
export type Place = (typeof PLACES)[number];

/** Who does a step's work: a CPU copy, a DMA engine, the kernel's bookkeeping inside a call (a mode switch, a
 *  descriptor, a page fault: no payload byte moves), or the network card on the wire. */
export const ACTORS = ["cpu", "dma", "syscall", "nic"] as const;
export type Actor = (typeof ACTORS)[number];

/** What a step is. */
export const STEP_KINDS = ["to-kernel", "to-user", "copy", "descriptor", "fault", "wire"] as const;
export type StepKind = (typeof STEP_KINDS)[number];

/** The CPU mode the process is in during a step. */
export const MODES = ["user", "kernel"] as const;
export type Mode = (typeof MODES)[number];

/** The system call a step happens inside, or what does it on its own: the kernel's receive path ("softirq"), its
 *  flusher threads ("writeback"), the network card ("nic"). */
export const CALLS = ["read", "write", "sendfile", "splice", "recv", "fsync", "mmap", "softirq", "writeback", "nic"] as const;
export type Call = (typeof CALLS)[number];

/** Counter slots, in the order of assembly/transfer.ts. */
export const COUNTERS = [
  "cpuCopies",
  "dmaCopies",
  "modeSwitches",
  "syscalls",
  "cpuBytes",
  "dmaBytes",
  "descriptors",
  "chunks",
  "diskReadBytes",
  "diskWriteBytes",
  "nicBytes",
  "descriptorBytes",
  "pageFaults",
  "callBytes",
] as const;

/** Page replacement policies, indexed as in assembly/page-cache.ts. */
export const POLICIES = ["lru", "clock", "fifo", "opt"] as const;
export type PolicyName = (typeof POLICIES)[number];

/** Access patterns, indexed as in assembly/page-cache.ts. */
export const PATTERNS = ["sequential", "random", "strided", "hot-cold", "trace"] as const;
export type PatternName = (typeof PATTERNS)[number];

/** Page-cache counter slots, in the order of assembly/page-cache.ts. */
export const CACHE_COUNTERS = [
  "accesses",
  "hits",
  "misses",
  "evictions",
  "readaheadPages",
  "readaheadUsed",
  "readaheadWasted",
  "diskRequests",
  "diskPages",
  "diskSeeks",
  "resident",
] as const;
export type CacheCounterName = (typeof CACHE_COUNTERS)[number];
