// How this kernel charges CPU time, read from its build configuration (/proc/config.gz, or
// /boot/config-<release>): it decides whose rusage a softirq lands in. With CONFIG_IRQ_TIME_ACCOUNTING unset,
// softirq time counts as the time of whichever task was running when it ran (or as no process's when the CPU
// was idle); with it set, the kernel keeps it apart. CONFIG_HZ is how often the tick samples what a CPU does.
import * as fs from "fs";
import * as os from "os";
import * as zlib from "zlib";

/** The accounting options that matter for who is charged a softirq; undefined fields were not found. */
export interface CpuAccounting {
  /** Where the configuration was read, or undefined when the kernel exposes none. */
  source?: string;
  /** CONFIG_IRQ_TIME_ACCOUNTING=y: irq and softirq time are kept out of the running task's time. */
  irqTimeAccounting?: boolean;
  /** CONFIG_HZ: ticks per second. */
  hz?: number;
}

/** Reads the options from the text of a kernel configuration; exported for tests. */
export function parseCpuAccounting(config: string, source?: string): CpuAccounting {
  const hz = /^CONFIG_HZ=(\d+)$/m.exec(config)?.[1];
  return {
    source,
    irqTimeAccounting: /^CONFIG_IRQ_TIME_ACCOUNTING=y$/m.test(config),
    hz: hz === undefined ? undefined : Number(hz),
  };
}

/** This kernel's accounting options, from /proc/config.gz or /boot/config-<release>; {} when neither exists. */
export function readCpuAccounting(): CpuAccounting {
  const candidates: Array<[string, () => string]> = [
    ["/proc/config.gz", () => zlib.gunzipSync(fs.readFileSync("/proc/config.gz")).toString("utf8")],
    [`/boot/config-${os.release()}`, () => fs.readFileSync(`/boot/config-${os.release()}`, "utf8")],
  ];
  for (const [source, read] of candidates) {
    try {
      return parseCpuAccounting(read(), source);
    } catch {
      // not exposed here; try the next place
    }
  }
  return {};
}

/** One sentence for a reader: how this kernel charges softirq time. */
export function describeCpuAccounting(a: CpuAccounting): string {
  if (a.source === undefined) return "this kernel does not expose its configuration (no /proc/config.gz or /boot/config-*): its softirq accounting is unknown";
  const tick = a.hz ? `, tick ${a.hz} Hz` : "";
  return a.irqTimeAccounting
    ? `this kernel keeps irq and softirq time apart (CONFIG_IRQ_TIME_ACCOUNTING=y${tick}, from ${a.source}): a softirq is not charged to the task it interrupts`
    : `this kernel does not keep softirq time apart (CONFIG_IRQ_TIME_ACCOUNTING unset${tick}, from ${a.source}): a softirq is charged to whichever task was running, and to no process on an idle CPU`;
}
