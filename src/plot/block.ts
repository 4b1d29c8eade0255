// What a notebook cell or a report section shows, in reading order: a figure, a table, generated prose, or
// details collapsed until the reader opens them. Notebooks show blocks one by one (src/plot/show.ts); the report
// renders a section's blocks the same way, so both say the same thing.
import type { Figure } from "./figure";
import { figureHtml } from "./html";
import { Table, tableHtml, tableText } from "./table";
import { markdownHtml, inlineHtml, escapeHtml } from "./markdown";

export type Block =
  | { kind: "figure"; figure: Figure }
  | { kind: "table"; table: Table }
  | { kind: "markdown"; markdown: string }
  | { kind: "details"; summary: string; table?: Table; text?: string };

/** Details as an HTML <details> element: closed, its summary one line, its body a table or preformatted text. */
export function detailsHtml(summary: string, body: { table?: Table; text?: string }): string {
  const inner = body.table ? tableHtml(body.table) : `<pre style="white-space:pre-wrap;font-size:12px">${escapeHtml(body.text ?? "")}</pre>`;
  return `<details class="workbook-details"><summary>${inlineHtml(summary)}</summary>\n${inner}\n</details>`;
}

/** Details as plain text: the summary, then the body. */
export function detailsText(summary: string, body: { table?: Table; text?: string }): string {
  return `${summary}\n${body.table ? tableText(body.table) : body.text ?? ""}`;
}

/** One block as HTML, for the report. */
export function blockHtml(block: Block, plotlyUrl?: string): string {
  switch (block.kind) {
    case "figure":
      return figureHtml(block.figure, plotlyUrl);
    case "table":
      return tableHtml(block.table);
    case "markdown":
      return `<div class="workbook-markdown">${markdownHtml(block.markdown)}</div>`;
    case "details":
      return detailsHtml(block.summary, block);
  }
}
