// How often a sender finds its socket full. The sender's loop is non-blocking (the addon's loops; Node's own
// writes too): a send call takes what fits in the socket's send queue and returns; the next call returns EAGAIN
// and the loop waits in poll(2) until the kernel says the socket is writable again. Linux says so when the queue
// has drained to two thirds of the send buffer ("sk_stream_wspace(sk) >= sk_stream_min_wspace(sk)", i.e. free
// space >= half of what is queued), so every refill offers at most a third of the buffer; while a call copies or
// references bytes into the queue, the receiver keeps draining it, so a call moves more than the free space.
//
//   a sender faster than its receiver (s < r seconds per byte): the queue fills at 1/s - 1/r bytes per second
//     first call:  queue 0 -> full:            moves  B / (1 - s/r)
//     each cycle:  queue 2B/3 -> full:          moves (B/3) / (1 - s/r), and costs 3 calls:
//                  the call that filled the queue, the call that got EAGAIN, the poll that waited
//   a sender no faster than its receiver (s >= r): the queue never fills, no cycles.
// Pure arithmetic: called by transfer.ts with the model's own per-byte rates.

/** The send queue's side of a transfer: calls the loop makes beyond the ones that would move the bytes anyway. */
export interface SendQueueCycles {
  /** Bytes the first call moves before the queue is full (the whole transfer if it never fills). */
  firstCallBytes: number;
  /** Bytes one refill cycle moves (Infinity when the queue never fills). */
  bytesPerCycle: number;
  /** Whole refill cycles after the first call. */
  cycles: number;
  /** System calls the cycles add: three each (the partial send, the send that got EAGAIN, the poll). */
  extraSyscalls: number;
  /** Of those, the poll(2) waits: one per cycle. */
  polls: number;
}

/** Refill cycles for `bytes` through a send buffer of `sendBufferBytes`, sender at `senderSecondsPerByte`,
 *  receiver draining at `drainSecondsPerByte` (its own per-byte time, or a slower link's). */
export function sendQueueCycles(bytes: number, senderSecondsPerByte: number, drainSecondsPerByte: number, sendBufferBytes: number): SendQueueCycles {
  const s = senderSecondsPerByte;
  const r = drainSecondsPerByte;
  if (!(bytes >= 0) || !(s >= 0) || !(r > 0) || !(sendBufferBytes > 0)) {
    throw new RangeError(`send queue: bytes ${bytes}, rates ${s} and ${r} s/byte and buffer ${sendBufferBytes} bytes must be >= 0 (rates, buffer > 0)`);
  }
  if (s >= r) return { firstCallBytes: bytes, bytesPerCycle: Infinity, cycles: 0, extraSyscalls: 0, polls: 0 };
  // while a call runs, the receiver drains: of each byte the sender queues, s/r of a byte has already left
  const overlap = 1 / (1 - s / r);
  const firstCallBytes = Math.min(bytes, sendBufferBytes * overlap);
  const bytesPerCycle = (sendBufferBytes / 3) * overlap;
  const cycles = Math.ceil(Math.max(0, bytes - firstCallBytes) / bytesPerCycle);
  return { firstCallBytes, bytesPerCycle, cycles, extraSyscalls: 3 * cycles, polls: cycles };
}
