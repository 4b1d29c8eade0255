// The report page's structure, from sections a chapter would give it: a table of contents linking every chapter,
// one collapsible section per chapter in chapter order, blocks in the order the notebook shows them, claims
// collapsed under their chapter, and figures redrawn when a closed chapter opens.
import { describe, it, expect } from "vitest";
import { reportHtml, chaptersOf, sectionId } from "../src/report/page";
import type { Section } from "../src/chapters/chapter";
import { Claims } from "../src/claims/claims";

const figure = (id: string) => ({ id, title: id, data: [], layout: { title: { text: id } }, summary: id });
const verdict = (chapter: string) => {
  const c = new Claims(chapter);
  c.check("it holds", true, "1 of 1");
  return c.verdict();
};
const sections: Section[] = [
  {
    title: "1. The copy path (model)",
    text: "",
    blocks: [
      { kind: "markdown", markdown: "First **prose**." },
      { kind: "figure", figure: figure("post-diagram") },
      { kind: "table", table: { id: "post-steps", caption: "steps", columns: ["a"], rows: [["1"]] } },
      { kind: "details", summary: "Every counter", text: "raw" },
    ],
    figures: [],
  },
  { title: "1. The copy path (model): what this chapter checked", text: "", figures: [], verdict: verdict("1. The copy path") },
  { title: "3. The page cache: cold vs warm", text: "The same file.", figures: [figure("cold-warm")] },
  { title: "3. The page cache: which pages stay", text: "Hit ratios.", figures: [figure("hit-ratio-loop")], pre: "a < b" },
];

describe("the report page", () => {
  const html = reportHtml("The zero-copy workbook", "today", sections);

  it("groups sections into chapters by their leading number, in order", () => {
    expect(chaptersOf(sections).map((c) => [c.title, c.sections.length])).toEqual([
      ["1. The copy path (model)", 2],
      ["3. The page cache: cold vs warm", 2],
    ]);
  });

  it("starts with a table of contents that links to every chapter", () => {
    const toc = /<nav class="toc">([\s\S]*?)<\/nav>/.exec(html)?.[1] ?? "";
    const links = [...toc.matchAll(/href="#([^"]+)"/g)].map((m) => m[1]);
    expect(links).toEqual([`${sectionId("1. The copy path (model)")}-chapter`, `${sectionId("3. The page cache: cold vs warm")}-chapter`]);
    for (const id of links) expect(html).toContain(`id="${id}"`);
    expect(toc).toContain("open all");
  });

  it("puts each chapter in a collapsible section, open, and its claims in a closed one", () => {
    expect(html.match(/<details class="chapter" open/g)).toHaveLength(2);
    expect(html).toMatch(/<details class="claims"><summary>1\. The copy path \(model\): what this chapter checked \(1 of 1 hold\)<\/summary>/);
    expect(html).toContain('<details class="workbook-details"><summary>The numbers as text</summary><pre>a &lt; b</pre></details>');
  });

  it("shows a chapter's blocks in the notebook's order, then its figures", () => {
    const order = ["First <strong>prose</strong>.", 'data-figure="post-diagram"', 'data-table="post-steps"', "<summary>Every counter</summary>"].map((s) => html.indexOf(s));
    expect(order.every((i) => i > 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    expect(html.indexOf('data-figure="cold-warm"')).toBeLessThan(html.indexOf('data-figure="hit-ratio-loop"'));
  });

  it("redraws a chapter's figures when it is opened", () => {
    expect(html).toContain('addEventListener("toggle"');
    expect(html).toContain("Plotly.Plots.resize");
  });
});
