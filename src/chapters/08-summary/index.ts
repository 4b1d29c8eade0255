// What notebook 8 imports: the saved claims of the other chapters, the table figure and chapter 8's own claims.
export { PLANS } from "./plan";
export { savedClaimsSummary } from "./analysis";
export { claimsTableFigure } from "./figures";
export { chapterClaims } from "./claims";
export { claimsDir } from "../../claims/claims-store";
