// The HTML report: sections of prose and figures, one self-contained folder that opens offline from disk.
import * as path from "path";
import { writeTextFile } from "../files/write-file";
import { figureHtml } from "../plot/html";
import { copyPlotlyInto, PLOTLY_FILE } from "../plot/plotly-asset";
import type { Section } from "../chapters/chapter";
import type { Verdict } from "../claims/claims";

/** Escapes text for HTML. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[c] as string);
}

/** A chapter's claims as a table (holds / fails, whose verdict, the evidence), then its notes. */
function verdictHtml(verdict: Verdict): string {
  const rows = verdict.claims
    .map((c) => `<tr class="${c.pass ? "holds" : "fails"}"><td>${c.pass ? "✓ holds" : "✗ fails"}</td><td>${escapeHtml(c.source)}</td><td>${escapeHtml(c.claim)}</td><td>${escapeHtml(c.evidence)}</td></tr>`)
    .join("\n");
  const notes = verdict.notes.map((n) => `<li>${escapeHtml(n)}</li>`).join("");
  return `<table class="claims"><tr><th>verdict</th><th>judged by</th><th>claim</th><th>evidence</th></tr>
${rows}
</table>${notes ? `<ul class="notes">${notes}</ul>` : ""}`;
}

/** Builds the whole page; plotly.min.js is expected beside it. */
export function reportHtml(title: string, subtitle: string, sections: Section[]): string {
  const body = sections
    .map(
      (s) => `<section>
<h2>${escapeHtml(s.title)}</h2>
${s.text ? `<p>${escapeHtml(s.text)}</p>` : ""}
${s.figures.map((f) => figureHtml(f, PLOTLY_FILE)).join("\n")}
${s.pre ? `<pre>${escapeHtml(s.pre)}</pre>` : ""}
${s.verdict ? verdictHtml(s.verdict) : ""}
</section>`,
    )
    .join("\n");
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>${escapeHtml(title)}</title>
<style>
body { font-family: Helvetica, Arial, sans-serif; max-width: 1100px; margin: 2em auto; padding: 0 1em; color: #222; }
h1 { margin-bottom: 0.2em; } .subtitle { color: #666; margin-top: 0; }
section { margin: 2.5em 0; } pre { background: #f6f6f6; padding: 1em; white-space: pre-wrap; font-size: 12px; }
table.claims { border-collapse: collapse; font-size: 13px; } table.claims td, table.claims th { border: 1px solid #ddd; padding: 4px 8px; text-align: left; vertical-align: top; }
tr.holds td:first-child { color: #1a7f37; white-space: nowrap; } tr.fails td:first-child { color: #c62828; white-space: nowrap; }
</style>
</head>
<body>
<h1>${escapeHtml(title)}</h1>
<p class="subtitle">${escapeHtml(subtitle)}</p>
${body}
</body>
</html>
`;
}

/** Writes report.html and plotly.min.js into `dir`; returns the report's path. */
export function writeReport(dir: string, title: string, subtitle: string, sections: Section[]): string {
  copyPlotlyInto(dir);
  return writeTextFile(path.join(dir, "report.html"), reportHtml(title, subtitle, sections));
}
