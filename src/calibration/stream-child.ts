// Child of the stream calibration: a new process with a small heap, like the experiment's one-transfer sender.
// Its first pass (`firstBytes`) starts cold: interpreter, JIT, thread pool, heap growth; then `runs` timed passes
// over the file. Started by stream-read.ts.
import { streamOnce, StreamPass, StreamOrder, StreamReport } from "./stream-read";
import { reportToParent } from "../cleanup/child-process";

process.once("message", async (job: StreamOrder) => {
  try {
    const first = await streamOnce(job.file, job.fileBytes, job.firstBytes, job.chunk);
    const passes: StreamPass[] = [];
    for (let run = 0; run < job.runs; run++) passes.push(await streamOnce(job.file, job.fileBytes, job.fileBytes, job.chunk));
    reportToParent<StreamReport>({ type: "passes", first, passes });
  } catch (error) {
    reportToParent<StreamReport>({ type: "error", message: (error as Error).message });
  }
});
