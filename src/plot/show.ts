// The notebooks' display helper. show() puts a Figure in a cell: plotly JSON, an HTML fallback and plain text in
// ONE output, because classic Notebook 6 and nbconvert render only the HTML, JupyterLab prefers the JSON.
// showMarkdown() sends generated prose as text/markdown (so numbers in prose come from the run beside it),
// showTable() a table as text/html, showDetails() a collapsed <details>; each with a text/plain fallback.
// showVerdict() ends a chapter: its claims printed one per line, saved for the summary chapter, and a throw if
// any fails, so the cell, the notebook and the build fail loudly.
import * as path from "path";
import { Figure } from "./figure";
import { figureHtml } from "./html";
import { Table, tableHtml, tableText } from "./table";
import { detailsHtml, detailsText } from "./block";
import { escapeHtml } from "./markdown";
import { claimsTable } from "./claims-table";
import { Verdict, claimLine, requireClaimsHold } from "../claims/claims";
import { saveVerdict } from "../claims/claims-store";

const JUPYTER_MODULE = path.join("tslab", "dist", "jupyter.js");

interface TslabJupyter {
  lastWriteDisplayData?: (content: unknown, update: boolean) => void;
}

/** The MIME bundle of one figure output; exported so tests can check what a cell sends. */
export function figureBundle(figure: Figure): Record<string, unknown> {
  return {
    "application/vnd.plotly.v1+json": { data: figure.data, layout: figure.layout, frames: figure.frames ?? [] },
    "text/html": figureHtml(figure),
    "text/plain": `[figure] ${figure.title}\n${figure.summary}`,
  };
}

/** The MIME bundle of generated prose: the Markdown itself, which Jupyter renders, and the same text as plain text. */
export function markdownBundle(markdown: string): Record<string, unknown> {
  return { "text/markdown": markdown, "text/plain": markdown };
}

/** The MIME bundle of a table: an HTML table, and aligned text. */
export function tableBundle(table: Table): Record<string, unknown> {
  return { "text/html": tableHtml(table), "text/plain": tableText(table) };
}

/** The MIME bundle of collapsed details: a closed <details> element, and the whole text. */
export function detailsBundle(summary: string, body: { table?: Table; text?: string }): Record<string, unknown> {
  return { "text/html": detailsHtml(summary, body), "text/plain": detailsText(summary, body) };
}

/** Sends one output with several MIME types from a notebook cell (tslab); returns false outside Jupyter. */
function display(bundle: Record<string, unknown>): boolean {
  // Only inside the tslab kernel is its jupyter module already loaded; never load it elsewhere.
  const loaded = Object.keys(require.cache).find((file) => file.endsWith(JUPYTER_MODULE));
  const jupyter = loaded ? (require.cache[loaded]?.exports as TslabJupyter) : undefined;
  // tslab's display.raw() sends one MIME type per output; its writer takes a whole bundle.
  if (!jupyter?.lastWriteDisplayData) return false;
  jupyter.lastWriteDisplayData({ data: bundle, metadata: {}, transient: {} }, false);
  return true;
}

/** Displays a figure from a notebook cell (tslab), or prints its summary when run outside Jupyter. */
export function show(figure: Figure): void {
  if (!display(figureBundle(figure))) console.log(`[figure] ${figure.title}\n${figure.summary}`);
}

/** Displays generated Markdown prose (numbers filled in from the run); prints it outside Jupyter. */
export function showMarkdown(markdown: string): void {
  if (!display(markdownBundle(markdown))) console.log(markdown);
}

/** Displays a table; prints it as aligned text outside Jupyter. */
export function showTable(table: Table): void {
  if (!display(tableBundle(table))) console.log(tableText(table));
}

/** Displays details the reader opens on demand (a long table, a raw record); prints them outside Jupyter. */
export function showDetails(summary: string, body: { table?: Table; text?: string }): void {
  if (!display(detailsBundle(summary, body))) console.log(detailsText(summary, body));
}

/** The MIME bundle of a verdict: the claims table (and the notes under it) as HTML; as plain text, the notes and one
 *  "CLAIM PASS|FAIL [source] claim (evidence)" line per claim, which the notebook test reads. */
export function verdictBundle(verdict: Verdict): Record<string, unknown> {
  const notes = verdict.notes.length ? `<ul class="notes">${verdict.notes.map((n) => `<li>${escapeHtml(n)}</li>`).join("")}</ul>` : "";
  return {
    "text/html": tableHtml(claimsTable(verdict)) + notes,
    "text/plain": [...verdict.notes, ...verdict.claims.map(claimLine)].join("\n"),
  };
}

/** Shows a chapter's claims (a table in Jupyter; notes and one "CLAIM PASS|FAIL" line each elsewhere), saves them
 *  with the plan the chapter ran, and throws if none was checked or any failed; every notebook's last cell calls it. */
export function showVerdict(verdict: Verdict, plan: unknown): void {
  saveVerdict(verdict, plan);
  if (!display(verdictBundle(verdict))) {
    for (const note of verdict.notes) console.log(note);
    for (const claim of verdict.claims) console.log(claimLine(claim));
  }
  requireClaimsHold(verdict);
}
