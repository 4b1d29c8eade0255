// The names theory and measurement share for a transfer: how the sender moves the file, and the state of the
// page cache it starts from. The experiments measure these paths; the cost model predicts the same ones.

/** The five ways the sender moves a file to a socket: Node's stream, a JS read+write loop, a C read+write loop,
 *  sendfile(2) and splice(2) (the last three through the native addon). */
export const TRANSFER_PATHS = ["stream", "read-write", "c-read-write", "sendfile", "splice"] as const;
export type TransferPath = (typeof TRANSFER_PATHS)[number];

/** The two page-cache states a transfer can start from: every page of the file resident, or none. */
export const CACHE_STATES = ["warm", "cold"] as const;
export type CacheState = (typeof CACHE_STATES)[number];
