// A table as plain data, drawn as an HTML table (notebooks and the report) or as aligned text (terminals and the
// text/plain fallback). Tables replace raw text dumps: every cell stays readable in the static view.
import { escapeHtml, inlineHtml } from "./markdown";

/** One table: a caption, column names and rows of cells (numbers already formatted as the reader should see them). */
export interface Table {
  /** Stable id, used as the HTML element id and in tests. */
  id: string;
  caption: string;
  columns: string[];
  rows: string[][];
  /** Columns to align right (numbers); the others align left. */
  numeric?: number[];
  /** A line under the table: units, sources, conditions. */
  note?: string;
  /** Rows to mark (a failed claim, a winner), by index. */
  marked?: number[];
  /** An HTML id per row, so prose can link to one ("claim-2-6"). */
  rowIds?: string[];
}

/** The table as an HTML fragment; cells are escaped, and inline Markdown (`code`, **bold**, *italics*, [links](url))
 *  is rendered, so a source can be a link rather than a long URL. */
export function tableHtml(table: Table): string {
  const numeric = new Set(table.numeric ?? []);
  const marked = new Set(table.marked ?? []);
  // Inline styles, because Jupyter's own table rules (right-aligned cells, no borders) win over a class in an output.
  const style = (i: number, tag: "td" | "th", mark: boolean) =>
    `text-align:${numeric.has(i) ? "right" : "left"};vertical-align:top;padding:4px 8px;border:1px solid #ddd;` +
    (tag === "th" ? "background:#f2f2f2;" : mark ? "background:#fbe9e9;" : "background:#fff;") +
    (numeric.has(i) ? "white-space:nowrap;font-variant-numeric:tabular-nums;" : "overflow-wrap:break-word;");
  const cell = (text: string, i: number, tag: "td" | "th", mark = false) =>
    `<${tag}${numeric.has(i) ? ' class="num"' : ""} style="${style(i, tag, mark)}">${inlineCode(text)}</${tag}>`;
  const head = `<tr>${table.columns.map((c, i) => cell(c, i, "th")).join("")}</tr>`;
  const body = table.rows.map((r, k) => `<tr${table.rowIds?.[k] ? ` id="${escapeHtml(table.rowIds[k])}"` : ""}${marked.has(k) ? ' class="marked"' : ""}>${r.map((c, i) => cell(c, i, "td", marked.has(k))).join("")}</tr>`).join("\n");
  const note = table.note ? `<p class="table-note">${inlineCode(table.note)}</p>` : "";
  return `<div class="workbook-table-wrap" id="table-${escapeHtml(table.id)}">
<table class="workbook-table" data-table="${escapeHtml(table.id)}" style="border-collapse:collapse;font-size:13px;margin:0.5em 0">
<caption style="text-align:left;font-weight:bold;padding:4px 0">${inlineCode(table.caption)}</caption>
${head}
${body}
</table>${note}</div>`;
}

/** A cell's inline Markdown as HTML. */
function inlineCode(text: string): string {
  return inlineHtml(text);
}

/** The table as aligned text, for terminals and the text/plain fallback. */
export function tableText(table: Table): string {
  const numeric = new Set(table.numeric ?? []);
  const widths = table.columns.map((c, i) => Math.max(c.length, ...table.rows.map((r) => (r[i] ?? "").length)));
  const line = (r: string[]) => r.map((c, i) => (numeric.has(i) ? c.padStart(widths[i]) : c.padEnd(widths[i]))).join("  ").trimEnd();
  return [table.caption, line(table.columns), widths.map((w) => "-".repeat(w)).join("  "), ...table.rows.map(line), ...(table.note ? [table.note] : [])].join("\n");
}
