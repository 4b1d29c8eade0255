// Chapter 1's generated prose: the sources it answers, and what chunking does to the count of calls, with the
// numbers of the run beside it.
import { BYTEBYTEGO_POST, POST_THESIS, Citation } from "../../reference/bytebytego-post";
import { IBM_ARTICLE } from "../../reference/ibm-zero-copy";
import { KAFKA_DESIGN } from "../../reference/kafka-design";
import { MAX_RW_COUNT } from "../../reference/linux";
import { countLabel } from "../../plot/bars";
import { formatBytes } from "../../units/sizes";
import { CopyPathResult, countsOf } from "./analysis";

/** A citation as one Markdown list item: title linked, author, date, where. */
export function citationMarkdown(c: Citation): string {
  return `- [“${c.title}”](${c.url}), ${c.author}, ${c.date}; ${c.note}.`;
}

/** The sources the workbook answers and checks, for the report's first chapter. */
export function sourcesMarkdown(): string {
  return [
    `The question comes from ByteByteGo's post “${BYTEBYTEGO_POST.title}”: “${POST_THESIS}” Its diagram numbers each step a byte takes; this chapter draws that diagram from the model's step tables, then adds what the post leaves out. Sources:`,
    "",
    citationMarkdown(BYTEBYTEGO_POST),
    citationMarkdown(IBM_ARTICLE),
    citationMarkdown(KAFKA_DESIGN),
  ].join("\n");
}

/** What calls of a given size cost to move the whole transfer, in numbers from this run. */
export function callsMarkdown(result: CopyPathResult): string {
  const rw = countsOf(result.chunked, "read-write");
  const sf = countsOf(result.chunked, "sendfile");
  const splice = countsOf(result.chunked, "splice");
  return [
    `To move ${formatBytes(result.bytes)}, a copy loop with a ${formatBytes(result.chunk)} buffer makes ${countLabel(rw.chunks)} passes: ` +
      `${countLabel(rw.syscalls)} system calls and ${countLabel(rw.modeSwitches)} mode switches. sendfile makes ${countLabel(sf.syscalls)} ` +
      `call${sf.syscalls === 1 ? "" : "s"}: one call may move up to ${countLabel(MAX_RW_COUNT)} bytes (sendfile(2): "sendfile() will transfer at most 0x7ffff000 (2,147,479,552) bytes"). ` +
      `splice needs ${countLabel(splice.chunks)} pairs of calls, because each moves at most what the pipe holds (${formatBytes(splice.callBytes)}, pipe(7)).`,
    "",
    "Much of sendfile's advantage in practice is this: fewer, larger calls. Chapter 2 measures whether this machine agrees.",
  ].join("\n");
}
