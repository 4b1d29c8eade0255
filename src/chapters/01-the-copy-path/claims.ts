// What chapter 1 checks: the model's tables carry ByteByteGo's steps with the post's meaning, and give the copies
// and mode switches the IBM article counts.
import { Claims, Verdict } from "../../claims/claims";
import { POST_STEPS } from "../../reference/bytebytego-post";
import { CopyPathResult, countsOf, stepsOf } from "./analysis";

export const CHAPTER = "1. The copy path";

/** Chapter 1's claims about a model run; the notebook's last cell and the report show them. */
export function chapterClaims(result: CopyPathResult): Verdict {
  const claims = new Claims(CHAPTER);
  const rw = countsOf(result.single, "read-write");
  const sf = countsOf(result.single, "sendfile");
  const sg = countsOf(result.single, "sendfile-sg");
  const matched = result.postSteps.filter((p) => p.matches);
  const labels = [...new Set(result.postSteps.map((p) => p.label))];
  claims.check(
    "every step ByteByteGo's post numbers is in the model's tables with the post's meaning (its moves go from the post's place to the post's place)",
    labels.length === POST_STEPS.length && matched.length === result.postSteps.length,
    `${matched.length} of ${result.postSteps.length} (step, path) pairs: ${result.postSteps.filter((p) => !p.matches).map((p) => `${p.label} in ${p.path}`).join(", ") || "none off"}`,
    "reference",
  );
  const unlabelledSwitches = result.steps.flatMap((t) => [...t.setup, ...t.perChunk]).filter((s) => s.kind === "to-kernel" || s.kind === "to-user");
  claims.check("no mode switch carries a post label: the post does not number them (they come from the IBM article)", unlabelledSwitches.every((s) => s.seedStep === ""),
    `${unlabelledSwitches.length} mode switches, ${unlabelledSwitches.filter((s) => s.seedStep !== "").length} labelled`, "reference");
  const wire = (label: string) => result.steps.flatMap((t) => t.perChunk).filter((s) => s.seedStep === label).map((s) => `${s.actor} ${s.from} → ${s.to}`);
  claims.check("2.5 and 3.3 are the NIC sending on the wire, not a syscall returning", ["2.5", "3.3"].every((l) => wire(l).length > 0 && wire(l).every((w) => w === "nic NIC → network")),
    `2.5: ${[...new Set(wire("2.5"))].join(", ")}; 3.3: ${[...new Set(wire("3.3"))].join(", ")}`, "reference");
  const sgMove = stepsOf(result, "sendfile-sg").perChunk.find((s) => s.seedStep === "3.2" && s.kind === "copy");
  const cpuMove = stepsOf(result, "sendfile").perChunk.find((s) => s.seedStep === "3.2" && s.kind === "copy");
  claims.check("the post's 3.2 (OS cache straight to the network card) is the scatter-gather case; without a NIC that gathers, the CPU copies once",
    sgMove?.actor === "dma" && sgMove.from === "page cache" && sgMove.to === "NIC" && cpuMove?.actor === "cpu" && cpuMove.to === "socket buffer",
    `gather: ${sgMove?.actor} ${sgMove?.from} → ${sgMove?.to}; without: ${cpuMove?.actor} ${cpuMove?.from} → ${cpuMove?.to}`, "model");
  claims.check("read+write = 2 DMA + 2 CPU copies and 4 mode switches, as the IBM article counts", rw.dmaCopies === 2 && rw.cpuCopies === 2 && rw.modeSwitches === 4,
    `${rw.dmaCopies} DMA, ${rw.cpuCopies} CPU, ${rw.modeSwitches} switches`, "reference");
  claims.check("sendfile = 2 DMA + 1 CPU copy and 2 mode switches, as the IBM article counts", sf.dmaCopies === 2 && sf.cpuCopies === 1 && sf.modeSwitches === 2,
    `${sf.dmaCopies} DMA, ${sf.cpuCopies} CPU, ${sf.modeSwitches} switches`, "reference");
  claims.check("sendfile with SG-DMA copies nothing with the CPU", sg.cpuCopies === 0 && sg.cpuBytes === 0 && sg.descriptors === 1, `${sg.cpuCopies} CPU copies, ${sg.descriptors} descriptor hand-off`);
  const rw4k = countsOf(result.chunked, "read-write");
  const sfBig = countsOf(result.chunked, "sendfile");
  claims.check("4 KiB read+write needs far more syscalls than sendfile for the same bytes", rw4k.syscalls >= 1000 * sfBig.syscalls, `${rw4k.syscalls} vs ${sfBig.syscalls}`);
  return claims.verdict();
}
