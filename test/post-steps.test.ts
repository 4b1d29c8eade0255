// The model's step tables against ByteByteGo's post, by meaning: every step the post numbers is in the tables of
// the paths that draw it, its moves take the bytes from the post's place to the post's place, and 2.5/3.3 are the
// NIC on the wire. The post's steps in src/reference are checked against ../shared/seed-steps.md, the project's
// notes on the post, which CI keeps beside the clone.
import { describe, it, expect } from "vitest";
import * as fs from "fs";
import * as path from "path";
import { POST_STEPS, POST_CLAIMED_SAVING, POST_DRAWS_SCATTER_GATHER, PostPlace, BYTEBYTEGO_POST } from "../src/reference/bytebytego-post";
import { IBM_TABLE_1, ibmSaving } from "../src/reference/ibm-zero-copy";
import { pathSteps, Step } from "../src/model/transfer-model";
import { PATHS, PathName } from "../src/model/vocabulary";

/** This test's own reading of the post's places in the model's vocabulary. */
const MODEL_PLACE: Record<PostPlace, string> = {
  producer: "network",
  "Kafka application": "user buffer",
  "OS cache": "page cache",
  disk: "disk",
  "socket buffer": "socket buffer",
  "network card": "NIC",
  consumer: "network",
};

/** The paths that draw each part of the post's diagram. */
const PART_PATHS: Record<number, PathName[]> = { 1: ["recv-write", "recv-write-fsync"], 2: ["read-write"], 3: ["sendfile", "sendfile-sg"] };

const allSteps = (p: PathName): Step[] => [...pathSteps(p).setup, ...pathSteps(p).perChunk];
const movesOf = (p: PathName, label: string) => allSteps(p).filter((s) => s.seedStep === label && (s.kind === "copy" || s.kind === "wire"));
const brief = (s: Step) => `${s.actor} ${s.from} > ${s.to} in ${s.call}`;

describe("the model's step tables, read against the post", () => {
  for (const post of POST_STEPS) {
    for (const p of PART_PATHS[post.part]) {
      it(`${post.label} in ${p}: the moves go from the post's ${post.from} to its ${post.to}, one after the other`, () => {
        const moves = movesOf(p, post.label);
        expect(moves.length, `${p} carries ${post.label}`).toBeGreaterThan(0);
        expect(moves[0].from).toBe(MODEL_PLACE[post.from]);
        for (let i = 1; i < moves.length; i++) expect(moves[i].from, `${post.label} move ${i + 1}`).toBe(moves[i - 1].to);
        expect(moves[moves.length - 1].to).toBe(MODEL_PLACE[post.to]);
      });
    }
  }

  it("2.5 and 3.3 are the network card sending to the consumer, outside any system call, not a syscall returning", () => {
    for (const [label, paths] of [["2.5", ["read-write"]], ["3.3", ["sendfile", "sendfile-sg"]]] as const) {
      for (const p of paths) {
        const steps = allSteps(p).filter((s) => s.seedStep === label);
        expect(steps.map(brief), `${label} in ${p}`).toEqual(["nic NIC > network in nic"]);
        expect(steps[0].kind).toBe("wire");
      }
    }
  });

  it("3.2 is page cache -> NIC via sendfile: straight by DMA with a NIC that gathers, by a CPU copy then DMA without", () => {
    expect(movesOf("sendfile-sg", "3.2").map(brief)).toEqual(["dma page cache > NIC in sendfile"]);
    expect(allSteps("sendfile-sg").find((s) => s.seedStep === "3.2" && s.kind === "descriptor")).toMatchObject({ from: "page cache", to: "socket buffer", actor: "syscall" });
    expect(movesOf("sendfile", "3.2").map(brief)).toEqual(["cpu page cache > socket buffer in sendfile", "dma socket buffer > NIC in sendfile"]);
    expect(POST_DRAWS_SCATTER_GATHER).toBe(true);
  });

  it("2.1-2.4 are IBM's four copies in order: DMA from disk, CPU to the application, CPU to the socket, DMA to the NIC", () => {
    expect(["2.1", "2.2", "2.3", "2.4"].map((l) => movesOf("read-write", l).map(brief))).toEqual([
      ["dma disk > page cache in read"],
      ["cpu page cache > user buffer in read"],
      ["cpu user buffer > socket buffer in write"],
      ["dma socket buffer > NIC in write"],
    ]);
  });

  it("1.1 ends with recv() copying into the application, 1.2 is write() into the page cache, 1.3 the writeback later or in fsync", () => {
    for (const p of ["recv-write", "recv-write-fsync"] as const) {
      const first = movesOf(p, "1.1");
      expect(first[0]).toMatchObject({ kind: "wire", actor: "nic", from: "network", to: "NIC" });
      expect(brief(first[first.length - 1])).toBe("cpu socket buffer > user buffer in recv");
      expect(movesOf(p, "1.2").map(brief)).toEqual(["cpu user buffer > page cache in write"]);
    }
    expect(movesOf("recv-write", "1.3").map(brief)).toEqual(["dma page cache > disk in writeback"]);
    expect(movesOf("recv-write-fsync", "1.3").map(brief)).toEqual(["dma page cache > disk in fsync"]);
  });

  it("numbers no mode switch (they are the IBM article's), and numbers only paths the post draws, in the post's order", () => {
    const order = POST_STEPS.map((s) => s.label);
    const drawn = new Set(Object.values(PART_PATHS).flat());
    for (const p of PATHS) {
      const labels = allSteps(p).map((s) => s.seedStep).filter((l) => l);
      if (!drawn.has(p)) expect(labels, `${p} is not in the post`).toEqual([]);
      for (const s of allSteps(p)) if (s.kind === "to-kernel" || s.kind === "to-user") expect(s.seedStep, `${p} ${s.kind} ${s.call}`).toBe("");
      const ranks = labels.map((l) => order.indexOf(l));
      expect(ranks.every((r) => r >= 0)).toBe(true);
      expect(ranks, `${p} walks the post's steps in order`).toEqual([...ranks].sort((a, b) => a - b));
    }
  });
});

describe("the post's steps in src/reference, against ../shared/seed-steps.md", () => {
  const file = path.resolve(__dirname, "..", "..", "shared", "seed-steps.md");
  const text = fs.existsSync(file) ? fs.readFileSync(file, "utf8") : "";
  /** The table rows of the notes: "| 2.1 | the data is loaded ... |" -> ["2.1", "the data ..."]. */
  const rows = [...text.matchAll(/^\|\s*(\d\.\d(?:-\d\.\d)?|\d)\s*\|\s*(.+?)\s*\|\s*$/gm)].map((m) => [m[1], m[2]] as const);
  /** The words the notes use for each of the post's places. */
  const WORDS: Record<PostPlace, RegExp> = {
    producer: /producer/i, "Kafka application": /application/i, "OS cache": /OS cache/i, disk: /disk/i,
    "socket buffer": /socket buffer/i, "network card": /network card/i, consumer: /consumer/i,
  };

  it("the notes are there, beside the clone", () => {
    expect(text, `${file} is missing: CI puts the project's shared notes beside the clone`).toContain("The post the workbook answers");
    expect(text).toContain(BYTEBYTEGO_POST.title.replace("?", ""));
  });

  it("number the same steps", () => {
    const labels = rows.flatMap(([label]) => (label === "1.1-1.3" ? ["1.1", "1.2", "1.3"] : /\./.test(label) ? [label] : []));
    expect(labels).toEqual(POST_STEPS.map((s) => s.label));
  });

  it("say the same thing for each step: the notes' words name the reference's places", () => {
    for (const step of POST_STEPS) {
      const row = rows.find(([label]) => label === step.label || (label === "1.1-1.3" && step.part === 1));
      expect(row, step.label).toBeDefined();
      const words = row![1];
      if (step.part === 1) {
        // One line for 1.1-1.3: the producer writes to the disk, through the broker.
        expect(words).toMatch(WORDS.producer);
        expect(words).toMatch(WORDS.disk);
        expect(words).toMatch(/broker/);
      } else {
        expect(words, `${step.label} from ${step.from}`).toMatch(WORDS[step.from]);
        expect(words, `${step.label} to ${step.to}`).toMatch(WORDS[step.to]);
      }
    }
  });

  it("agree on the claim and on the IBM table's own range and mean", () => {
    expect(text).toContain(`approximately ${Math.round(POST_CLAIMED_SAVING * 100)}%`);
    const savings = IBM_TABLE_1.map(ibmSaving);
    const pct = (x: number) => (x * 100).toFixed(1);
    expect(text).toContain(`${pct(Math.min(...savings))}-${pct(Math.max(...savings))}% saved, mean ${pct(savings.reduce((a, b) => a + b, 0) / savings.length)}%`);
  });
});
