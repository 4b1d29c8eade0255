// Link rates as people write them ("1gbit", "2.5gbit", "500mbit", "unshaped") and as the workbook prints them.
// Units are decimal bits per second, as in tc(8) and on network cards: 1gbit = 10^9 bit/s.

/** A link: its rate in bit/s, or null for "unshaped" (a namespace's loopback with no qdisc). */
export type LinkRate = number | null;

/** The word that asks for a namespace without shaping. */
export const UNSHAPED = "unshaped";

const BIT_UNITS: Record<string, number> = { bit: 1, kbit: 1e3, mbit: 1e6, gbit: 1e9, tbit: 1e12 };

/** Slowest and fastest link accepted: 1 kbit/s (tbf works, the run just takes long) to 1 Tbit/s. */
export const MIN_RATE_BPS = 1e3;
export const MAX_RATE_BPS = 1e12;

/** Parses "1gbit", "2.5gbit", "500mbit", "10Gbit/s" into bit/s, or "unshaped" into null; `name` goes into errors. */
export function parseLinkRate(text: string, name = "rate"): LinkRate {
  const written = String(text).trim();
  if (written.toLowerCase() === UNSHAPED) return null;
  // tc reads "bps" as bytes per second while people mean bits: refuse the ambiguous spelling.
  if (/^\d+(?:\.\d+)?\s*[kmgt]?bps$/i.test(written)) {
    throw new RangeError(`${name}: "${text}" is ambiguous (tc reads bps as bytes per second); write bits: ${written.replace(/bps$/i, "bit")}`);
  }
  const match = /^(\d+(?:\.\d+)?)\s*([a-zA-Z]+)(?:\/s)?$/.exec(written);
  const unit = match ? BIT_UNITS[match[2].toLowerCase()] : undefined;
  if (!match || unit === undefined) {
    throw new RangeError(`${name}: "${text}" is not a link rate; write 500mbit, 1gbit, 2.5gbit, 10gbit or ${UNSHAPED}`);
  }
  const bits = Math.round(Number(match[1]) * unit * 1e6) / 1e6; // 2.3gbit is 2300000000, not 2299999999.9999995
  if (!Number.isInteger(bits)) throw new RangeError(`${name}: "${text}" is not a whole number of bit/s`);
  if (bits < MIN_RATE_BPS || bits > MAX_RATE_BPS) {
    throw new RangeError(`${name}: "${text}" is outside 1kbit to 1tbit; write a rate in that range or ${UNSHAPED}`);
  }
  return bits;
}

/** Parses a comma list ("1gbit,2.5gbit,unshaped"); each item runs once, in the order given. */
export function parseLinkRates(text: string, name = "rates"): LinkRate[] {
  const items = String(text).split(",").map((item) => item.trim());
  if (items.some((item) => item === "")) {
    throw new RangeError(`${name}: "${text}" has an empty item; write rates separated by commas, e.g. 1gbit,2.5gbit,${UNSHAPED}`);
  }
  return items.map((item) => parseLinkRate(item, name));
}

/** Formats a link for tables and labels: "1 Gbit/s", "2.5 Gbit/s", "500 Mbit/s", "unshaped". */
export function formatRate(rate: LinkRate): string {
  if (rate === null) return UNSHAPED;
  const units: Array<[number, string]> = [[1e12, "Tbit/s"], [1e9, "Gbit/s"], [1e6, "Mbit/s"], [1e3, "kbit/s"], [1, "bit/s"]];
  const [scale, unit] = units.find(([s]) => rate >= s) ?? [1, "bit/s"];
  return `${Number((rate / scale).toPrecision(6))} ${unit}`;
}

/** "9.90 Gbit/s": a measured or modelled rate in Gbit/s with `digits` decimals (formatRate is for the rates a link is set to). */
export function formatGbit(bitsPerSecond: number, digits = 2): string {
  return `${(bitsPerSecond / 1e9).toFixed(digits)} Gbit/s`;
}

/** Seconds a link at `rate` bit/s needs for `bytes` of payload: the floor a shaped transfer cannot beat. */
export function linkSeconds(bytes: number, rate: number): number {
  return (bytes * 8) / rate;
}
