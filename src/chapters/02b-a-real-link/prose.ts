// Chapter 2b's generated prose: the CPU ceiling of each path as measured unshaped and as the cost model predicts it
// from the machine profile, in this run's numbers.
import type { RealLinkAnalysis } from "./analysis";

/** Each path's CPU ceiling, measured unshaped beside the profile's prediction, and what the difference means. */
export function ceilingsMarkdown(a: RealLinkAnalysis): string {
  if (!a.ceilings || !a.profileInput) return "This study has no machine profile: the model's ceilings are the unshaped runs alone.";
  const pct = (x: number) => `${x >= 0 ? "+" : "−"}${Math.abs(x * 100).toFixed(0)}%`;
  const list = a.ceilings.map((c) => `${c.path} ${c.measured.toFixed(3)} s (profile ${c.profile.toFixed(3)} s, ${pct(c.profile / c.measured - 1)})`).join("; ");
  return (
    `The model's one input besides the link is each path's CPU ceiling, the time it takes with no link in the way. Measured through the unshaped ` +
    `namespace: ${list}. The dotted lines use the ${a.profileInput} instead: where a link is slower than both, the two models agree, because the link ` +
    "sets the time; above the crossover they differ by as much as the profile's ceiling misses the unshaped run (chapter 7 shows why the zero-copy and " +
    "C paths are the hardest to predict on this machine)."
  );
}
