// The HTML report: one folder that opens offline from disk. A table of contents, then one collapsible section per
// chapter (figures, tables and prose in the order the chapter's notebook shows them), each chapter's claims
// collapsed under it. Figures and tables are the notebooks' own renderings (src/plot/), so the two read alike.
import * as fs from "fs";
import * as path from "path";
import { writeTextFile } from "../files/write-file";
import { figureHtml } from "../plot/html";
import { blockHtml } from "../plot/block";
import { escapeHtml, inlineHtml } from "../plot/markdown";
import { TABLE_CSS } from "../plot/style";
import { tableHtml } from "../plot/table";
import { claimsTable } from "../plot/claims-table";
import { copyPlotlyInto, PLOTLY_FILE } from "../plot/plotly-asset";
import type { Section } from "../chapters/chapter";
import type { Verdict } from "../claims/claims";

export { escapeHtml };

/** A chapter's claims as the notebook's last cell shows them (a table), then its notes. */
function verdictHtml(verdict: Verdict): string {
  const notes = verdict.notes.map((n) => `<li>${escapeHtml(n)}</li>`).join("");
  return `${tableHtml(claimsTable(verdict))}${notes ? `<ul class="notes">${notes}</ul>` : ""}`;
}

/** A section's id for links: "2. Zero-copy measured" -> "s-2-zero-copy-measured". */
export function sectionId(title: string): string {
  return `s-${title.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "")}`;
}

/** The chapters of a page: sections grouped by the number their title leads with, in chapter order. */
export function chaptersOf(sections: Section[]): { title: string; sections: Section[] }[] {
  const groups = new Map<string, Section[]>();
  for (const s of sections) {
    const key = /^\d+[a-z]?\./.exec(s.title)?.[0] ?? s.title;
    groups.set(key, [...(groups.get(key) ?? []), s]);
  }
  return [...groups.values()].map((list) => ({ title: list[0].title, sections: list }));
}

/** One section's body: paragraph, blocks, figures, preformatted text (collapsed), claims (collapsed). Its heading
 *  is left out when the chapter's own heading already says it. */
function sectionHtml(s: Section, chapterTitle: string): string {
  const claims = s.verdict
    ? `<details class="claims"><summary>${escapeHtml(s.title)} (${s.verdict.claims.filter((c) => c.pass).length} of ${s.verdict.claims.length} hold)</summary>
${verdictHtml(s.verdict)}
</details>`
    : "";
  return `<section id="${sectionId(s.title)}">
${s.verdict || s.title === chapterTitle ? "" : `<h3>${escapeHtml(s.title)}</h3>`}
${s.text ? `<p>${inlineHtml(s.text)}</p>` : ""}
${(s.blocks ?? []).map((b) => blockHtml(b, PLOTLY_FILE)).join("\n")}
${s.figures.map((f) => figureHtml(f, PLOTLY_FILE)).join("\n")}
${s.pre ? `<details class="workbook-details"><summary>The numbers as text</summary><pre>${escapeHtml(s.pre)}</pre></details>` : ""}
${claims}
</section>`;
}

/** Builds the whole page; plotly.min.js is expected beside it. */
export function reportHtml(title: string, subtitle: string, sections: Section[]): string {
  const chapters = chaptersOf(sections);
  const toc = chapters
    .map((c) => `<li><a href="#${sectionId(c.title)}-chapter">${escapeHtml(c.title)}</a>${c.sections.some((s) => s.verdict) ? ` <span class="toc-claims">(claims)</span>` : ""}</li>`)
    .join("\n");
  const body = chapters
    .map(
      (c) => `<details class="chapter" open id="${sectionId(c.title)}-chapter">
<summary><h2>${escapeHtml(c.title)}</h2></summary>
${c.sections.map((s) => sectionHtml(s, c.title)).join("\n")}
</details>`,
    )
    .join("\n");
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>${escapeHtml(title)}</title>
<style>
body { font-family: Helvetica, Arial, sans-serif; font-size: 14px; line-height: 1.45; max-width: 1140px; margin: 2em auto; padding: 0 1em; color: #222; }
h1 { margin-bottom: 0.2em; } .subtitle { color: #666; margin-top: 0; }
nav.toc { background: #f7f7f7; border: 1px solid #e3e3e3; padding: 0.6em 1.2em; margin: 1.5em 0; }
nav.toc ul { margin: 0.3em 0; list-style: none; padding-left: 0.5em; } nav.toc li { margin: 0.15em 0; } .toc-claims { color: #888; font-size: 12px; }
details.chapter { border-top: 1px solid #ddd; margin: 1.5em 0; padding-top: 0.5em; }
details.chapter > summary { cursor: pointer; list-style-position: outside; }
details.chapter > summary h2 { display: inline; font-size: 1.4em; }
section { margin: 1.5em 0; } pre { background: #f6f6f6; padding: 1em; white-space: pre-wrap; font-size: 12px; }
details.claims, details.workbook-details { margin: 1em 0; } details.claims > summary, details.workbook-details > summary { cursor: pointer; color: #333; font-weight: bold; }
tr.holds td:first-child { color: #1a7f37; white-space: nowrap; } tr.fails td:first-child { color: #c62828; white-space: nowrap; }
.workbook-markdown blockquote { border-left: 3px solid #ccc; margin: 0.5em 0; padding-left: 1em; color: #444; }
${TABLE_CSS}
</style>
</head>
<body>
<h1>${escapeHtml(title)}</h1>
<p class="subtitle">${escapeHtml(subtitle)}</p>
<nav class="toc"><b>Contents</b> <button type="button" id="expand-all">open all</button> <button type="button" id="collapse-all">close all</button>
<ul>
${toc}
</ul></nav>
${body}
<script>
// A figure drawn while its chapter was closed has no width: redraw the figures of a chapter when it opens.
document.querySelectorAll("details").forEach(function (d) {
  d.addEventListener("toggle", function () {
    if (!d.open || !window.Plotly) return;
    d.querySelectorAll(".workbook-figure").forEach(function (f) { if (f.data) window.Plotly.Plots.resize(f); });
  });
});
document.getElementById("expand-all").addEventListener("click", function () { document.querySelectorAll("details.chapter").forEach(function (d) { d.open = true; }); });
document.getElementById("collapse-all").addEventListener("click", function () { document.querySelectorAll("details.chapter").forEach(function (d) { d.open = false; }); });
</script>
</body>
</html>
`;
}

/** Writes report.html and plotly.min.js into `dir`; returns the report's path. */
export function writeReport(dir: string, title: string, subtitle: string, sections: Section[]): string {
  copyPlotlyInto(dir);
  return writeTextFile(path.join(dir, "report.html"), reportHtml(title, subtitle, sections));
}
