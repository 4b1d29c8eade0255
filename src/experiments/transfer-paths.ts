// The five ways the sender moves a file to a socket. Each resolves once the last byte is handed to the
// kernel, with the system calls it issued (where the path can count them). Called by sender.ts.
import * as fs from "fs";
import { once } from "events";
import { pipeline } from "stream/promises";
import type { Socket } from "net";
import { transferToSocket } from "../native/zero-copy";
import type { TransferPath } from "../vocabulary/transfer";

/** What a path reports: calls it counted itself (null: use /proc/self/io), and EAGAIN polls. */
export interface PathCounts {
  calls: number | null;
  polls: number;
}

/** Node's idiomatic way: fs.ReadStream piped into the socket (reads on the thread pool, writes from the loop). */
async function streamPath(fd: number, socket: Socket, chunk: number): Promise<PathCounts> {
  const source = fs.createReadStream("", { fd, start: 0, autoClose: false, highWaterMark: chunk });
  await pipeline(source, socket, { end: false });
  return { calls: null, polls: 0 };
}

/** The JS loop: readSync into a fresh buffer, socket.write it, wait for 'drain' when Node's buffer is full. */
async function readWritePath(fd: number, socket: Socket, bytes: number, chunk: number): Promise<PathCounts> {
  let calls = 0;
  for (let position = 0; position < bytes; ) {
    // A fresh buffer per chunk: socket.write() keeps a reference until the kernel has the bytes, so reusing one corrupts queued data.
    const buffer = Buffer.allocUnsafe(Math.min(chunk, bytes - position));
    calls++;
    const n = fs.readSync(fd, buffer, 0, buffer.length, position);
    if (n === 0) throw new Error(`file ended after ${position} of ${bytes} bytes`);
    position += n;
    calls++;
    if (!socket.write(n === buffer.length ? buffer : buffer.subarray(0, n))) await once(socket, "drain");
  }
  return { calls, polls: 0 };
}

/** Sends `bytes` of the open file `fd` over `socket` along `path`; chunk applies to stream, read-write, c-read-write. */
export async function sendAlong(path: TransferPath, fd: number, socket: Socket, bytes: number, chunk: number): Promise<PathCounts> {
  switch (path) {
    case "stream":
      return streamPath(fd, socket, chunk);
    case "read-write":
      return readWritePath(fd, socket, bytes, chunk);
    case "c-read-write":
    case "sendfile":
    case "splice": {
      const method = path === "c-read-write" ? "read-write" : path;
      const counts = await transferToSocket(method, fd, socket, 0, bytes, chunk);
      if (counts.bytes !== bytes) throw new Error(`${path} sent ${counts.bytes} of ${bytes} bytes`);
      return { calls: counts.calls + counts.polls, polls: counts.polls };
    }
  }
}
