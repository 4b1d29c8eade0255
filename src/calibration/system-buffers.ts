// The two buffer sizes the model takes from the system instead of measuring them:
//   the socket send buffer: TCP autotunes a socket's send buffer up to tcp_wmem's third field ("max: the maximum
//     size of the send buffer used by each TCP socket ... not override SO_SNDBUF", tcp(7)); on loopback the
//     window opens fast, so a bulk sender's buffer reaches it within the first milliseconds;
//   the pipe splice(2) moves data through: the addon asks for 1 MiB with F_SETPIPE_SZ, which an unprivileged
//     process gets up to /proc/sys/fs/pipe-max-size ("the maximum size (in bytes) of individual pipes", pipe(7)).
import * as fs from "fs";
import { MiB } from "../units/sizes";

/** The pipe size the addon's splice loop asks for (src/native/zero_copy.cc, kWantedPipeBytes). */
export const WANTED_PIPE_BYTES = MiB;

/** Where the sizes were read, and what they say. */
export interface SystemBuffers {
  socketSendBufferBytes: number;
  pipeBytes: number;
  /** The raw text of each file, as read. */
  sources: Record<string, string>;
}

/** The third field of tcp_wmem ("min default max"), bytes; throws naming the file if it is not three numbers. */
export function parseTcpWmem(text: string): number {
  const fields = text.trim().split(/\s+/).map(Number);
  if (fields.length !== 3 || !fields.every((f) => Number.isInteger(f) && f > 0)) throw new Error(`/proc/sys/net/ipv4/tcp_wmem is not "min default max": "${text.trim()}"`);
  return fields[2];
}

/** The pipe splice gets: what the addon asks for, capped by pipe-max-size (rounded down to a power of two of pages,
 *  as the kernel rounds pipe sizes up and refuses more than the maximum). */
export function pipeBytesFor(pipeMaxSize: string): number {
  const max = Number(pipeMaxSize.trim());
  if (!Number.isInteger(max) || max < 4096) throw new Error(`/proc/sys/fs/pipe-max-size is not a size in bytes: "${pipeMaxSize.trim()}"`);
  let bytes = 4096;
  while (bytes * 2 <= Math.min(max, WANTED_PIPE_BYTES)) bytes *= 2;
  return bytes;
}

/** Reads both sizes from /proc (Linux only); one clear error if a file is missing. */
export function readSystemBuffers(): SystemBuffers {
  const read = (file: string) => {
    try {
      return fs.readFileSync(file, "utf8");
    } catch (error) {
      throw new Error(`cannot read ${file} (${(error as NodeJS.ErrnoException).code}); the machine profile needs Linux's /proc`);
    }
  };
  const wmem = read("/proc/sys/net/ipv4/tcp_wmem");
  const pipeMax = read("/proc/sys/fs/pipe-max-size");
  return {
    socketSendBufferBytes: parseTcpWmem(wmem),
    pipeBytes: pipeBytesFor(pipeMax),
    sources: { "/proc/sys/net/ipv4/tcp_wmem": wmem.trim(), "/proc/sys/fs/pipe-max-size": pipeMax.trim() },
  };
}
