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
export const PLACES = ["disk", "page cache", "user buffer", "socket buffer", "NIC", "pipe"] as const;
export type Place = (typeof PLACES)[number];

/** Who does a step's work. */
export const ACTORS = ["cpu", "dma", "none"] as const;
export type Actor = (typeof ACTORS)[number];

/** What a step is. */
export const STEP_KINDS = ["to-kernel", "to-user", "copy", "descriptor"] as const;
export type StepKind = (typeof STEP_KINDS)[number];

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
] as const;
export type CounterName = (typeof COUNTERS)[number];

/** Linux's per-call cap on read/write/sendfile/splice (MAX_RW_COUNT = INT_MAX rounded down to a page). */
export const MAX_RW_COUNT = 0x7ffff000;
