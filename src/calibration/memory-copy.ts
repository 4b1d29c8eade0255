// Memory copy bandwidth, in user space (Buffer.copy = memmove in C++) and in the kernel (read(2) of a file that
// is already in the page cache = copy_to_user from page-cache pages). Both are the CPU copies the data paths make.
// Where the bytes are decides the speed: a copy between buffers that fit in the core's L2 cache (1 MiB here)
// runs several times faster than one that streams from DRAM. A chunked read-write loop makes one of each:
// read() copies DRAM (page cache) -> a small user buffer, write() copies that still-hot buffer -> socket buffer.
import * as fs from "fs";
import { Measurement, measurementOf, timeSeconds } from "./measurement";

/** Bytes copied per second by Buffer.copy between two large, already-faulted buffers; DRAM to DRAM when bytes > L3. */
export function measureUserCopy(bytes: number, runs: number): Measurement {
  const source = Buffer.allocUnsafeSlow(bytes).fill(0x5a);
  const target = Buffer.allocUnsafeSlow(bytes).fill(0); // fill() faults every page in now, not inside the timed copy
  source.copy(target); // one untimed pass: the first call also pays for V8's lazy compilation of the path
  const values: number[] = [];
  for (let run = 0; run < runs; run++) values.push(bytes / timeSeconds(() => source.copy(target)));
  if (target[bytes - 1] !== 0x5a) throw new Error("Buffer.copy did not copy the last byte");
  return measurementOf(
    "user-copy",
    "bytes/s",
    values,
    `Buffer.copy of ${bytes} bytes between two pre-faulted buffers (Node's C++ memmove), median of ${runs}`,
  );
}

/** Bytes copied per second between two `chunk`-byte buffers that stay in the CPU cache, `bytes` in total. */
export function measureHotCopy(bytes: number, chunk: number, runs: number): Measurement {
  const source = Buffer.allocUnsafeSlow(chunk).fill(0x5a);
  const target = Buffer.allocUnsafeSlow(chunk).fill(0);
  const count = Math.max(1, Math.round(bytes / chunk));
  const copyAll = () => {
    for (let i = 0; i < count; i++) source.copy(target);
  };
  copyAll(); // untimed warm-up
  const values: number[] = [];
  for (let run = 0; run < runs; run++) values.push((count * chunk) / timeSeconds(copyAll));
  if (target[chunk - 1] !== 0x5a) throw new Error("Buffer.copy did not copy the last byte");
  return measurementOf(
    "hot-copy",
    "bytes/s",
    values,
    `Buffer.copy of one ${chunk}-byte buffer to another, ${count} times (both stay in the CPU cache), median of ${runs}`,
  );
}

/** Bytes per second read(2) copies from the page cache into one reused user buffer of `chunk` bytes; the file must be cached. */
export function measureKernelCopy(fd: number, bytes: number, chunk: number, runs: number): Measurement {
  const buffer = Buffer.allocUnsafeSlow(chunk).fill(0);
  const readAll = () => {
    for (let position = 0; position < bytes; position += chunk) {
      if (fs.readSync(fd, buffer, 0, Math.min(chunk, bytes - position), position) <= 0) throw new Error("calibration file ended early");
    }
  };
  readAll(); // untimed: makes sure every page is cached and the read path is compiled
  const values: number[] = [];
  for (let run = 0; run < runs; run++) values.push(bytes / timeSeconds(readAll));
  return measurementOf(
    "kernel-copy",
    "bytes/s",
    values,
    `read(2) of a cached ${bytes}-byte file in ${chunk}-byte calls into one reused buffer (copy_to_user), median of ${runs}`,
  );
}

/** Bytes per second read(2) copies from the page cache into memory that is not in the CPU cache: successive
 *  `chunk`s of one file-sized, pre-faulted buffer, as a loop that takes a fresh Buffer per chunk writes to memory
 *  the CPU has not touched lately. The file must be cached. */
export function measureKernelCopyCold(fd: number, bytes: number, chunk: number, runs: number): Measurement {
  const buffer = Buffer.allocUnsafeSlow(bytes).fill(0); // fill(): faults every page in before the clock runs
  const readAll = () => {
    for (let position = 0; position < bytes; position += chunk) {
      if (fs.readSync(fd, buffer, position, Math.min(chunk, bytes - position), position) <= 0) throw new Error("calibration file ended early");
    }
  };
  readAll();
  const values: number[] = [];
  for (let run = 0; run < runs; run++) values.push(bytes / timeSeconds(readAll));
  return measurementOf(
    "kernel-copy-cold",
    "bytes/s",
    values,
    `read(2) of a cached ${bytes}-byte file in ${chunk}-byte calls into successive chunks of a ${bytes}-byte buffer (cold destination), median of ${runs}`,
  );
}
