// Child of the fresh-buffer calibration: a new process, so its first pass starts from a heap that has never held
// buffers (like the experiment's one-transfer sender). Started by fresh-buffer.ts.
import * as fs from "fs";
import { readPass } from "./fresh-buffer";

process.once("message", (job: { file: string; count: number; chunk: number; passes: number }) => {
  let fd: number | undefined;
  try {
    fd = fs.openSync(job.file, "r");
    const size = fs.fstatSync(fd).size;
    const passes = Array.from({ length: job.passes }, () => readPass(fd!, size, job.count, job.chunk));
    process.send!({ type: "passes", passes });
  } catch (error) {
    process.send!({ type: "error", message: (error as Error).message });
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
});
