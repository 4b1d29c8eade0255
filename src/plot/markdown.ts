// The small part of Markdown the workbook's generated prose uses, rendered to HTML for the report: paragraphs,
// "- " and "1. " lists, "### " headings, "> " quotes, **bold**, *italics*, `code` and [links](url). Notebooks send
// the Markdown itself (text/markdown), so Jupyter renders it; the report renders it with this.

/** Escapes text for HTML. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[c] as string);
}

/** Inline Markdown of one line or paragraph, escaped first. */
export function inlineHtml(text: string): string {
  return escapeHtml(text)
    .replace(/`([^`]+)`/g, "<code>$1</code>")
    .replace(/\*\*([^*]+)\*\*/g, "<strong>$1</strong>")
    .replace(/(^|[^*])\*([^*\s][^*]*)\*/g, "$1<em>$2</em>")
    .replace(/\[([^\]]+)\]\(([^)\s]+)\)/g, (_, label: string, url: string) => `<a href="${url}">${label}</a>`);
}

/** One block of lines (no blank line inside) as HTML. */
function blockHtml(lines: string[]): string {
  if (lines.every((l) => /^\s*[-*] /.test(l) || /^\s{2,}\S/.test(l))) return listHtml(lines, /^\s*[-*] /, "ul");
  if (lines.every((l) => /^\s*\d+\. /.test(l) || /^\s{2,}\S/.test(l))) return listHtml(lines, /^\s*\d+\. /, "ol");
  const heading = /^(#{1,4}) (.*)$/.exec(lines[0]);
  if (heading && lines.length === 1) return `<h${heading[1].length + 1}>${inlineHtml(heading[2])}</h${heading[1].length + 1}>`;
  if (lines.every((l) => l.startsWith(">"))) return `<blockquote>${inlineHtml(lines.map((l) => l.replace(/^>\s?/, "")).join(" "))}</blockquote>`;
  return `<p>${inlineHtml(lines.join(" "))}</p>`;
}

/** A list whose items start with `marker`; indented lines continue the item before them. */
function listHtml(lines: string[], marker: RegExp, tag: "ul" | "ol"): string {
  const items: string[] = [];
  for (const line of lines) {
    if (marker.test(line)) items.push(line.replace(marker, ""));
    else items[items.length - 1] += ` ${line.trim()}`;
  }
  return `<${tag}>${items.map((i) => `<li>${inlineHtml(i)}</li>`).join("")}</${tag}>`;
}

/** Markdown (the subset above) as an HTML fragment. */
export function markdownHtml(markdown: string): string {
  return markdown
    .split(/\n\s*\n/)
    .map((block) => block.split("\n").filter((l) => l.trim() !== ""))
    .filter((lines) => lines.length > 0)
    .map(blockHtml)
    .join("\n");
}
