// The block device under a file, seen through sysfs: its readahead setting and its request counters.
// /proc/self/io tells how many bytes this process caused to be read; only the device's own counters tell
// in how many requests they travelled, which is what readahead changes. Those counters are device-wide:
// other processes' I/O in the same window is counted too, so callers label them as such.
import * as fs from "fs";
import * as path from "path";

/** A block device found under /sys/dev/block, with the settings chapter 3 prints. */
export interface BlockDevice {
  /** Kernel name, e.g. "vda" or "nvme0n1p2". */
  name: string;
  /** "major:minor" of the device holding the file. */
  id: string;
  /** /sys/block/<disk>/queue/read_ahead_kb: the largest readahead window, KiB (null if unreadable). */
  readAheadKiB: number | null;
  /** queue/rotational: what the kernel believes (virtio disks report 1 by default, with or without a seek penalty). */
  rotational: boolean | null;
  /** queue/max_sectors_kb: the largest request the block layer sends to the device, KiB. */
  maxRequestKiB: number | null;
  /** The stat file the counters come from. */
  statFile: string;
}

/** Read-side counters of a device, from its stat file (sectors are always 512 bytes there). */
export interface DeviceReads {
  /** Read requests completed ("read I/Os"). */
  requests: number;
  /** Bytes read (read sectors x 512). */
  bytes: number;
}

/**
 * Linux dev_t -> major/minor, as glibc's gnu_dev_major/minor split it:
 * major = bits 8-19 and 32-43, minor = bits 0-7 and 20-31.
 */
export function splitDevice(dev: bigint): { major: number; minor: number } {
  const major = Number(((dev >> 8n) & 0xfffn) | ((dev >> 32n) & ~0xfffn));
  const minor = Number((dev & 0xffn) | ((dev >> 12n) & ~0xffn));
  return { major, minor };
}

/** Reads a sysfs number, or null when the file is missing or not a number. */
function readNumber(file: string): number | null {
  try {
    const value = Number(fs.readFileSync(file, "utf8").trim());
    return Number.isFinite(value) ? value : null;
  } catch {
    return null;
  }
}

/** The block device holding `file`, or null on filesystems without one (tmpfs, overlay, btrfs subvolumes). */
export function blockDeviceOf(file: string): BlockDevice | null {
  const { major, minor } = splitDevice(fs.statSync(file, { bigint: true }).dev);
  if (major === 0) return null; // anonymous device numbers: no block device behind the filesystem
  const id = `${major}:${minor}`;
  let dir: string;
  try {
    dir = fs.realpathSync(`/sys/dev/block/${id}`);
  } catch {
    return null;
  }
  // A partition has its own stat file; the queue settings live in its parent disk's directory.
  const queueDir = fs.existsSync(path.join(dir, "queue")) ? path.join(dir, "queue") : path.join(path.dirname(dir), "queue");
  const rotational = readNumber(path.join(queueDir, "rotational"));
  return {
    name: path.basename(dir),
    id,
    readAheadKiB: readNumber(path.join(queueDir, "read_ahead_kb")),
    rotational: rotational === null ? null : rotational === 1,
    maxRequestKiB: readNumber(path.join(queueDir, "max_sectors_kb")),
    statFile: path.join(dir, "stat"),
  };
}

/** The device's read counters now; the cache-reads experiment samples them around each measured pass. */
export function deviceReads(device: BlockDevice): DeviceReads {
  // Documentation/block/stat.rst: field 1 "read I/Os" (requests), field 3 "read sectors" (512-byte units).
  const fields = fs.readFileSync(device.statFile, "utf8").trim().split(/\s+/).map(Number);
  return { requests: fields[0], bytes: fields[2] * 512 };
}

/** Bytes the device has written since boot; the producer's sink samples it around the receive and the later fsync. */
export function deviceWriteBytes(device: BlockDevice): number {
  // Documentation/block/stat.rst: field 7 is "write sectors", always in 512-byte units.
  const fields = fs.readFileSync(device.statFile, "utf8").trim().split(/\s+/).map(Number);
  return fields[6] * 512;
}

/** after - before. */
export function deviceReadsDelta(before: DeviceReads, after: DeviceReads): DeviceReads {
  return { requests: after.requests - before.requests, bytes: after.bytes - before.bytes };
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
