// How well the cost model fits the machine over repeated batches, and how much the machine itself moves. For each
// path and size: the median over batches of each batch's median (the machine's typical figure), the batch-to-batch
// spread of those medians ((max - min) / median: this machine's own noise for that row), the model's prediction and
// its residual. The target (for rows at and above 64 MiB, warm cache): median |residual| at most 10% for wall time,
// 20% for sender CPU per GiB, 25% for system calls per GiB, and in at least 80% of rows a residual within the
// row's own spread. Pure arithmetic on TransferRow records (transfer-rows.ts).
import { median } from "../statistics/spread";
import type { TransferRow } from "./transfer-rows";
import { MiB } from "../units/sizes";

/** The judged figures. */
export const FIT_METRICS = ["wallSeconds", "senderCpuSecondsPerGiB", "syscallsPerGiB"] as const;
export type FitMetric = (typeof FIT_METRICS)[number];

/** The targets: the largest acceptable median |residual| per metric, the share of rows within their own spread,
 *  and the smallest size the target covers. */
export const FIT_TARGET = {
  medianAbsResidual: { wallSeconds: 0.1, senderCpuSecondsPerGiB: 0.2, syscallsPerGiB: 0.25 } as Record<FitMetric, number>,
  withinSpreadShare: 0.8,
  minBytes: 64 * MiB,
};

/** One metric of one row over the batches. */
export interface FitCell {
  /** Each batch's median, in batch order. */
  batchMedians: number[];
  /** The median of the batch medians: the machine's typical figure for this row. */
  measured: number;
  /** (max - min) / median of the batch medians. */
  spread: number;
  /** The median over batches of the model's prediction (it differs by batch only through the run's free cores). */
  predicted: number;
  /** predicted / measured - 1. */
  residual: number;
  withinSpread: boolean;
}

/** One path at one size over the batches. */
export interface FitRow {
  path: TransferRow["path"];
  bytes: number;
  cache: TransferRow["cache"];
  batches: number;
  cells: Record<FitMetric, FitCell>;
}

/** The summary the target is judged on. */
export interface FitSummary {
  rows: number;
  batches: number;
  medianAbsResidual: Record<FitMetric, number>;
  withinSpreadShare: Record<FitMetric, number>;
  meets: Record<FitMetric, { residual: boolean; spread: boolean }>;
}

/** Groups each batch's rows by path and size and computes the cells; rows missing from a batch are skipped there. */
export function fitRows(batches: readonly (readonly TransferRow[])[]): FitRow[] {
  const keys = new Map<string, TransferRow[][]>();
  batches.forEach((rows, b) => {
    for (const row of rows) {
      const key = `${row.path}|${row.bytes}|${row.cache}`;
      if (!keys.has(key)) keys.set(key, batches.map(() => []));
      keys.get(key)![b].push(row);
    }
  });
  const out: FitRow[] = [];
  for (const perBatch of keys.values()) {
    const present = perBatch.filter((rows) => rows.length > 0).map((rows) => rows[0]);
    const first = present[0];
    const cell = (metric: FitMetric): FitCell => {
      const batchMedians = present.map((r) => r.measured[metric]);
      const measured = median(batchMedians);
      const spread = (Math.max(...batchMedians) - Math.min(...batchMedians)) / measured;
      const predicted = median(present.map((r) => r.predicted[metric]));
      const residual = predicted / measured - 1;
      return { batchMedians, measured, spread, predicted, residual, withinSpread: Math.abs(residual) <= spread };
    };
    out.push({
      path: first.path,
      bytes: first.bytes,
      cache: first.cache,
      batches: present.length,
      cells: Object.fromEntries(FIT_METRICS.map((m) => [m, cell(m)])) as Record<FitMetric, FitCell>,
    });
  }
  return out.sort((a, b) => a.bytes - b.bytes || PATH_ORDER.indexOf(a.path) - PATH_ORDER.indexOf(b.path));
}

const PATH_ORDER: readonly string[] = ["stream", "read-write", "c-read-write", "sendfile", "splice"];

/** The target's summary over the rows it covers (warm cache, at least FIT_TARGET.minBytes). */
export function fitSummary(rows: readonly FitRow[]): FitSummary {
  const judged = rows.filter((r) => r.cache === "warm" && r.bytes >= FIT_TARGET.minBytes);
  if (judged.length === 0) throw new RangeError(`no warm rows of ${FIT_TARGET.minBytes} bytes or more to judge`);
  const per = <T>(f: (m: FitMetric) => T) => Object.fromEntries(FIT_METRICS.map((m) => [m, f(m)])) as Record<FitMetric, T>;
  const medianAbsResidual = per((m) => median(judged.map((r) => Math.abs(r.cells[m].residual))));
  const withinSpreadShare = per((m) => judged.filter((r) => r.cells[m].withinSpread).length / judged.length);
  return {
    rows: judged.length,
    batches: Math.max(...judged.map((r) => r.batches)),
    medianAbsResidual,
    withinSpreadShare,
    meets: per((m) => ({ residual: medianAbsResidual[m] <= FIT_TARGET.medianAbsResidual[m], spread: withinSpreadShare[m] >= FIT_TARGET.withinSpreadShare })),
  };
}

/** The zero-copy question at one size: sendfile's wall time over read-write's, the machine's and the model's. */
export interface RatioRow {
  bytes: number;
  /** Typical sendfile wall / typical read-write wall (the medians over batches). */
  measured: number;
  predicted: number;
  /** Both below 1 or both at or above 1: the model answers "is zero-copy faster here?" as the machine does. */
  agrees: boolean;
}

/** One ratio row per size that has both paths. */
export function ratioRows(rows: readonly FitRow[]): RatioRow[] {
  const sizes = [...new Set(rows.map((r) => r.bytes))].sort((a, b) => a - b);
  return sizes.flatMap((bytes) => {
    const of = (path: string) => rows.find((r) => r.bytes === bytes && r.path === path && r.cache === "warm")?.cells.wallSeconds;
    const sendfile = of("sendfile");
    const readWrite = of("read-write");
    if (!sendfile || !readWrite) return [];
    const measured = sendfile.measured / readWrite.measured;
    const predicted = sendfile.predicted / readWrite.predicted;
    return [{ bytes, measured, predicted, agrees: measured < 1 === predicted < 1 }];
  });
}

/** The figures of a row as a short cell: "0.412 s (+6%, spread 18%)". */
export function describeCell(metric: FitMetric, cell: FitCell): string {
  const value = metric === "wallSeconds" ? `${cell.measured.toFixed(3)} s` : metric === "syscallsPerGiB" ? cell.measured.toFixed(0) : cell.measured.toFixed(3);
  const sign = cell.residual >= 0 ? "+" : "";
  return `${value} ${sign}${(cell.residual * 100).toFixed(0)}% (±${(cell.spread * 100).toFixed(0)}%)${cell.withinSpread ? "" : "*"}`;
}

/** The table as text lines: one line per row, then the summary against the target. */
export function describeFit(rows: readonly FitRow[]): string[] {
  const head = ["size", "path", "wall: measured, residual (spread)", "sender CPU-s/GiB", "syscalls/GiB"];
  const body = rows.map((r) => [
    `${r.bytes / MiB} MiB`,
    r.path,
    describeCell("wallSeconds", r.cells.wallSeconds),
    describeCell("senderCpuSecondsPerGiB", r.cells.senderCpuSecondsPerGiB),
    describeCell("syscallsPerGiB", r.cells.syscallsPerGiB),
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => (i < 2 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join("  ");
  const lines = [line(head), ...body.map(line), "residual = predicted / measured - 1; spread = (max - min) / median of the batch medians; * = residual outside the spread"];
  for (const r of ratioRows(rows)) {
    lines.push(`${r.bytes / MiB} MiB: sendfile / read-write wall time, machine ${r.measured.toFixed(2)}, model ${r.predicted.toFixed(2)}${r.agrees ? "" : " (the model answers the other way)"}`);
  }
  try {
    const s = fitSummary(rows);
    const pct = (x: number) => `${(x * 100).toFixed(0)}%`;
    for (const m of FIT_METRICS) {
      lines.push(
        `${m}: median |residual| ${pct(s.medianAbsResidual[m])} (target <= ${pct(FIT_TARGET.medianAbsResidual[m])}: ${s.meets[m].residual ? "met" : "missed"}), ` +
          `within own spread in ${pct(s.withinSpreadShare[m])} of ${s.rows} rows (target >= 80%: ${s.meets[m].spread ? "met" : "missed"})`,
      );
    }
  } catch {
    lines.push("no warm rows of 64 MiB or more: the target is not judged");
  }
  return lines;
}
