// The HTML report: sections of prose and figures, one self-contained folder that opens offline from disk.
import * as fs from "fs";
import * as path from "path";
import { Figure } from "../plot/figure";
import { figureHtml } from "../plot/html";
import { copyPlotlyInto, PLOTLY_FILE } from "../plot/plotly-asset";

/** One section of the report: a heading, a paragraph, its figures, and optional preformatted text. */
export interface ReportSection {
  title: string;
  text: string;
  figures: Figure[];
  pre?: string;
}

/** Escapes text for HTML. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[c] as string);
}

/** Builds the whole page; plotly.min.js is expected beside it. */
export function reportHtml(title: string, subtitle: string, sections: ReportSection[]): string {
  const body = sections
    .map(
      (s) => `<section>
<h2>${escapeHtml(s.title)}</h2>
<p>${escapeHtml(s.text)}</p>
${s.figures.map((f) => figureHtml(f, PLOTLY_FILE)).join("\n")}
${s.pre ? `<pre>${escapeHtml(s.pre)}</pre>` : ""}
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
export function writeReport(dir: string, title: string, subtitle: string, sections: ReportSection[]): string {
  fs.mkdirSync(dir, { recursive: true });
  copyPlotlyInto(dir);
  const file = path.join(dir, "report.html");
  fs.writeFileSync(file, reportHtml(title, subtitle, sections));
  return file;
}
