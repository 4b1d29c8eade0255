// What notebook 8 imports: the saved claims of the other chapters, the written verdict, the table and figure of all
// claims, and chapter 8's own claims.
export { PLANS } from "./plan";
export { savedClaimsSummary } from "./analysis";
export { claimsTableOf, claimsBySourceFigure } from "./figures";
export { verdictMarkdown } from "./prose";
export { chapterClaims } from "./claims";
export { claimsDir } from "../../claims/claims-store";
