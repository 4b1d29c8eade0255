// Where written bytes show up in the kernel's counters, for the producer experiment (chapter 5):
// the filesystem and block device under a file, the device's completed writes (sysfs), /proc/meminfo's
// Dirty, and the writeback sysctls. Device and Dirty counters are SYSTEM-WIDE: other processes' writes
// in the same window count too, so records and figures label them as such.
import * as fs from "fs";
import * as path from "path";
import type { WritebackSettings } from "./producer-records";

/** A block device whose write counter we read. */
export interface WriteDevice {
  /** Kernel name, e.g. "vda" or "nvme0n1p2". */
  name: string;
  /** Its stat file under /sys (Documentation/block/stat.rst). */
  statFile: string;
}

/** The filesystem type holding `file`, from /proc/mounts (longest mount point that prefixes its real path). */
export function filesystemTypeOf(file: string): string {
  try {
    const real = fs.realpathSync(file);
    let best = { mount: "", type: "unknown" };
    for (const line of fs.readFileSync("/proc/mounts", "utf8").split("\n")) {
      const [, mount, type] = line.split(" ");
      const prefix = mount?.endsWith("/") ? mount : `${mount}/`;
      if (mount && (real === mount || real.startsWith(prefix)) && mount.length > best.mount.length) best = { mount, type };
    }
    return best.type;
  } catch {
    return "unknown";
  }
}

/** Filesystems whose pages never go to a disk: write_bytes stays 0 and fsync is a no-op there. */
export const MEMORY_FILESYSTEMS = ["tmpfs", "ramfs"] as const;

/** The block device holding `file`, or null where there is none (tmpfs, overlay and other anonymous devices). */
export function writeDeviceOf(file: string): WriteDevice | null {
  const dev = fs.statSync(file, { bigint: true }).dev;
  // glibc's gnu_dev_major/minor: major = bits 8-19 and 32-43, minor = bits 0-7 and 20-31.
  const major = Number(((dev >> 8n) & 0xfffn) | ((dev >> 32n) & ~0xfffn));
  const minor = Number((dev & 0xffn) | ((dev >> 12n) & ~0xffn));
  if (major === 0) return null; // anonymous device number: no block device behind the filesystem
  try {
    const dir = fs.realpathSync(`/sys/dev/block/${major}:${minor}`);
    const statFile = path.join(dir, "stat");
    return fs.existsSync(statFile) ? { name: path.basename(dir), statFile } : null;
  } catch {
    return null;
  }
}

/** Bytes the device has written since boot; the sink samples it around the receive and the later fsync. */
export function deviceWriteBytes(device: WriteDevice): number {
  // Documentation/block/stat.rst: field 7 is "write sectors", always in 512-byte units.
  const fields = fs.readFileSync(device.statFile, "utf8").trim().split(/\s+/).map(Number);
  return fields[6] * 512;
}

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
