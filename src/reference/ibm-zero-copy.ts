// Table 1 of "Efficient data transfer through zero copy" (S. K. Palaniappan, P. B. Nagaraja, IBM
// developerWorks, 2008): a Java client fetching a file over TCP, traditional copy (4 KiB buffer, read + write)
// against FileChannel.transferTo (sendfile on Linux). Times in milliseconds, as printed in the article.
import type { Citation } from "./bytebytego-post";

export const IBM_ARTICLE: Citation = {
  title: "Efficient data transfer through zero copy",
  author: "Sathish K. Palaniappan and Pramod B. Nagaraja (IBM)",
  date: "2008",
  url: "https://developer.ibm.com/articles/j-zerocopy/",
  note: "IBM developerWorks; Kafka's design documentation links it for background on sendfile and zero-copy in Java",
};

/** One row of the article's Table 1. */
export interface IbmRow {
  sizeLabel: string;
  bytes: number;
  traditionalMs: number;
  transferToMs: number;
}

/** The published rows. Sizes are the article's "MB" (10^6 bytes) and "1GB" (10^9 bytes). */
export const IBM_TABLE_1: readonly IbmRow[] = [
  { sizeLabel: "7MB", bytes: 7e6, traditionalMs: 156, transferToMs: 45 },
  { sizeLabel: "21MB", bytes: 21e6, traditionalMs: 337, transferToMs: 128 },
  { sizeLabel: "63MB", bytes: 63e6, traditionalMs: 843, transferToMs: 387 },
  { sizeLabel: "98MB", bytes: 98e6, traditionalMs: 1320, transferToMs: 617 },
  { sizeLabel: "200MB", bytes: 200e6, traditionalMs: 2124, transferToMs: 1150 },
  { sizeLabel: "350MB", bytes: 350e6, traditionalMs: 3631, transferToMs: 1762 },
  { sizeLabel: "700MB", bytes: 700e6, traditionalMs: 13498, transferToMs: 4422 },
  { sizeLabel: "1GB", bytes: 1e9, traditionalMs: 18399, transferToMs: 8537 },
];

/** Fraction of time saved by transferTo in one row: 1 - transferTo / traditional. */
export function ibmSaving(row: IbmRow): number {
  return 1 - row.transferToMs / row.traditionalMs;
}
