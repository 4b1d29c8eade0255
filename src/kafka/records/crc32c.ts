// CRC32C for record batches: the native addon's SSE4.2 loop when it is built (about 10 GiB/s here), else a
// slicing-by-8 table loop in TypeScript (about 0.8 GiB/s: fine for tests, the bottleneck of any
// consumer that checks every batch). Same results either way (test/kafka-records.test.ts checks).
// Test vector (RFC 3720, iSCSI, appendix B.4): crc32c("123456789") = 0xE3069283.
import { nativeStatus, requireNative } from "../../native/addon";

/** The reflected Castagnoli polynomial 0x1EDC6F41. */
const POLY = 0x82f63b78;

let tables: Uint32Array[] | undefined;

/** tables[k][b]: CRC of byte b followed by k zero bytes; built on first use. */
function sliceTables(): Uint32Array[] {
  if (tables) return tables;
  tables = Array.from({ length: 8 }, () => new Uint32Array(256));
  for (let b = 0; b < 256; b++) {
    let c = b;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ POLY : c >>> 1;
    tables[0][b] = c >>> 0;
  }
  for (let b = 0; b < 256; b++) {
    for (let t = 1; t < 8; t++) tables[t][b] = (tables[0][tables[t - 1][b] & 0xff] ^ (tables[t - 1][b] >>> 8)) >>> 0;
  }
  return tables;
}

/** CRC32C in TypeScript; exported so tests can compare it with the native one. */
export function crc32cPortable(bytes: Uint8Array, start = 0, end = bytes.length, previous = 0): number {
  const [t0, t1, t2, t3, t4, t5, t6, t7] = sliceTables();
  let crc = ~previous >>> 0;
  let i = start;
  for (; i + 8 <= end; i += 8) {
    const lo = crc ^ (bytes[i] | (bytes[i + 1] << 8) | (bytes[i + 2] << 16) | (bytes[i + 3] << 24));
    crc = t7[lo & 0xff] ^ t6[(lo >>> 8) & 0xff] ^ t5[(lo >>> 16) & 0xff] ^ t4[lo >>> 24] ^ t3[bytes[i + 4]] ^ t2[bytes[i + 5]] ^ t1[bytes[i + 6]] ^ t0[bytes[i + 7]];
  }
  for (; i < end; i++) crc = t0[(crc ^ bytes[i]) & 0xff] ^ (crc >>> 8);
  return ~crc >>> 0;
}

type Crc = (bytes: Uint8Array, start?: number, end?: number, previous?: number) => number;

let chosen: { crc: Crc; implementation: string } | undefined;

/** Picks the native CRC if the addon loads; remembered for the process. */
function choose(): { crc: Crc; implementation: string } {
  if (!chosen) {
    if (nativeStatus().ok) {
      const addon = requireNative();
      chosen = { crc: addon.crc32c, implementation: `native ${addon.crc32cImplementation()}` };
    } else {
      chosen = { crc: crc32cPortable, implementation: "typescript tables" };
    }
  }
  return chosen;
}

/** CRC32C of bytes[start, end), continuing from `previous`. */
export function crc32c(bytes: Uint8Array, start = 0, end = bytes.length, previous = 0): number {
  return choose().crc(bytes, start, end, previous);
}

/** Which implementation crc32c() uses here ("native sse4.2", "native table" or "typescript tables"). */
export function crc32cImplementation(): string {
  return choose().implementation;
}
