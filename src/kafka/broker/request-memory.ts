// The memory every connection's incoming request frames share (Kafka's queued.max.request.bytes memory
// pool). A connection reserves a frame's announced size before reading its body; when the pool is empty
// it stops reading (the bytes wait in the kernel, TCP pushes back on the client) until memory comes
// back. So 1,500 clients each sending half of a 1 MiB frame cost at most the pool, not 1.5 GB.
// Half-sent frames give their memory back when the connection times out (connection.ts). Not thread-safe.

export class RequestMemoryPool {
  private used = 0;
  private readonly waiters: Array<{ bytes: number; wake: () => void }> = [];

  constructor(readonly capacity: number) {}

  /** Bytes reserved now. */
  get reserved(): number {
    return this.used;
  }

  /** Reserves `bytes` if they fit (and nobody is queued ahead); false otherwise. */
  tryReserve(bytes: number): boolean {
    if (this.waiters.length > 0 || this.used + bytes > this.capacity) return false;
    this.used += bytes;
    return true;
  }

  /** Calls `wake` once `bytes` have been reserved for the caller, first come first served. Returns a cancel function. */
  whenAvailable(bytes: number, wake: () => void): () => void {
    const waiter = { bytes, wake };
    this.waiters.push(waiter);
    this.serve();
    return () => {
      const i = this.waiters.indexOf(waiter);
      if (i >= 0) this.waiters.splice(i, 1);
      this.serve();
    };
  }

  /** Gives back a reservation. */
  release(bytes: number): void {
    this.used -= bytes;
    if (this.used < 0) throw new Error(`request memory pool released more than it reserved (${this.used})`);
    this.serve();
  }

  /** Hands freed memory to the waiters in order. */
  private serve(): void {
    while (this.waiters.length > 0 && this.used + this.waiters[0].bytes <= this.capacity) {
      const waiter = this.waiters.shift()!;
      this.used += waiter.bytes;
      waiter.wake();
    }
  }
}
