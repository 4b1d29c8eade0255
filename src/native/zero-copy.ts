// Zero-copy file -> socket for Node: sendfile(2) and splice(2) through the native addon, off the event loop.
// The experiments use the counted variants; the Kafka broker (src/kafka/broker/) sends on the event loop instead,
// through the addon's non-blocking sendfileSome (response-sender.ts).
//
// Contract for callers:
//  - the socket must be a connected net.Socket (TCP or Unix); a socket still connecting is waited for;
//  - bytes the caller wrote with socket.write() before the call are flushed first, in order;
//  - socket.write() calls made while a native transfer runs are held (the socket is corked) and go out after it;
//    so are writes made right after the call when the socket was idle; if it still had unsent bytes, await the
//    promise before writing more (the transfer first waits for those bytes to reach the kernel);
//  - transfers on the same socket run one after another, never interleaved;
//  - the promise rejects with an Error whose message says which call failed and after how many bytes
//    (`code` is e.g. "EPIPE", "ECONNRESET", "ESHORTFILE" when the file ends before offset + length).
import type { Socket } from "net";
import { requireNative, nativeStatus, NativeTransferCounts } from "./addon";
import { KiB } from "../units/sizes";

/** Which native loop moves the bytes. */
export type NativeMethod = "sendfile" | "splice" | "read-write";

/** Per-socket queue, so two transfers on one socket never interleave their bytes. */
const queues = new WeakMap<Socket, QueueEntry>();

/** The last transfer queued on a socket; removed when it finishes, so an idle socket has no entry. */
interface QueueEntry {
  tail?: Promise<unknown>;
}

/** Whether the addon is usable here, and if not why (not Linux, not built); never throws. */
export function nativeAvailable(): { ok: true } | { ok: false; reason: string } {
  return nativeStatus();
}

/** Sends `length` bytes of `fileFd` starting at `offset` to `socket` with sendfile(2); resolves with bytes sent. */
export async function sendfileToSocket(fileFd: number, socket: Socket, offset: number, length: number): Promise<number> {
  return (await transferToSocket("sendfile", fileFd, socket, offset, length)).bytes;
}

/** Same as sendfileToSocket, through a pipe with splice(2). */
export async function spliceToSocket(fileFd: number, socket: Socket, offset: number, length: number): Promise<number> {
  return (await transferToSocket("splice", fileFd, socket, offset, length)).bytes;
}

/** Runs one native loop and returns its counters (bytes, calls, polls); the experiments call this. */
export function transferToSocket(
  method: NativeMethod,
  fileFd: number,
  socket: Socket,
  offset: number,
  length: number,
  chunk = 64 * KiB,
): Promise<NativeTransferCounts> {
  const name = method === "sendfile" ? "sendfileToSocket" : method === "splice" ? "spliceToSocket" : "readWriteToSocket";
  try {
    checkWhole(name, "fileFd", fileFd);
    checkWhole(name, "offset", offset);
    checkWhole(name, "length", length);
    if (method === "read-write" && (!Number.isSafeInteger(chunk) || chunk < 1)) throw new RangeError(`${name}: chunk must be a whole number >= 1, got ${chunk}`);
    requireNative();
  } catch (error) {
    return Promise.reject(error);
  }
  const previous = queues.get(socket);
  // Idle, connected socket with nothing unsent: cork now, so writes made after this call wait for our bytes.
  const corkNow = !previous && !socket.connecting && !socket.destroyed && socket.writableLength === 0;
  if (corkNow) socket.cork();
  const entry: QueueEntry = {};
  const run = (previous?.tail ?? Promise.resolve()).then(() => runCorked(method, name, fileFd, socket, offset, length, chunk, corkNow, entry));
  entry.tail = run.catch(() => undefined);
  queues.set(socket, entry);
  return run;
}

/** Rejects anything that is not a whole number >= 0, naming the function and the argument. */
function checkWhole(fn: string, arg: string, value: number): void {
  if (typeof value !== "number" || !Number.isSafeInteger(value) || value < 0) {
    throw new RangeError(`${fn}: ${arg} must be a whole number >= 0, got ${String(value)}`);
  }
}

/** Waits for the socket, corks it, runs the native loop and uncorks; called through the per-socket queue. */
async function runCorked(
  method: NativeMethod,
  name: string,
  fileFd: number,
  socket: Socket,
  offset: number,
  length: number,
  chunk: number,
  corkedEarly: boolean,
  entry: QueueEntry,
): Promise<NativeTransferCounts> {
  let corked = corkedEarly;
  try {
    const fd = await socketFd(socket, name);
    if (!corked) {
      await flushed(socket, name);
      socket.cork(); // JS writes made from now on wait in Node's buffer instead of racing our bytes
      corked = true;
    }
    const addon = requireNative();
    try {
      // Guard: the socket is connected and every byte JS wrote before us is in the kernel (awaited above).
      if (method === "sendfile") return await addon.sendfile(fileFd, fd, offset, length);
      if (method === "splice") return await addon.splice(fileFd, fd, offset, length);
      return await addon.readWrite(fileFd, fd, offset, length, chunk);
    } catch (error) {
      throw nativeError(name, error);
    }
  } finally {
    if (corked) socket.uncork();
    if (queues.get(socket) === entry) queues.delete(socket);
  }
}

/** Prefixes a native rejection with the API name and keeps its code and byte count. */
function nativeError(name: string, error: unknown): Error {
  const e = error as Error & { code?: string; bytesSent?: number };
  const wrapped = new Error(`${name}: ${e.message}`) as Error & { code?: string; bytesSent?: number };
  wrapped.code = e.code;
  wrapped.bytesSent = e.bytesSent;
  return wrapped;
}

/** The socket's OS fd once it is connected (undocumented `_handle.fd`, -1 before 'connect'). */
async function socketFd(socket: Socket, name: string): Promise<number> {
  if (socket.connecting) {
    await new Promise<void>((resolve, reject) => {
      const fail = () => reject(new Error(`${name}: socket closed before it connected`));
      socket.once("connect", () => {
        socket.off("close", fail);
        resolve();
      });
      socket.once("close", fail);
    });
  }
  const fd = (socket as unknown as { _handle?: { fd?: number } })._handle?.fd;
  if (socket.destroyed || typeof fd !== "number" || fd < 0) {
    throw new Error(`${name}: socket is not connected (destroyed or never connected); connect it before sending`);
  }
  return fd;
}

/** Resolves once Node has handed every byte queued by socket.write() to the kernel, so ours come after. */
async function flushed(socket: Socket, name: string): Promise<void> {
  for (let spins = 0; socket.writableLength > 0; spins++) {
    if (socket.destroyed) throw new Error(`${name}: socket closed while earlier writes were pending`);
    await new Promise((resolve) => (spins < 100 ? setImmediate(resolve) : setTimeout(resolve, 1)));
  }
}
