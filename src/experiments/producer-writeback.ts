// Where written bytes show up in the kernel's counters, for the producer experiment (chapter 5):
// /proc/meminfo's Dirty and the writeback sysctls (the device under a file and its write counter are in
// block-device.ts). Device and Dirty counters are SYSTEM-WIDE: other processes' writes
// in the same window count too, so records and figures label them as such.
import * as fs from "fs";
import type { WritebackSettings } from "./producer-records";

/** Filesystems whose pages never go to a disk: write_bytes stays 0 and fsync is a no-op there. */
export const MEMORY_FILESYSTEMS = ["tmpfs", "ramfs"] as const;

/** /proc/meminfo's Dirty ("memory which is waiting to get written back to the disk"), bytes, system-wide. */
export function dirtyBytes(): number {
  const match = /^Dirty:\s+(\d+) kB/m.exec(fs.readFileSync("/proc/meminfo", "utf8"));
  if (!match) throw new Error("/proc/meminfo has no Dirty line");
  return Number(match[1]) * 1024;
}

/** Reads one /proc/sys/vm number, or null; called by writebackSettings(). */
function vmSetting(name: string): number | null {
  try {
    const value = Number(fs.readFileSync(`/proc/sys/vm/${name}`, "utf8").trim());
    return Number.isFinite(value) ? value : null;
  } catch {
    return null;
  }
}

/** The writeback sysctls (Documentation/admin-guide/sysctl/vm.rst); recorded with every producer result. */
export function writebackSettings(): WritebackSettings {
  return {
    dirtyExpireCentisecs: vmSetting("dirty_expire_centisecs"),
    dirtyWritebackCentisecs: vmSetting("dirty_writeback_centisecs"),
    dirtyBackgroundRatio: vmSetting("dirty_background_ratio"),
    dirtyRatio: vmSetting("dirty_ratio"),
    dirtyBackgroundBytes: vmSetting("dirty_background_bytes"),
    dirtyBytes: vmSetting("dirty_bytes"),
  };
}

/**
 * Seconds after which periodic writeback has surely written a page dirtied now: it expires after
 * dirty_expire_centisecs and the flusher looks every dirty_writeback_centisecs; null if periodic writeback is off.
 */
export function flusherDeadlineSeconds(settings: WritebackSettings): number | null {
  const { dirtyExpireCentisecs: expire, dirtyWritebackCentisecs: interval } = settings;
  if (expire === null || interval === null || interval === 0) return null;
  return (expire + interval) / 100;
}
