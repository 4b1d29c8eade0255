// What chapter 7 checks, on any run: the profile is usable and each parameter comes from its own benchmark, the
// model is deterministic, every transfer was verified, and the model agrees with the machine where physics says it
// must (counts it derives, the direction of the zero-copy saving). The accuracy target is judged by the lead on a
// quiet machine (bench:model-fit) and printed here as a note, not asserted.
import { Claims, Verdict } from "../../claims/claims";
import { parameterProblems, PARAMETER_NAMES, MAY_BE_ZERO } from "../../model/cost/machine-profile";
import { PARAMETER_BENCHMARKS, deriveParameters } from "../../calibration/profile-record";
import { analyzePrediction, PredictionStudy, sizeLabel } from "./analysis";
import { targetMarkdown } from "./prose";

export const CHAPTER = "7. Theory meets measurement";

/** Chapter 7's claims about a study; the notebook's last cell and the report show them. */
export function chapterClaims(study: PredictionStudy): Verdict {
  const claims = new Claims(CHAPTER);
  const a = analyzePrediction(study);
  const p = study.profile;
  claims.check(`the profile has all ${PARAMETER_NAMES.length} parameters, each a usable number`, parameterProblems(p.parameters).length === 0,
    `${PARAMETER_NAMES.length} parameters; set to 0 within noise: ${p.zeroed.length ? p.zeroed.join(", ") : "none"}`, "machine");
  const missing = PARAMETER_NAMES.filter((name) => PARAMETER_BENCHMARKS[name].some((b) => p.benchmarks[b] === undefined));
  claims.check("every parameter is read off its own micro-benchmarks, which the profile keeps (none is a transfer of the experiment)", missing.length === 0,
    missing.length ? `missing for ${missing.join(", ")}` : `${Object.keys(p.benchmarks).length} benchmark records`, "machine");
  let rederived = false;
  try {
    rederived = JSON.stringify(deriveParameters(p.benchmarks, p.machine.plan.chunk).parameters) === JSON.stringify(p.parameters);
  } catch {
    rederived = false;
  }
  claims.check("re-deriving the parameters from the saved benchmarks gives the profile's values (nothing else went into them)", rederived, `${PARAMETER_NAMES.length - MAY_BE_ZERO.length} measured directly, the rest differences`, "model");
  // the study is saved as JSON: read back, it must give the same rows (nothing the figures show lives outside it)
  const again = analyzePrediction(JSON.parse(JSON.stringify(study)) as PredictionStudy).rows;
  claims.check("the saved study alone reproduces every row: the profile and the batches, read back from JSON, give the same model and residuals",
    a.rows.length > 0 && JSON.stringify(again) === JSON.stringify(a.rows), `${a.rows.length} rows over ${a.batches} batches`, "model");
  const runs = study.batches.flatMap((b) => b.experiments.flatMap((e) => e.result.runs.map((run) => ({ run, c: e.result.conditions }))));
  claims.check("every run delivered exactly the file's bytes (length and CRC-32)", runs.every(({ run, c }) => run.receivedBytes === c.bytes && run.receivedChecksum === c.fileChecksum), `${runs.length} runs`, "machine");
  const loops = a.rows.filter((r) => r.path === "read-write" || r.path === "c-read-write");
  claims.check("the model counts the copy loops' system calls within 5% at every size (a read and a write per chunk, and the refills)",
    loops.every((r) => Math.abs(r.cells.syscallsPerGiB.residual) <= 0.05), loops.map((r) => `${r.path} ${sizeLabel(r.bytes)} ${(r.cells.syscallsPerGiB.residual * 100).toFixed(1)}%`).join(", "), "both");
  const sizes = [...new Set(a.rows.map((r) => r.bytes))];
  const cpu = (path: string, bytes: number, side: "measured" | "predicted") => a.rows.find((r) => r.path === path && r.bytes === bytes)!.cells.senderCpuSecondsPerGiB[side];
  claims.check("model and machine agree that the sendfile sender needs less CPU than the JavaScript read+write sender, at every size",
    sizes.every((b) => cpu("sendfile", b, "predicted") < cpu("read-write", b, "predicted") && cpu("sendfile", b, "measured") < cpu("read-write", b, "measured")),
    sizes.map((b) => `${sizeLabel(b)}: model ${cpu("sendfile", b, "predicted").toFixed(2)} vs ${cpu("read-write", b, "predicted").toFixed(2)}, machine ${cpu("sendfile", b, "measured").toFixed(2)} vs ${cpu("read-write", b, "measured").toFixed(2)}`).join("; "),
    "both");
  // A reading, not a claim: with 64 KiB chunks the JavaScript loop is close enough to sendfile that a busy machine can
  // put its own ratio above 1 (chapter 2's 4 KiB loop, its claim, is not close).
  claims.note(`sendfile / read+write wall time, machine and model: ${a.ratios.map((r) => `${sizeLabel(r.bytes)} ${r.measured.toFixed(2)} and ${r.predicted.toFixed(2)}${r.agrees ? "" : " (they answer differently)"}`).join("; ")}`);
  claims.note(`model lines: ${a.profileLabel}`);
  claims.note(`target (a reading on this run, judged on a quiet machine): ${targetMarkdown(a).replace(/`/g, "")}`);
  return claims.verdict();
}
