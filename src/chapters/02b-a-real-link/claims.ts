// What chapter 2b checks: every byte arrived; a slow link paces every path alike; sendfile's sender stays cheaper
// than the C copy loop at every rate; the machine's total CPU per GiB does not follow the link while each process's
// share does; and the crossover lies where the slower-of-two model puts it.
import { Claims, Verdict } from "../../claims/claims";
import { formatRate, formatGbit } from "../../units/rates";
import { RealLinkStudy, RealLinkAnalysis, LinkRow, analyzeRealLink, LINK_BOUND_SLOWDOWN } from "./analysis";

export const CHAPTER = "2b. A real link: where zero-copy saves time and where it only saves CPU";

/** The slowest link every plan has: at it, every path must take bytes / rate. */
export const SLOW_LINK = 1e9;

/** Machine-wide CPU per GiB may differ from the unshaped one by this fraction, beyond 3 sd of the measurement:
 *  shaped and unshaped runs do somewhat different kernel work per byte (timer-driven release, smaller bursts),
 *  and where this shared machine resolves the total best (fast links, sd < 0.1 s/GiB) it still moved by +-25%. */
export const MACHINE_CPU_TOLERANCE = 0.5;

/** The measured crossover may lie this far (as a factor) from the model's: the model's input is a median of a
 *  few unshaped runs, and on this shared 2-core VM a run that meets a burst of other work takes 2-3x as long
 *  (the background windows show it); the model's sharp corner is also rounded in reality. */
export const CROSSOVER_FACTOR = 2;

/** "1.08 s" style. */
const s = (x: number) => `${x.toFixed(3)} s`;
/** "9.9 Gbit/s" style, for crossovers. */
const gbit = (x: number) => formatGbit(x, 1);

/** Chapter 2b's claims about a study; the notebook's last cell and the report show them. */
export function chapterClaims(study: RealLinkStudy, analysis: RealLinkAnalysis = analyzeRealLink(study)): Verdict {
  const claims = new Claims(CHAPTER);
  const a = analysis;
  const runs = study.results.flatMap((r) => r.runs.map((run) => ({ run, c: r.conditions })));
  claims.check(
    "every run through every link delivered exactly the file's bytes (length and CRC-32)",
    runs.length > 0 && runs.every(({ run, c }) => run.receivedBytes === c.bytes && run.receivedChecksum === c.fileChecksum),
    `${runs.length} runs over ${study.results.length} links`,
    "machine",
  );

  const slow = a.rows.filter((r) => r.rate === SLOW_LINK);
  if (slow.length === 0) throw new RangeError(`chapter 2b's plan must include the ${formatRate(SLOW_LINK)} link`);
  claims.check(
    `at ${formatRate(SLOW_LINK)} every path takes bytes / rate within 15% (median)`,
    slow.every((r) => Math.abs(r.slowdown! - 1) <= 0.15),
    `bytes / rate ${s(slow[0].linkSeconds!)}; ${slow.map((r) => `${r.path} ${s(r.medianSeconds)}`).join(", ")}`,
    "both",
  );

  // Where the model says every path is link-bound by a margin of 2, the paths must take the same time.
  const slowestCeiling = Math.min(...a.crossovers.map((c) => c.model));
  const converged = a.rates.filter((rate) => rate <= slowestCeiling / 2);
  const spreads = converged.map((rate) => {
    const rows = a.rows.filter((r) => r.rate === rate);
    return { rate, spread: Math.max(...rows.map((r) => r.medianSeconds)) / Math.min(...rows.map((r) => r.medianSeconds)) };
  });
  claims.check(
    `through links at most half the slowest path's CPU ceiling (${gbit(slowestCeiling)}), every path takes the same time within 15%`,
    spreads.length > 0 && spreads.every((x) => x.spread <= 1.15),
    spreads.map((x) => `${formatRate(x.rate)}: slowest / fastest ${x.spread.toFixed(2)}`).join(", ") || "no such link in the plan",
    "both",
  );

  const links = [...a.rates, null];
  const row = (path: string, rate: number | null): LinkRow | undefined => a.rows.find((r) => r.path === path && r.rate === rate);
  const pairs = links.map((rate) => ({ rate, sf: row("sendfile", rate), c: row("c-read-write", rate) })).filter((p) => p.sf && p.c);
  claims.check(
    "sendfile's sender needs less CPU per GiB than the C read+write loop's through every link (median)",
    pairs.length === links.length && pairs.every((p) => p.sf!.senderCpuPerGiB < p.c!.senderCpuPerGiB),
    pairs.map((p) => `${formatRate(p.rate)} ${p.sf!.senderCpuPerGiB.toFixed(3)} vs ${p.c!.senderCpuPerGiB.toFixed(3)}`).join(", ") + " s/GiB",
    "machine",
  );

  // Machine-wide CPU per GiB against the unshaped value, path by path, with the measurement's own uncertainty.
  const machineChecks = a.rows
    .filter((r) => r.rate !== null)
    .map((r) => {
      const u = row(r.path, null)!;
      const sd = Math.hypot(r.machine?.uncertaintySecondsPerGiB ?? Infinity, u.machine?.uncertaintySecondsPerGiB ?? Infinity);
      const diff = Math.abs((r.machine?.netSecondsPerGiB ?? Infinity) - (u.machine?.netSecondsPerGiB ?? 0));
      return { r, ok: Number.isFinite(diff) && diff <= MACHINE_CPU_TOLERANCE * u.machine!.netSecondsPerGiB + 3 * sd };
    });
  const byPath = a.crossovers.map((c) => c.path);
  claims.check(
    `every CPU's busy time per GiB, net of the background, stays within ${MACHINE_CPU_TOLERANCE * 100}% (+ 3 sd) of its unshaped value at every rate`,
    machineChecks.length > 0 && machineChecks.every((m) => m.ok),
    byPath
      .map((path) => {
        const mine = a.rows.filter((r) => r.path === path);
        return `${path} ${mine.map((r) => `${r.machine?.netSecondsPerGiB.toFixed(2) ?? "-"}+-${r.machine?.uncertaintySecondsPerGiB.toFixed(2) ?? "-"}`).join("/")}`;
      })
      .join("; ") + ` s/GiB (${links.map((x) => formatRate(x)).join(", ")})` +
      (machineChecks.some((m) => !m.ok) ? `; outside: ${machineChecks.filter((m) => !m.ok).map((m) => `${m.r.path} at ${formatRate(m.r.rate)}`).join(", ")}` : ""),
    "machine",
  );

  // The plan's rates bracket the measured crossover: above the fastest link a path filled, at or below the slowest
  // it could not. The model's crossover must fit that bracket, give or take CROSSOVER_FACTOR.
  const judged = a.crossovers.map((c) => {
    const low = c.lastFilled ?? 0;
    const high = c.firstNotFilled ?? Infinity;
    const ok = low <= c.model * CROSSOVER_FACTOR && high >= c.model / CROSSOVER_FACTOR;
    const bracket = `${low > 0 ? gbit(low) : "below the slowest link"}-${Number.isFinite(high) ? gbit(high) : "above the fastest link"}`;
    return { ok, text: `${c.path} model ${gbit(c.model)}, machine ${bracket}` };
  });
  claims.check(
    `each path's crossover lies where the model puts it (link time = ${a.modelInput}), within a factor ${CROSSOVER_FACTOR}: ` +
      "it filled the links below it and not those above",
    judged.length > 0 && judged.every((j) => j.ok),
    judged.map((j) => j.text).join("; "),
    "both",
  );
  const estimates = a.crossovers.filter((c) => c.measured !== undefined);
  if (estimates.length > 0) {
    claims.note(`the fastest each path went through a link it could not fill, over the model's crossover: ${estimates.map((c) => `${c.path} ${(c.measured! / c.model).toFixed(2)}`).join(", ")}`);
  }

  // Observations, not asserted: how far each process's share moves, and what a broker would need.
  const sf = a.rows.filter((r) => r.path === "sendfile");
  const [sfSlow, sfUnshaped] = [sf.find((r) => r.rate === a.rates[0]), sf.find((r) => r.rate === null)];
  if (sfSlow && sfUnshaped) {
    claims.note(
      `sendfile's sender CPU per GiB: ${sfSlow.senderCpuPerGiB.toFixed(3)} s through ${formatRate(sfSlow.rate)}, ${sfUnshaped.senderCpuPerGiB.toFixed(3)} s unshaped; ` +
        `its receiver's ${sfSlow.receiverCpuPerGiB.toFixed(3)} vs ${sfUnshaped.receiverCpuPerGiB.toFixed(3)} s: the kernel's receive work moves between them (and to idle CPUs) with the link`,
    );
  }
  const fastest = a.rates[a.rates.length - 1];
  const timeAt = (path: string, rate: number | null) => row(path, rate)?.medianSeconds;
  const ratio = (rate: number | null) => {
    const [x, y, z] = [timeAt("sendfile", rate), timeAt("c-read-write", rate), timeAt("stream", rate)];
    return x && y && z ? `sendfile / C loop ${(x / y).toFixed(2)}, sendfile / stream ${(x / z).toFixed(2)}` : "-";
  };
  claims.note(`time ratios at ${formatRate(SLOW_LINK)}: ${ratio(SLOW_LINK)}; at ${formatRate(fastest)}: ${ratio(fastest)}; unshaped: ${ratio(null)}`);
  const cores = (path: string) => a.cores.filter((c) => c.path === path).map((c) => `${formatRate(c.rate)} ${c.cores.toPrecision(2)}`).join(", ");
  claims.note(`cores a broker needs to fill its link (sender CPU per byte through ${formatRate(a.rates[0])}): sendfile ${cores("sendfile")}; C read+write ${cores("c-read-write")}`);
  const background = Math.max(...a.rows.map((r) => r.machine?.backgroundCores ?? 0));
  claims.note(`background load around the sends: up to ${background.toFixed(2)} cores (other processes; subtracted from the machine-wide CPU)`);
  claims.note(`the shaped links' qdiscs dropped ${a.drops} packets; a run counts as filling its link when it took at most ${LINK_BOUND_SLOWDOWN} x bytes / rate`);
  return claims.verdict();
}
