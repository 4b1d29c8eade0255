// /proc/<pid>/io: the kernel's I/O accounting for a whole process (all threads).
// "syscr: Attempt to count the number of read I/O operations, that is, system calls such as read(2) and pread(2).
//  read_bytes: Attempt to count the number of bytes which this process really did cause to be fetched from the
//  storage layer." (proc(5)). rchar/wchar do not separate read+write from sendfile, so records keep syscr/syscw
// and read_bytes.
import * as fs from "fs";

/** The fields of /proc/<pid>/io, as numbers. */
export interface ProcIo {
  rchar: number;
  wchar: number;
  syscr: number;
  syscw: number;
  readBytes: number;
  writeBytes: number;
  cancelledWriteBytes: number;
}

/** Parses the text of /proc/<pid>/io; exported for tests. */
export function parseProcIo(text: string): ProcIo {
  const field = (name: string): number => {
    const match = new RegExp(`^${name}:\\s*(\\d+)`, "m").exec(text);
    if (!match) throw new Error(`/proc/self/io has no ${name} field`);
    return Number(match[1]);
  };
  return {
    rchar: field("rchar"),
    wchar: field("wchar"),
    syscr: field("syscr"),
    syscw: field("syscw"),
    readBytes: field("read_bytes"),
    writeBytes: field("write_bytes"),
    cancelledWriteBytes: field("cancelled_write_bytes"),
  };
}

/** Reads this process's I/O counters; the sender calls it before and after a transfer. */
export function readProcIo(pid: number | "self" = "self"): ProcIo {
  return parseProcIo(fs.readFileSync(`/proc/${pid}/io`, "utf8"));
}

/** after - before, field by field. */
export function procIoDelta(before: ProcIo, after: ProcIo): ProcIo {
  const out = {} as ProcIo;
  for (const key of Object.keys(before) as (keyof ProcIo)[]) out[key] = after[key] - before[key];
  return out;
}
