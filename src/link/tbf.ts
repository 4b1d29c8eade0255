// The token bucket filter (tc-tbf(8)) that makes a namespace's loopback a link of a given rate.
// Tokens arrive at `rate`; a packet leaves when the bucket holds its length; the bucket holds at most
// `burst` bytes; packets wait in a queue of at most rate x latency + burst bytes, beyond which tbf drops.

/** The largest packet loopback hands to the qdisc: a 64 KiB GSO segment (lo's MTU is 65536). */
const LOOPBACK_MAX_PACKET = 64 * 1024;

/** How a rate is shaped: the tc arguments and the numbers they stand for. */
export interface TbfShape {
  rateBitsPerSecond: number;
  burstBytes: number;
  latencyMs: number;
  /** Arguments after `tc qdisc add dev lo root`. */
  args: string[];
}

/** Burst: 2 ms of tokens but at least two loopback packets, so a 1 s transfer's free start-up burst is
 *  < 0.3% of it and the qdisc wakes every ~2 ms, not per packet. Latency 50 ms: at >= 1 Gbit/s the queue
 *  (>= 6 MB) exceeds TCP's 4 MiB per-socket limit of queued bytes (tcp_limit_output_bytes), so tbf delays
 *  and does not drop; slower links may drop a few packets while TCP's window grows (qdiscStats counts them). */
export function tbfShape(rateBitsPerSecond: number): TbfShape {
  const burstBytes = Math.max(Math.round((rateBitsPerSecond / 8) * 0.002), 2 * LOOPBACK_MAX_PACKET);
  const latencyMs = 50;
  return {
    rateBitsPerSecond,
    burstBytes,
    latencyMs,
    // Exact units, so tc does no rounding of its own: "bit" is bit/s, a bare number of bytes, "ms".
    args: ["tbf", "rate", `${rateBitsPerSecond}bit`, "burst", String(burstBytes), "latency", `${latencyMs}ms`],
  };
}
