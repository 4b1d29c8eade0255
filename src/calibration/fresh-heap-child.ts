// Child of the fresh-buffer calibration: a new process, so its first pass starts from a heap that has never held
// buffers (like the experiment's one-transfer sender). Started by fresh-buffer.ts.
import * as fs from "fs";
import { readPass, FreshHeapOrder, FreshHeapReport } from "./fresh-buffer";
import { reportToParent } from "../cleanup/child-process";

process.once("message", (job: FreshHeapOrder) => {
  let fd: number | undefined;
  try {
    fd = fs.openSync(job.file, "r");
    const size = fs.fstatSync(fd).size;
    const passes = Array.from({ length: job.passes }, () => readPass(fd!, size, job.count, job.chunk));
    reportToParent<FreshHeapReport>({ type: "passes", passes });
  } catch (error) {
    reportToParent<FreshHeapReport>({ type: "error", message: (error as Error).message });
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
});
