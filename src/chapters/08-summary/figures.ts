// Chapter 8's figure: every claim the chapters checked, on one page, with the model's and the machine's verdict.
import { Figure } from "../../plot/figure";
import { baseLayout } from "../../plot/style";
import type { ClaimResult } from "../../claims/claims";

/** The verdict cell for one side: ✓ / ✗ when that side judged the claim, a dash when it did not. */
function verdict(claim: ClaimResult, side: "model" | "machine"): string {
  if (claim.source !== side && claim.source !== "both") return "–";
  return claim.pass ? "✓ holds" : "✗ fails";
}

/** A table figure of all claims, one row each, in chapter order. */
export function claimsTableFigure(claims: ClaimResult[]): Figure {
  const title = `Every claim the workbook checked (${claims.length})`;
  const fill = claims.map((c) => (c.pass ? "#eef7ee" : "#fbe9e9"));
  return {
    id: "claims-table",
    title,
    data: [
      {
        type: "table",
        name: "claims",
        columnwidth: [1.2, 4, 0.9, 0.9, 3],
        header: { values: ["chapter", "claim", "model", "machine", "evidence"], fill: { color: "#dddddd" }, align: "left", font: { size: 13 } },
        cells: {
          values: [
            claims.map((c) => c.chapter),
            claims.map((c) => c.claim),
            claims.map((c) => verdict(c, "model")),
            claims.map((c) => verdict(c, "machine")),
            claims.map((c) => c.evidence),
          ],
          fill: { color: [fill, fill, fill, fill, fill] },
          align: "left",
          height: 26,
        },
      },
    ],
    layout: baseLayout(title, { height: Math.min(2400, 140 + 34 * claims.length), margin: { t: 50, r: 10, b: 10, l: 10 } }),
    summary: `${claims.filter((c) => c.pass).length} of ${claims.length} claims hold`,
  };
}
