// Chapter 8's table and figure: every claim the chapters checked, numbered, in an HTML table that shows every row
// in the static view; and how many claims each chapter checked, by what checked them.
import { Figure } from "../../plot/figure";
import { baseLayout, legendBelow } from "../../plot/style";
import type { Table } from "../../plot/table";
import { CLAIM_SOURCES } from "../../claims/claims";
import { ClaimsSummary, chapterNumber } from "./analysis";

/** The HTML id of a claim's row, which the written verdict links to ("2.6" -> "claim-2-6"). */
export function claimAnchor(id: string): string {
  return `claim-${id.replace(/\./g, "-")}`;
}

/** Every claim, one row each, in chapter order: number, chapter, claim, what checked it, verdict, evidence. */
export function claimsTableOf(summary: ClaimsSummary): Table {
  const claims = summary.claims;
  return {
    id: "all-claims",
    caption: `Every claim the workbook checked (${claims.filter((c) => c.pass).length} of ${claims.length} hold), from ${summary.source}`,
    columns: ["#", "chapter", "claim", "checked by", "verdict", "evidence"],
    rows: claims.map((c) => [c.id, c.chapter, c.claim, c.source, c.pass ? "✓ holds" : "✗ FAILS", c.evidence]),
    rowIds: claims.map((c) => claimAnchor(c.id)),
    marked: claims.flatMap((c, i) => (c.pass ? [] : [i])),
    note: "checked by: model = the model's arithmetic; machine = a measurement on this machine; both = the two side by side; reference = a published source's numbers or words, alone or against the model.",
  };
}

/** Colour of each kind of check. */
const SOURCE_COLORS: Record<string, string> = { model: "#1f77b4", machine: "#2ca02c", both: "#9467bd", reference: "#8c564b" };

/** Stacked bars: how many claims each chapter checked, by what checked them; failed claims drawn on top in red. */
export function claimsBySourceFigure(summary: ClaimsSummary): Figure {
  const chapters = [...new Set(summary.claims.map((c) => c.chapter))];
  const x = chapters.map((c) => `ch. ${chapterNumber(c)}`);
  const count = (chapter: string, f: (c: (typeof summary.claims)[number]) => boolean) => summary.claims.filter((c) => c.chapter === chapter && f(c)).length;
  const data: Record<string, unknown>[] = CLAIM_SOURCES.map((source) => ({
    type: "bar",
    name: `${source}: holds`,
    x,
    y: chapters.map((ch) => count(ch, (c) => c.source === source && c.pass)),
    marker: { color: SOURCE_COLORS[source] },
  }));
  data.push({ type: "bar", name: "fails (any check)", x, y: chapters.map((ch) => count(ch, (c) => !c.pass)), marker: { color: "#d62728" } });
  const title = `What checked the ${summary.claims.length} claims, chapter by chapter`;
  return {
    id: "claims-by-source",
    title,
    data,
    layout: baseLayout(title, {
      barmode: "stack",
      height: 400,
      xaxis: { title: { text: "chapter" } },
      yaxis: { title: { text: "claims (count)" }, rangemode: "tozero", dtick: 2 },
      legend: legendBelow("checked by", -0.28),
      margin: { t: 60, r: 20, b: 130, l: 70 },
    }),
    summary: chapters.map((ch) => `${ch}: ${CLAIM_SOURCES.map((s) => `${count(ch, (c) => c.source === s)} ${s}`).join(", ")}, ${count(ch, (c) => !c.pass)} failed`).join("\n"),
  };
}
