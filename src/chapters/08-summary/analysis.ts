// Chapter 8's input and its written verdict: every claim the earlier chapters checked, numbered ("2.6" = chapter 2's
// sixth claim), and the sentences that answer "why is Kafka fast?" on this machine, each resting on claims found by
// what they say. The notebook reads the verdicts the chapters' notebooks saved; the report hands over its own run's.
import * as fs from "fs";
import * as path from "path";
import type { ClaimResult, Verdict } from "../../claims/claims";
import { readSavedVerdicts } from "../../claims/claims-store";
import { repoRoot } from "../../repo-root";
import { IBM_TABLE_1, ibmSaving } from "../../reference/ibm-zero-copy";
import { POST_CLAIMED_SAVING } from "../../reference/bytebytego-post";

/** A claim with its number in the summary: the chapter's number and the claim's place in its list. */
export interface NumberedClaim extends ClaimResult {
  /** "2.6": chapter 2's sixth claim; "2b.1" for chapter 2b. */
  id: string;
}

/** Chapter 8's result record. */
export interface ClaimsSummary {
  claims: NumberedClaim[];
  /** The notes each chapter printed beside its claims, by chapter. */
  notes: { chapter: string; text: string }[];
  /** How many chapters should have reported claims. */
  expectedChapters: number;
  /** Where the claims came from: "the chapters' saved verdicts" or "this run". */
  source: string;
}

/** The chapter's number as its title leads with it: "2b. A shaped link" -> "2b". */
export function chapterNumber(chapter: string): string {
  return /^(\d+[a-z]?)\./.exec(chapter)?.[1] ?? chapter;
}

/** Numbers the claims chapter by chapter, in the order each chapter checked them. */
export function numberClaims(claims: ClaimResult[]): NumberedClaim[] {
  const seen = new Map<string, number>();
  return claims.map((c) => {
    const n = (seen.get(c.chapter) ?? 0) + 1;
    seen.set(c.chapter, n);
    return { ...c, id: `${chapterNumber(c.chapter)}.${n}` };
  });
}

/** The chapters' notebooks: every numbered notebook but this one. */
function chapterNotebooks(): string[] {
  return fs.readdirSync(path.join(repoRoot, "notebooks")).filter((name) => /^\d\d.*\.ipynb$/.test(name) && !name.startsWith("08-"));
}

/** Every saved verdict but this chapter's, as one summary. */
function summaryOf(verdicts: Verdict[], expectedChapters: number, source: string): ClaimsSummary {
  const others = verdicts.filter((v) => !v.chapter.startsWith("8."));
  return {
    claims: numberClaims(others.flatMap((v) => v.claims)),
    notes: others.flatMap((v) => v.notes.map((text) => ({ chapter: v.chapter, text }))),
    expectedChapters,
    source,
  };
}

/** The claims the chapters' notebooks saved (in `dir`), beside how many chapters there are. Names no local path. */
export function savedClaimsSummary(dir: string, read: (dir: string) => Verdict[] = readSavedVerdicts): ClaimsSummary {
  return summaryOf(read(dir), chapterNotebooks().length, "the chapters' saved verdicts");
}

/** The claims of the chapters one `workbook run` ran. */
export function runClaimsSummary(verdicts: Verdict[], expectedChapters: number): ClaimsSummary {
  return summaryOf(verdicts, expectedChapters, "this run");
}

/** What a sentence of the verdict rests on: a claim found by its chapter and what it says, or a figure by name. */
export interface Support {
  chapter: string;
  /** Matches the claim's words; the first claim of that chapter that matches is the one. */
  claim?: RegExp;
  /** Matches a note's words instead (an observation the chapter printed but did not assert). */
  note?: RegExp;
  /** The figure the sentence points at, by its title's words. */
  figure?: string;
}

/** One sentence of the written verdict, with the claims and notes it rests on as this run found them. */
export interface VerdictSentence {
  topic: "page cache" | "batching" | "sendfile" | "65%";
  text: string;
  figures: { chapter: string; title: string }[];
  claims: NumberedClaim[];
  notes: string[];
  /** The supports that this run did not report (a chapter not run, a claim renamed). */
  missing: string[];
}

/** Finds a sentence's claims and notes in a summary. */
function resting(summary: ClaimsSummary, supports: Support[]) {
  const claims: NumberedClaim[] = [];
  const notes: string[] = [];
  const missing: string[] = [];
  const figures: { chapter: string; title: string }[] = [];
  for (const s of supports) {
    const inChapter = (chapter: string) => chapterNumber(chapter) === s.chapter;
    if (s.claim) {
      const found = summary.claims.find((c) => inChapter(c.chapter) && s.claim!.test(c.claim));
      if (found) claims.push(found);
      else missing.push(`chapter ${s.chapter}: a claim matching ${s.claim}`);
    }
    if (s.note) {
      const found = summary.notes.find((n) => inChapter(n.chapter) && s.note!.test(n.text));
      if (found) notes.push(found.text);
      else missing.push(`chapter ${s.chapter}: a note matching ${s.note}`);
    }
    if (s.figure) figures.push({ chapter: s.chapter, title: s.figure });
  }
  return { claims, notes, missing, figures };
}

/** The IBM article's Table 1, recomputed: each row's saving, their range and mean. */
export function ibmSavingsSummary(): { min: number; max: number; mean: number; rows: number } {
  const savings = IBM_TABLE_1.map(ibmSaving);
  return { min: Math.min(...savings), max: Math.max(...savings), mean: savings.reduce((a, b) => a + b, 0) / savings.length, rows: savings.length };
}

/**
 * The written verdict: what makes Kafka fast on this machine and why, and what "about 65%" means, one sentence at a
 * time. Each sentence's numbers are the evidence of the claims it rests on, so they are this run's.
 */
export function writtenVerdict(summary: ClaimsSummary): VerdictSentence[] {
  const pct = (x: number) => `${(100 * x).toFixed(1)}%`;
  const ibm = ibmSavingsSummary();
  const sentence = (topic: VerdictSentence["topic"], text: string, supports: Support[]): VerdictSentence => ({ topic, text, ...resting(summary, supports) });
  return [
    sentence("page cache", "The page cache does most of the work. A file read once is in memory, and reading it again costs no disk I/O at all", [
      { chapter: "3", claim: /warm read fetches nothing from storage/, figure: "Cold vs warm read" },
      { chapter: "3", claim: /warm reads are faster than cold reads/ },
    ]),
    sentence("page cache", "Kafka's consumers share that one copy: a log read by several cold consumers comes from the disk about once, and a warm log not at all", [
      { chapter: "6", claim: /copied into the page cache once/, figure: "Disk reads per log byte as consumers are added" },
      { chapter: "6", claim: /warm log is served without disk reads/ },
    ]),
    sentence("page cache", "Writes land in the page cache too: the broker can ack a produce before any byte is on the disk, and the kernel's flusher writes it back later", [
      { chapter: "5", claim: /right after the ack the file is in the page cache/ },
      { chapter: "5", claim: /page-cache acked before the disk had the bytes/, figure: "Where the sink's bytes are over time" },
    ]),
    sentence("page cache", "Sequential I/O is fast here because of readahead, not because this disk pays for seeks: reads in file order beat shuffled reads through the page cache by far more than they do on the device alone", [
      { chapter: "4", claim: /buffered 4 KiB reads in order beat buffered random/, figure: "This machine: sequential vs random" },
      { chapter: "4", claim: /readahead adds to whatever the device gives/ },
      { chapter: "3", claim: /readahead makes disk requests >= 8x larger/ },
    ]),
    sentence("page cache", "On a spinning disk the same pattern matters for a second reason: every random request pays a seek and a rotation", [
      { chapter: "4", claim: /HDD reads sequentially > 100x faster/ },
      { chapter: "4", claim: /seek and rotation/, figure: "Where one random 4 KiB read's time goes" },
    ]),
    sentence("batching", "Batching turns many small operations into few large ones: a 4 KiB copy loop makes thousands of system calls where sendfile makes one, and on this machine sendfile made far fewer per GiB", [
      { chapter: "1", claim: /4 KiB read\+write needs far more syscalls than sendfile/, figure: "System calls to move" },
      { chapter: "2", claim: /sendfile makes far fewer syscalls than 4 KiB read\+write/ },
    ]),
    sentence("batching", "The same holds for durability: an fsync per write costs far more than leaving the writeback to the flusher, which is what Kafka does by default", [
      { chapter: "5", claim: /fsync-each takes longer than page-cache until the ack/, figure: "Time per flush policy" },
    ]),
    sentence("sendfile", "sendfile's saving is CPU: the sender does not copy into user space and back, so it needs less CPU per GiB than even a C read+write loop, and the broker less CPU per GiB served", [
      { chapter: "2", claim: /sendfile needs less sender CPU per GiB than even the C read\+write loop/, figure: "Sender CPU per GiB" },
      { chapter: "6", claim: /sendfile costs the broker less CPU per GiB than read\+write/, figure: "Broker CPU per GiB served" },
      { chapter: "7", claim: /sendfile sender needs less CPU than the JavaScript read\+write sender/ },
    ]),
    sentence("sendfile", "On loopback that CPU saving reaches the clock only in part: the receiver still copies every byte on the same CPUs", [
      { chapter: "2", note: /against the C loop at the largest size/, figure: "Time to send a file over loopback TCP" },
    ]),
    sentence("65%", `The post's “approximately ${Math.round(POST_CLAIMED_SAVING * 100)}%” matches the IBM article's summary of its Table 1; the table's own ${ibm.rows} rows save ${pct(ibm.min)} to ${pct(ibm.max)}, ${pct(ibm.mean)} on average (recomputed from src/reference/ibm-zero-copy.ts)`, [
      { chapter: "2", claim: /IBM Table 1's own savings span/ },
      { chapter: "2", claim: /their mean is 57%/, figure: "Zero-copy time as a fraction of the traditional copy" },
    ]),
    sentence("65%", "It is a saving against a particular opponent: a Java client copying through a 4 KiB buffer. Here, against a 4 KiB JavaScript loop, sendfile was faster at every size", [
      { chapter: "2", claim: /sendfile is faster than the 4 KiB JavaScript read\+write at every size/ },
      { chapter: "2", note: /verdict on the .*65%/ },
    ]),
    sentence("65%", "Against a well-written C loop the saving shrinks: much of the 4 KiB loop's deficit is the loop, not the copies. So “about 65%” holds when the sender's copies and system calls are the bottleneck, and much less of it shows when the receiver or the network is", [
      { chapter: "2", claim: /much of the JS loop's deficit is JavaScript/ },
    ]),
  ];
}
