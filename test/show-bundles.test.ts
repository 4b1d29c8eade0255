// The display helpers' MIME bundles: what a notebook cell sends for prose, tables, collapsed details and a verdict,
// each with a text/plain fallback; and the Markdown subset the report renders the same prose with.
import { describe, it, expect } from "vitest";
import { markdownBundle, tableBundle, detailsBundle, verdictBundle, figureBundle } from "../src/plot/show";
import { markdownHtml, inlineHtml } from "../src/plot/markdown";
import { tableHtml, tableText, Table } from "../src/plot/table";
import { blockHtml } from "../src/plot/block";
import { Claims } from "../src/claims/claims";

const table: Table = {
  id: "t1",
  caption: "Two paths, `read` and <b>send</b>",
  columns: ["path", "calls"],
  rows: [["read-write", "16,384"], ["sendfile", "1"]],
  numeric: [1],
  note: "per [64 MiB](https://example.org/x)",
  marked: [1],
  rowIds: ["row-a", "row-b"],
};

describe("show helpers' MIME bundles", () => {
  it("send generated prose as text/markdown with the same text as text/plain", () => {
    const b = markdownBundle("**16,384** calls");
    expect(Object.keys(b).sort()).toEqual(["text/markdown", "text/plain"]);
    expect(b["text/markdown"]).toBe("**16,384** calls");
    expect(b["text/plain"]).toBe("**16,384** calls");
  });

  it("send a table as HTML (every cell, escaped, numbers right-aligned, marked rows, row ids) and as aligned text", () => {
    const b = tableBundle(table);
    expect(Object.keys(b).sort()).toEqual(["text/html", "text/plain"]);
    const html = b["text/html"] as string;
    expect(html).toContain('data-table="t1"');
    expect(html).toContain("&lt;b&gt;send&lt;/b&gt;");
    expect(html).toContain("<code>read</code>");
    expect(html).toMatch(/<td class="num" style="text-align:right;[^"]*">16,384<\/td>/);
    expect(html).toContain('<tr id="row-b" class="marked">');
    expect(html).toContain('<a href="https://example.org/x">64 MiB</a>');
    expect((html.match(/<td /g) ?? []).length).toBe(4);
    const text = b["text/plain"] as string;
    expect(text.split("\n")).toEqual([
      "Two paths, `read` and <b>send</b>",
      "path         calls",
      "----------  ------",
      "read-write  16,384",
      "sendfile         1",
      "per [64 MiB](https://example.org/x)",
    ]);
  });

  it("send details closed, with their summary and body, and the whole text as plain text", () => {
    const b = detailsBundle("Every counter", { table });
    expect((b["text/html"] as string).startsWith('<details class="workbook-details"><summary>Every counter</summary>')).toBe(true);
    expect(b["text/html"]).not.toContain("<details open");
    expect(b["text/plain"]).toBe(`Every counter\n${tableText(table)}`);
    const raw = detailsBundle("Raw <record>", { text: "a < b" });
    expect(raw["text/html"]).toContain("<pre");
    expect(raw["text/html"]).toContain("a &lt; b");
  });

  it("send a verdict as a claims table, and as the CLAIM lines the notebook test reads", () => {
    const claims = new Claims("9. Test");
    claims.check("one holds", true, "1 of 1", "model");
    claims.check("one fails", false, "0 of 1", "reference");
    claims.note("a note");
    const b = verdictBundle(claims.verdict());
    expect(b["text/plain"]).toBe("a note\nCLAIM PASS [model] one holds (1 of 1)\nCLAIM FAIL [reference] one fails (0 of 1)");
    expect(b["text/html"]).toContain("✗ FAILS");
    expect(b["text/html"]).toContain('<tr class="marked">');
    expect(b["text/html"]).toContain("<li>a note</li>");
  });

  it("keep a figure's bundle: plotly JSON, an HTML fallback and text", () => {
    const b = figureBundle({ id: "f", title: "T", data: [], layout: { title: { text: "T" } }, summary: "s" });
    expect(Object.keys(b).sort()).toEqual(["application/vnd.plotly.v1+json", "text/html", "text/plain"]);
  });
});

describe("the Markdown the report renders", () => {
  it("renders paragraphs, lists, headings, quotes, code, bold, italics and links, escaping everything else", () => {
    const html = markdownHtml("### What\n\nA **bold** `x < y` and *em* with [a link](https://e.org).\n\n- one\n- two\n  continued\n\n1. first\n2. second\n\n> quoted");
    expect(html).toBe(
      "<h4>What</h4>\n" +
        '<p>A <strong>bold</strong> <code>x &lt; y</code> and <em>em</em> with <a href="https://e.org">a link</a>.</p>\n' +
        "<ul><li>one</li><li>two continued</li></ul>\n" +
        "<ol><li>first</li><li>second</li></ol>\n" +
        "<blockquote>quoted</blockquote>",
    );
    expect(inlineHtml("<script>")).toBe("&lt;script&gt;");
  });

  it("renders a block of each kind for the report", () => {
    expect(blockHtml({ kind: "markdown", markdown: "hi" })).toBe('<div class="workbook-markdown"><p>hi</p></div>');
    expect(blockHtml({ kind: "table", table })).toBe(tableHtml(table));
    expect(blockHtml({ kind: "details", summary: "s", text: "t" })).toContain("<details");
  });
});
