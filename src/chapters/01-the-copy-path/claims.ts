// What chapter 1 checks: the model's own tables give the copies and mode switches the diagrams promise.
import { Claims, Verdict } from "../../claims/claims";
import { CopyPathResult, countsOf } from "./analysis";

export const CHAPTER = "1. The copy path";

/** Chapter 1's claims about a model run; the notebook's last cell and the report show them. */
export function chapterClaims(result: CopyPathResult): Verdict {
  const claims = new Claims(CHAPTER);
  const rw = countsOf(result.single, "read-write");
  const sf = countsOf(result.single, "sendfile");
  const sg = countsOf(result.single, "sendfile-sg");
  claims.check("read+write = 2 DMA + 2 CPU copies and 4 mode switches", rw.dmaCopies === 2 && rw.cpuCopies === 2 && rw.modeSwitches === 4, `${rw.dmaCopies} DMA, ${rw.cpuCopies} CPU, ${rw.modeSwitches} switches`);
  claims.check("sendfile = 2 DMA + 1 CPU copy and 2 mode switches", sf.dmaCopies === 2 && sf.cpuCopies === 1 && sf.modeSwitches === 2, `${sf.dmaCopies} DMA, ${sf.cpuCopies} CPU, ${sf.modeSwitches} switches`);
  claims.check("sendfile with SG-DMA copies nothing with the CPU", sg.cpuCopies === 0 && sg.descriptors === 1, `${sg.cpuCopies} CPU copies, ${sg.descriptors} descriptor`);
  const [readWrite, sendfile] = result.steps;
  const seed = [...readWrite.perChunk, ...sendfile.perChunk].map((s) => s.seedStep).filter((s) => s);
  const order = [...new Set(seed)].join(",");
  claims.check("the step tables walk the seed's steps 2.1-2.5 then 3.1-3.3 in order", order === "2.1,2.2,2.3,2.4,2.5,3.1,3.2,3.3", order);
  const rw4k = countsOf(result.chunked, "read-write");
  const sfBig = countsOf(result.chunked, "sendfile");
  claims.check("4 KiB read+write needs far more syscalls than sendfile for the same bytes", rw4k.syscalls >= 1000 * sfBig.syscalls, `${rw4k.syscalls} vs ${sfBig.syscalls}`);
  return claims.verdict();
}
