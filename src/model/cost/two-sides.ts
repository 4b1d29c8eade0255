// Wall time of a sender and a receiver working at once, through socket buffers, on the cores they get.
//   Both sides run concurrently, chunk after chunk: on two free cores the transfer takes as long as the busier side
//     (the other side waits for it): wall = max(sender, receiver).
//   With fewer free cores (other processes busy), the two sides share them: wall >= (sender CPU + receiver CPU) / c.
//   Over a link (tc shaping), the bytes cannot leave faster than its rate: wall >= bytes / rate.
// The slowest of these is the wall time, and names the bottleneck. Pure arithmetic, called by transfer.ts.

/** What limits a transfer. */
export type Bottleneck = "sender" | "receiver" | "cores" | "link";

/** One side's work: CPU seconds, and busy seconds (CPU plus waits it cannot overlap, e.g. a cold disk). */
export interface SideTime {
  cpuSeconds: number;
  busySeconds: number;
}

/** Conditions of the run that are not properties of the machine. */
export interface RunConditions {
  /** Cores free for the sender and receiver (2 on an idle two-core machine; less when others keep cores busy). */
  freeCores?: number;
  /** Rate of the link between them, bytes/s; omitted for loopback (no link). */
  linkBytesPerSecond?: number;
}

/** The wall time of the pair and what sets it. */
export interface PairTime {
  wallSeconds: number;
  bottleneck: Bottleneck;
  /** The candidates, for tables: each side's busy time, the shared-cores bound, the link's time. */
  senderSeconds: number;
  receiverSeconds: number;
  sharedCoresSeconds: number;
  linkSeconds: number;
}

/** Checks the run conditions; transfer.ts and the broker model call it. */
export function requireConditions(conditions: RunConditions): Required<Pick<RunConditions, "freeCores">> & RunConditions {
  const freeCores = conditions.freeCores ?? 2;
  if (!(Number.isFinite(freeCores) && freeCores > 0)) throw new RangeError(`freeCores must be a number > 0, got ${conditions.freeCores}`);
  const link = conditions.linkBytesPerSecond;
  if (link !== undefined && !(Number.isFinite(link) && link > 0)) throw new RangeError(`linkBytesPerSecond must be a number > 0, got ${link}`);
  return { ...conditions, freeCores };
}

/** The slowest of: the sender, the receiver, both sharing the free cores, the link. */
export function pairTime(bytes: number, sender: SideTime, receiver: SideTime, conditions: RunConditions = {}): PairTime {
  const { freeCores, linkBytesPerSecond } = requireConditions(conditions);
  const sharedCoresSeconds = (sender.cpuSeconds + receiver.cpuSeconds) / freeCores;
  const linkSeconds = linkBytesPerSecond === undefined ? 0 : bytes / linkBytesPerSecond;
  const candidates: [Bottleneck, number][] = [
    ["sender", sender.busySeconds],
    ["receiver", receiver.busySeconds],
    ["cores", sharedCoresSeconds],
    ["link", linkSeconds],
  ];
  // ties go to the earlier candidate: a side that is as slow as the shared-cores bound is the bottleneck itself
  const [bottleneck, wallSeconds] = candidates.reduce((best, c) => (c[1] > best[1] * (1 + 1e-12) ? c : best));
  return { wallSeconds, bottleneck, senderSeconds: sender.busySeconds, receiverSeconds: receiver.busySeconds, sharedCoresSeconds, linkSeconds };
}
