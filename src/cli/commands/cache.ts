// `workbook cache`: the page-cache simulator (theory): hits, misses, evictions, readahead and disk requests
// of one policy on one access pattern, optionally timed on a modelled disk. With --trace it is an exercise in
// OSTEP's style: the accesses are printed for the student to work out, and --compute prints the answers.
import { Command, UsageError } from "../command";
import { parseOptions, sizeOption, choiceOption, integerOption } from "../options";
import { simulateCache } from "../../model/page-cache";
import { simulateColdRead, MAX_COLD_READ_ACCESSES } from "../../model/cold-read";
import { kernelLimits, MAX_LOGGED_ACCESSES } from "../../model/page-cache-input";
import { pagingExercise, EXERCISE_ORDER, ExerciseRow } from "../../model/page-cache-exercise";
import type { PolicyName } from "../../model/vocabulary";
import { DISK_NAMES } from "../../model/disk";
import { POLICIES, PATTERNS } from "../../model/vocabulary";
import { PAGE_SIZE } from "../../reference/linux";
import { formatBytes } from "../../units/sizes";

/** Patterns the command can generate (traces come from notebooks and code, not the command line). */
const GENERATED = PATTERNS.filter((p) => p !== "trace");

/** Most accesses of one run from the command line: 2^27. The simulation is a single WebAssembly call that cannot
 *  report progress, and 2^27 accesses already take tens of seconds; simulateCache() takes up to 2^31 - 1. */
const CLI_MAX_ACCESSES = 2 ** 27;

/** Reads --accesses, checked against what the run can hold before anything is allocated: with --disk every access
 *  may become a disk request, so the disk model's request limit bounds it too. */
function accessesOption(value: string | undefined, timed: boolean, max: number): number | undefined {
  if (value === undefined) return undefined;
  const limit = timed ? Math.min(max, MAX_COLD_READ_ACCESSES) : max;
  const n = Number(value);
  if (/^\d+$/.test(value.trim()) && n >= 1 && n <= limit) return n;
  const why =
    timed && limit === MAX_COLD_READ_ACCESSES
      ? `with --disk every access may become a disk request, and the disk model serves at most ${MAX_COLD_READ_ACCESSES}`
      : limit === CLI_MAX_ACCESSES
        ? "the simulation is one call that shows no progress, and this many accesses already take tens of seconds; a notebook can call simulateCache() with up to 2147483647"
        : "OPT keeps the whole access stream in memory";
  throw new UsageError(`--accesses must be a whole number from 1 to ${limit}, got "${value}": ${why}`);
}

/** Reads --readahead as a size ("128KiB", "0") and returns whole pages; a UsageError if it is not a multiple of a page. */
function readaheadPages(value: string | undefined, maxPages: number): number | undefined {
  const bytes = sizeOption(value, "readahead");
  if (bytes === undefined) return undefined;
  if (bytes % PAGE_SIZE !== 0 || bytes / PAGE_SIZE > maxPages) {
    throw new UsageError(`--readahead must be a multiple of 4 KiB from 0 to ${formatBytes(maxPages * PAGE_SIZE)}, got "${value}"`);
  }
  return bytes / PAGE_SIZE;
}

/** Reads --trace: page numbers separated by commas ("0,1,2,0,3"), each a whole number below the file limit. */
function traceOption(value: string, maxPage: number): number[] {
  const pages = value.split(",").map((text) => text.trim());
  if (pages.length > MAX_LOGGED_ACCESSES) throw new UsageError(`--trace holds at most ${MAX_LOGGED_ACCESSES} pages, got ${pages.length}`);
  return pages.map((text) => {
    if (!/^\d+$/.test(text) || Number(text) > maxPage) {
      throw new UsageError(`--trace must list page numbers from 0 to ${maxPage} separated by commas, like 0,1,2,0,3; got "${text || value}"`);
    }
    return Number(text);
  });
}

/** The exercise's lines: the question per access, or with the answers (OSTEP's -c). */
function exerciseLines(policy: PolicyName, capacity: number, rows: ExerciseRow[], compute: boolean): string[] {
  const head = `${policy}, a cache of ${capacity} page${capacity === 1 ? "" : "s"}, demand paging (no readahead), ${rows.length} accesses`;
  if (!compute) {
    return [head, ...rows.map((r) => `access ${String(r.access).padStart(3)}: page ${r.page}   hit or miss? evicted? cache after?`),
      "work it out, then add --compute to check"];
  }
  const width = Math.max(...rows.map((r) => String(r.page).length));
  return [
    `${head}; cache listed ${EXERCISE_ORDER[policy]}`,
    ...rows.map((r) =>
      `access ${String(r.access).padStart(3)}: page ${String(r.page).padStart(width)}  ${r.hit ? "hit " : "miss"}  ` +
      `evicted ${r.evicted === null ? "-".padStart(width) : String(r.evicted).padStart(width)}  ` +
      `cache [${r.cache.join(", ")}]  hits ${r.hits}, misses ${r.misses}`),
    `hit ratio ${rows.length ? ((100 * rows[rows.length - 1].hits) / rows.length).toFixed(1) : "0.0"}%`,
  ];
}

/** A ratio as a percentage with three decimals. */
const percent = (part: number, whole: number) => `${((100 * part) / whole).toFixed(3)}%`;

export const command: Command = {
  name: "cache",
  summary: "simulate the page cache: hits, misses, evictions, readahead and disk requests of a policy (theory)",
  usage:
    `workbook cache --policy <${POLICIES.join("|")}> --pattern <${GENERATED.join("|")}> --accesses <n> --capacity <pages> ` +
    `[--file-pages <n>] [--seed <n>] [--stride <pages>] [--readahead <size>] [--disk <${DISK_NAMES.join("|")}>] [--json]\n` +
    `       workbook cache --policy <${POLICIES.join("|")}> --capacity <pages> --trace <page,page,...> [--compute] [--json]`,
  async run(argv, io) {
    const { values } = parseOptions(argv, {
      policy: { type: "string" },
      pattern: { type: "string" },
      accesses: { type: "string" },
      capacity: { type: "string" },
      "file-pages": { type: "string" },
      seed: { type: "string" },
      stride: { type: "string" },
      readahead: { type: "string" },
      disk: { type: "string" },
      trace: { type: "string" },
      compute: { type: "boolean" },
      json: { type: "boolean" },
    });
    const limits = kernelLimits();
    if (values.trace !== undefined) {
      const others = ["pattern", "accesses", "file-pages", "seed", "stride", "readahead", "disk"].filter((flag) => values[flag as keyof typeof values] !== undefined);
      if (others.length) throw new UsageError(`--trace is the exercise mode (demand paging over the listed pages): leave out --${others.join(", --")}`);
      const policy = choiceOption(values.policy, "policy", POLICIES) ?? "lru";
      const capacity = integerOption(values.capacity, "capacity", 1, limits.capacity);
      if (capacity === undefined) throw new UsageError("--capacity is required (cache size in 4 KiB pages), e.g. --capacity 3");
      const rows = pagingExercise(policy, capacity, traceOption(values.trace, limits.filePages - 1));
      if (values.json) {
        io.out(JSON.stringify(values.compute ? rows : rows.map((r) => ({ access: r.access, page: r.page })), null, 2));
      } else {
        for (const line of exerciseLines(policy, capacity, rows, Boolean(values.compute))) io.out(line);
      }
      return 0;
    }
    if (values.compute) throw new UsageError("--compute goes with --trace (the exercise mode): it prints the answers");
    const policy = choiceOption(values.policy, "policy", POLICIES) ?? "lru";
    const pattern = choiceOption(values.pattern, "pattern", GENERATED) ?? "sequential";
    const disk = choiceOption(values.disk, "disk", DISK_NAMES);
    const accesses = accessesOption(values.accesses, disk !== undefined, policy === "opt" ? limits.bufferedAccesses : CLI_MAX_ACCESSES);
    const capacity = integerOption(values.capacity, "capacity", 1, limits.capacity);
    if (accesses === undefined) throw new UsageError("--accesses is required (how many page accesses to simulate)");
    if (capacity === undefined) throw new UsageError("--capacity is required (cache size in 4 KiB pages)");
    const readaheadMax = readaheadPages(values.readahead, limits.readahead);
    if (policy === "opt" && readaheadMax) throw new UsageError("--readahead must be 0 with --policy opt (Belady's OPT is defined for demand paging)");
    const options = {
      policy,
      pattern,
      accesses,
      capacity,
      filePages: integerOption(values["file-pages"], "file-pages", 1, limits.filePages),
      seed: integerOption(values.seed, "seed", 0, 2 ** 32 - 1),
      stride: integerOption(values.stride, "stride", 1, limits.filePages),
      readaheadMax,
    };
    const r = disk ? simulateColdRead({ ...options, disk }) : simulateCache(options);
    if (values.json) {
      io.out(JSON.stringify(r, null, 2));
      return 0;
    }
    const ra = r.readaheadMax > 0 ? `readahead ${r.readaheadInit} to ${r.readaheadMax} pages` : "no readahead";
    io.out(`${r.policy}, ${r.pattern}: ${r.accesses} accesses over a ${r.filePages}-page file (${formatBytes(r.filePages * PAGE_SIZE)}), ` +
      `cache of ${r.capacity} pages (${formatBytes(r.capacity * PAGE_SIZE)}), ${ra}`);
    io.out(`  hits            ${r.hits}  (${percent(r.hits, r.accesses)})`);
    io.out(`  misses          ${r.misses}  (${percent(r.misses, r.accesses)})`);
    io.out(`  evictions       ${r.evictions}`);
    io.out(`  read ahead      ${r.readaheadPages} pages: ${r.readaheadUsed} used, ${r.readaheadWasted} wasted`);
    io.out(`  disk            ${r.diskRequests} requests, ${r.diskPages} pages (${formatBytes(r.diskPages * PAGE_SIZE)}), ${r.diskSeeks} not contiguous`);
    if ("disk" in r) {
      const timed = r.disk;
      io.out(`  disk time       ${timed.totalSeconds.toPrecision(4)} s on ${timed.disk} (per-request overhead ` +
        `${timed.overheadSeconds.toPrecision(3)} s, seek ${timed.seekSeconds.toPrecision(3)} s, ` +
        `rotation ${timed.rotateSeconds.toPrecision(3)} s, transfer ${timed.transferSeconds.toPrecision(3)} s): ` +
        `${formatBytes(r.bytesPerSecond)}/s as the reader sees it`);
    }
    return 0;
  },
};
