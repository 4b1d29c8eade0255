// `workbook transfer`: the transfer experiment (reality side): sends a file over loopback along each path,
// n runs, and prints medians with min-max (or the whole result as JSON).
import { Command, CliIO, UsageError } from "../command";
import { parseOptions, sizeOption, integerOption, choiceOption, listOption } from "../options";
import { formatBytes } from "../../units/sizes";
import { runTransferExperiment } from "../../experiments/transfer-experiment";
import { TransferResult } from "../../experiments/transfer-records";
import { median, Spread } from "../../statistics/spread";
import { TRANSFER_PATHS, TransferPath, CACHE_STATES } from "../../vocabulary/transfer";
import { runTransferOverLinks } from "../../experiments/link-transfer";
import { LinkUnavailableError } from "../../link/preconditions";
import { parseLinkRates, formatRate, linkSeconds, LinkRate } from "../../units/rates";

/** A one-line progress bar on stderr when it is a terminal; transfer and disk commands use it. */
export function progressBar(io: CliIO, label: string): { update(done: number, total: number, note: string): void; clear(): void } {
  if (!io.isTTY) return { update: () => undefined, clear: () => undefined };
  const width = 30;
  return {
    update(done, total, note) {
      const filled = Math.round((done / Math.max(total, 1)) * width);
      process.stderr.write(`\r${label} [${"#".repeat(filled)}${".".repeat(width - filled)}] ${done}/${total} ${note}`.padEnd(79).slice(0, 79));
    },
    clear() {
      process.stderr.write(`\r${" ".repeat(79)}\r`);
    },
  };
}

/** Reads --path: one name, a comma-separated list, or "all" (the default). */
function pathsOption(value: string | undefined): TransferPath[] {
  if (value === undefined || value === "all") return [...TRANSFER_PATHS];
  return listOption(value, "path")!.map((name) => choiceOption(name, "path", [...TRANSFER_PATHS, "all"] as const)).flatMap((p) => (p === "all" ? [...TRANSFER_PATHS] : [p!]));
}

/** "0.241 (0.120-0.370)": a median with its range. */
function spread(s: Spread, digits: number, scale = 1): string {
  const f = (x: number) => (x * scale).toFixed(digits);
  return `${f(s.median)} (${f(s.min)}-${f(s.max)})`;
}

/** The result as a table: one row per path, medians with min-max. */
export function transferTable(result: TransferResult): string[] {
  const c = result.conditions;
  const head = ["path", "wall s", "MiB/s", "user ms", "sys ms", "syscalls", "vol cs", "invol cs", "minflt", "majflt", "disk read", "recv ms", "machine ms"];
  const rows = result.summaries.map((s) => {
    const m = s.metrics;
    const machine = result.runs.filter((r) => r.path === s.path).map((r) => r.machineBusyMs);
    return [
      s.path,
      spread(m.wallSeconds, 3),
      m.throughputMiBps.median.toFixed(0),
      m.userCpuMs.median.toFixed(1),
      m.systemCpuMs.median.toFixed(1),
      m.syscalls.median.toFixed(0),
      m.voluntarySwitches.median.toFixed(0),
      m.involuntarySwitches.median.toFixed(0),
      m.minorFaults.median.toFixed(0),
      m.majorFaults.median.toFixed(0),
      formatBytes(m.diskReadBytes.median),
      s.receiverCpuMs ? s.receiverCpuMs.median.toFixed(1) : "-",
      machine.every((x): x is number => typeof x === "number") && machine.length > 0 ? median(machine).toFixed(0) : "-",
    ];
  });
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => cells.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]) : cell.padStart(widths[i]))).join("  ");
  return [
    `${formatBytes(c.bytes)} over loopback TCP, cache ${c.cache}, chunk ${formatBytes(c.chunk)}, medians of n=${c.runs} (wall: median (min-max)), all runs verified (${c.checksum} ${c.fileChecksum}); user/sys = sender, recv = receiver CPU, machine = all CPUs busy during the send (/proc/stat, 10 ms ticks)`,
    line(head),
    ...rows.map(line),
    `${c.cpuCount} CPUs, ${c.kernel}, Node ${c.nodeVersion}, load ${c.loadAverage.join(" ")} at start; syscalls for stream from /proc/self/io, others counted by the loop`,
  ];
}

/** Reads --link: a rate or a comma list of rates and "unshaped"; a bad one becomes a UsageError naming the flag. */
function linkOption(value: string | undefined): LinkRate[] | undefined {
  if (value === undefined) return undefined;
  try {
    return parseLinkRates(value, "--link");
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

/** The line above a link's table: what shaped it, and how each path's wall time compares with bytes / rate. */
export function linkLines(result: TransferResult): string[] {
  const link = result.conditions.link;
  if (!link) return [];
  if (link.rateBitsPerSecond === null) return [`link: unshaped (loopback of network namespace ${link.namespace}, no qdisc)`];
  const floor = linkSeconds(result.conditions.bytes, link.rateBitsPerSecond);
  const stats = link.qdiscStats;
  const ratios = result.summaries.map((s) => `${s.path} ${(s.metrics.wallSeconds.median / floor).toFixed(2)}x`).join(", ");
  return [
    `link: ${formatRate(link.rateBitsPerSecond)} (${link.qdisc} on the loopback of network namespace ${link.namespace}; ` +
      `${stats ? `${stats.drops} packets dropped, ${stats.overlimits} waits for tokens` : "no counters"})`,
    `wall time / (bytes / rate = ${floor.toFixed(3)} s): ${ratios}`,
  ];
}

export const command: Command = {
  name: "transfer",
  summary: "send a file over loopback along stream, read-write, c-read-write, sendfile, splice; measure (reality); --link: through a shaped link (root)",
  usage: `workbook transfer [--path <${TRANSFER_PATHS.join("|")}|all>[,...]] --bytes <size> [--cache warm|cold] [--runs n] [--warmup n] [--chunk <size>] [--file <f>] [--dir <d>] [--link <rate|unshaped>[,...]] [--background-ms n] [--out <f.json>] [--json]`,
  async run(argv, io) {
    const { values } = parseOptions(argv, {
      path: { type: "string" },
      bytes: { type: "string" },
      cache: { type: "string" },
      runs: { type: "string" },
      warmup: { type: "string" },
      chunk: { type: "string" },
      file: { type: "string", path: "existing-file" },
      dir: { type: "string", path: "existing-dir" },
      out: { type: "string", path: "output-file" },
      json: { type: "boolean" },
      link: { type: "string" },
      "background-ms": { type: "string" },
    });
    const bytes = sizeOption(values.bytes, "bytes");
    if (bytes === undefined && values.file === undefined) throw new UsageError("--bytes is required (or --file to send an existing file)");
    const links = linkOption(values.link);
    const bar = progressBar(io, "transfer");
    const options = {
      paths: pathsOption(values.path),
      bytes,
      file: values.file,
      cache: choiceOption(values.cache, "cache", CACHE_STATES),
      runs: integerOption(values.runs, "runs", 1, 1000),
      warmup: integerOption(values.warmup, "warmup", 0, 100),
      chunk: sizeOption(values.chunk, "chunk"),
      backgroundWindowMs: integerOption(values["background-ms"], "background-ms", 0, 10_000),
      dir: values.dir,
      out: values.out,
    };
    const note = (p: { path: string; warmup: boolean; round: number }) => `${p.path}${p.warmup ? " (warm-up)" : ` run ${p.round + 1}`}`;
    try {
      if (links) {
        const results = await runTransferOverLinks({
          ...options,
          links,
          onNotice: (line) => io.err(`workbook transfer: ${line}`),
          onProgress: (p) => bar.update(p.done, p.total, `${formatRate(p.link)} ${note(p)}`),
        });
        bar.clear();
        io.out(values.json ? JSON.stringify(results, null, 2) : results.map((r) => [...linkLines(r), ...transferTable(r)].join("\n")).join("\n\n"));
        return 0;
      }
      const result = await runTransferExperiment({ ...options, onProgress: (p) => bar.update(p.done, p.total, note(p)) });
      bar.clear();
      io.out(values.json ? JSON.stringify(result, null, 2) : transferTable(result).join("\n"));
      return 0;
    } catch (error) {
      bar.clear();
      // The machine cannot make a link (not root, no ip/tc): a usage error, exit 2, and nothing was made.
      if (error instanceof LinkUnavailableError) throw new UsageError(`--link: ${error.message}`);
      throw error;
    }
  },
};
