// Byte sizes as people write them ("64MiB", "1GiB", "4096") and as the workbook prints them. The only place
// the binary units are defined: everything else imports KiB, MiB and GiB from here.

export const KiB = 2 ** 10;
export const MiB = 2 ** 20;
export const GiB = 2 ** 30;

const UNITS: Record<string, number> = {
  "": 1, b: 1,
  k: 1e3, kb: 1e3, m: 1e6, mb: 1e6, g: 1e9, gb: 1e9, t: 1e12, tb: 1e12, p: 1e15, pb: 1e15,
  kib: KiB, mib: MiB, gib: GiB, tib: 2 ** 40, pib: 2 ** 50,
};

/** Parses "4096", "64MiB", "1.5GiB" or "7MB" into a whole number of bytes; called by the CLI and notebooks.
 *  It reads every unit formatBytes() writes (up to PiB), so a limit an error message states can be typed back. */
export function parseSize(text: string, name = "size"): number {
  if (/^\s*-/.test(String(text))) throw new RangeError(`${name} must not be negative, got "${text}"`);
  const match = /^\s*(\d+(?:\.\d+)?)\s*([a-zA-Z]*)\s*$/.exec(String(text));
  const unit = match ? UNITS[match[2].toLowerCase()] : undefined;
  if (!match || unit === undefined) {
    throw new RangeError(`${name}: "${text}" is not a size; write bytes (4096) or a number with KiB/MiB/GiB/TiB/PiB or KB/MB/GB/TB/PB`);
  }
  const bytes = Number(match[1]) * unit;
  if (!Number.isSafeInteger(bytes)) {
    throw new RangeError(`${name}: "${text}" is not a whole number of bytes below 2^53`);
  }
  return bytes;
}

/** Formats bytes with a binary unit ("64 MiB", "1.5 GiB"); used in tables, labels and errors. */
export function formatBytes(bytes: number): string {
  const units = ["B", "KiB", "MiB", "GiB", "TiB", "PiB"];
  let value = bytes;
  let unit = 0;
  while (Math.abs(value) >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  const digits = unit === 0 || Number.isInteger(value) ? 0 : value < 10 ? 2 : 1;
  return `${value.toFixed(digits)} ${units[unit]}`;
}
