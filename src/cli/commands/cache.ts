// `workbook cache`: the page-cache simulator (theory): hits, misses, evictions, readahead and disk requests
// of one policy on one access pattern, optionally timed on a modelled disk.
import { Command, UsageError } from "../command";
import { parseOptions, sizeOption, choiceOption, integerOption } from "../options";
import { simulateCache } from "../../model/page-cache";
import { simulateColdRead } from "../../model/cold-read";
import { MAX_CAPACITY, MAX_ACCESSES, MAX_BUFFERED_ACCESSES, MAX_FILE_PAGES, MAX_READAHEAD } from "../../model/page-cache-input";
import { DISK_NAMES } from "../../model/disk";
import { POLICIES, PATTERNS } from "../../model/vocabulary";
import { PAGE_SIZE } from "../../reference/linux";
import { formatBytes } from "../../units/sizes";

/** Patterns the command can generate (traces come from notebooks and code, not the command line). */
const GENERATED = PATTERNS.filter((p) => p !== "trace");

/** Reads --readahead as a size ("128KiB", "0") and returns whole pages; a UsageError if it is not a multiple of a page. */
function readaheadPages(value: string | undefined): number | undefined {
  const bytes = sizeOption(value, "readahead");
  if (bytes === undefined) return undefined;
  if (bytes % PAGE_SIZE !== 0 || bytes / PAGE_SIZE > MAX_READAHEAD) {
    throw new UsageError(`--readahead must be a multiple of 4 KiB from 0 to ${formatBytes(MAX_READAHEAD * PAGE_SIZE)}, got "${value}"`);
  }
  return bytes / PAGE_SIZE;
}

/** A ratio as a percentage with three decimals. */
const percent = (part: number, whole: number) => `${((100 * part) / whole).toFixed(3)}%`;

export const command: Command = {
  name: "cache",
  summary: "simulate the page cache: hits, misses, evictions, readahead and disk requests of a policy (theory)",
  usage:
    `workbook cache --policy <${POLICIES.join("|")}> --pattern <${GENERATED.join("|")}> --accesses <n> --capacity <pages> ` +
    `[--file-pages <n>] [--seed <n>] [--stride <pages>] [--readahead <size>] [--disk <${DISK_NAMES.join("|")}>] [--json]`,
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
      json: { type: "boolean" },
    });
    const policy = choiceOption(values.policy, "policy", POLICIES) ?? "lru";
    const pattern = choiceOption(values.pattern, "pattern", GENERATED) ?? "sequential";
    const disk = choiceOption(values.disk, "disk", DISK_NAMES);
    const accesses = integerOption(values.accesses, "accesses", 1, disk || policy === "opt" ? MAX_BUFFERED_ACCESSES : MAX_ACCESSES);
    const capacity = integerOption(values.capacity, "capacity", 1, MAX_CAPACITY);
    if (accesses === undefined) throw new UsageError("--accesses is required (how many page accesses to simulate)");
    if (capacity === undefined) throw new UsageError("--capacity is required (cache size in 4 KiB pages)");
    const readaheadMax = readaheadPages(values.readahead);
    if (policy === "opt" && readaheadMax) throw new UsageError("--readahead must be 0 with --policy opt (Belady's OPT is defined for demand paging)");
    const options = {
      policy,
      pattern,
      accesses,
      capacity,
      filePages: integerOption(values["file-pages"], "file-pages", 1, MAX_FILE_PAGES),
      seed: integerOption(values.seed, "seed", 0, 2 ** 32 - 1),
      stride: integerOption(values.stride, "stride", 1, MAX_FILE_PAGES),
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
