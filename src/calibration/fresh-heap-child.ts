// Child of the fresh-buffer calibration: a new process, so its first pass of allocations starts from a heap that
// has never held buffers (like the experiment's one-transfer sender). Started by fresh-buffer.ts.
import { allocatePass } from "./fresh-buffer";

process.once("message", (job: { count: number; chunk: number; passes: number }) => {
  try {
    const passes = Array.from({ length: job.passes }, () => allocatePass(job.count, job.chunk));
    process.send!({ type: "passes", passes });
  } catch (error) {
    process.send!({ type: "error", message: (error as Error).message });
  }
});
