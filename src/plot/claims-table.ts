// A chapter's claims as a table, as its notebook's last cell and the report show them.
import type { Table } from "./table";
import type { Verdict } from "../claims/claims";

/** A chapter's claims as a table: holds or fails, what checked it, the claim, the evidence. */
export function claimsTable(verdict: Verdict): Table {
  return {
    id: `claims-${verdict.chapter.replace(/[^A-Za-z0-9]+/g, "-").replace(/^-|-$/g, "").toLowerCase()}`,
    caption: `${verdict.chapter}: ${verdict.claims.filter((c) => c.pass).length} of ${verdict.claims.length} claims hold`,
    columns: ["verdict", "checked by", "claim", "evidence"],
    rows: verdict.claims.map((c) => [c.pass ? "✓ holds" : "✗ FAILS", c.source, c.claim, c.evidence]),
    marked: verdict.claims.flatMap((c, i) => (c.pass ? [] : [i])),
  };
}

