// Chapter 6's analysis, claims and figures on hand-made records: the fan-out beside the model, the crash and its
// read-back, the fan-out through links with machine-wide CPU; every claim holds on good data and fails when the
// data say so. Expected values are worked out by hand in the comments beside them.
import { describe, it, expect } from "vitest";
import type { FanoutRun, FanoutResult, BrokerSide } from "../src/experiments/broker-fanout-records";
import type { BrokerCrashResult } from "../src/experiments/broker-crash-records";
import type { BrokerLinkResult, BrokerLinkRun } from "../src/experiments/broker-link-fanout-records";
import type { LinkConditions } from "../src/link/namespace";
import { analyzeKafkaBroker, fanoutRows, analyzeLinks, KafkaBrokerStudy } from "../src/chapters/06-a-kafka-broker/analysis";
import { chapterClaims, MODEL_SAVING_FACTOR } from "../src/chapters/06-a-kafka-broker/claims";
import { kafkaBrokerFigures, linkFigures, diskReadsFigure, fanoutTable, linkTable, firstBatchTable, readBackTable, dataFolderTable } from "../src/chapters/06-a-kafka-broker/figures";
import { crashMarkdown, fanoutMarkdown, linkMarkdown } from "../src/chapters/06-a-kafka-broker/prose";
import { markdownHtml } from "../src/plot/markdown";
import { PLANS } from "../src/chapters/06-a-kafka-broker/plan";
import { runClaimsSummary, writtenVerdict } from "../src/chapters/08-summary/analysis";
import { TEXTBOOK_MACHINE, MachineParameters, WORKBOOK_BROKER_SENDING } from "../src/model/cost";
import { YIELD_EVERY_BYTES } from "../src/kafka/broker/response-sender";
import { BROKER_DEFAULTS } from "../src/kafka/broker/broker-config";
import { dumpBatch } from "../src/kafka/records/batch-dump";
import { RecordBatchBuilder } from "../src/kafka/records/batch-builder";
import { GiB, MiB, KiB } from "../src/units/sizes";

/** A machine whose only cost is copying at 1 GiB/s: read+write serving costs 2 s per GiB, sendfile nothing. */
const COPIES_ONLY: MachineParameters = {
  ...TEXTBOOK_MACHINE.parameters,
  copyBytesPerSecond: GiB,
  syscallSeconds: 1e-30,
  jsCallSeconds: 0,
  tcpSendSecondsPerByte: 0,
  tcpSendCallSeconds: 0,
  tcpSendBorrowedSecondsPerByte: 0,
};

const LOG = 64 * MiB;

/** The broker's side of a run serving C x 64 MiB in 8 MiB fetches: sendfile's 2 calls + 1 header write per fetch,
 *  or a pread and a write per 64 KiB + 1 header write per fetch. */
function side(serving: "sendfile" | "read-write", consumers: number, cpuPerGiB: number, diskReads: number): BrokerSide {
  const served = consumers * LOG;
  const fetches = consumers * 8;
  const chunks = served / (64 * KiB);
  return {
    cpuSeconds: (cpuPerGiB * served) / GiB, userSeconds: 0, systemSeconds: (cpuPerGiB * served) / GiB, cpuSecondsPerGiB: cpuPerGiB,
    syscalls: 0, syscallsPerGiB: 0,
    sendfileCalls: serving === "sendfile" ? 2 * fetches : 0,
    writeCalls: fetches + (serving === "read-write" ? chunks : 0),
    fileReads: serving === "read-write" ? chunks : 0,
    writableWaits: 0, diskReadBytes: diskReads * LOG, diskReadsPerLogByte: diskReads, recordBytesSent: served,
  };
}

interface RunSpec {
  scenario?: "catch-up" | "tailing";
  cache?: "cold" | "warm" | "just-written";
  cpu: number;
  disk?: number;
  repeat?: number;
}

function fanoutRun(serving: "sendfile" | "read-write", consumers: number, spec: RunSpec): FanoutRun {
  return {
    scenario: spec.scenario ?? "catch-up", serving, cache: spec.cache ?? "warm", consumers, repeat: spec.repeat ?? 1,
    bytesPerConsumer: LOG, recordsPerConsumer: 65536, fetches: consumers * 8, seconds: 0.1, machineBusyMs: 150, machineStealMs: 0, servedMiBps: (consumers * 64) / 0.1, perConsumerMiBps: 640,
    consumerCpuSeconds: 0.01, consumerCpuSecondsPerGiB: 0.5, residentBefore: spec.cache === "cold" ? 0 : spec.cache === "just-written" ? null : 1,
    broker: side(serving, consumers, spec.cpu, spec.disk ?? (spec.cache === "cold" ? 1 : 0)), rawSender: null, produce: null, verified: true, loadAverage1m: 0.5,
  };
}

/** Cold and warm catch-up at C = 1 and 4, two repeats each, both serving modes; sendfile 0.5, read+write 2.5 s/GiB. */
function fanout(overrides: { coldDisk?: number; sendfileCpu?: number; readWriteCpu?: number } = {}): FanoutResult {
  const runs: FanoutRun[] = [];
  for (const repeat of [1, 2]) {
    for (const c of [1, 4]) {
      for (const cache of ["cold", "warm"] as const) {
        runs.push(fanoutRun("sendfile", c, { cache, cpu: overrides.sendfileCpu ?? 0.5, disk: cache === "cold" ? overrides.coldDisk : undefined, repeat }));
        runs.push(fanoutRun("read-write", c, { cache, cpu: overrides.readWriteCpu ?? 2.5, disk: cache === "cold" ? overrides.coldDisk : undefined, repeat }));
      }
      runs.push(fanoutRun("sendfile", c, { scenario: "tailing", cache: "just-written", cpu: 5, repeat }));
    }
  }
  return { kind: "broker-fanout", conditions: { machine: { cpuCount: 2, loadAverage: [0.5] }, logBytes: LOG, recordBytes: 1024, fetchBytes: 8 * MiB, repeats: 2, loadAverageAtEnd: [0.5], notes: [] } as unknown as FanoutResult["conditions"], runs, summary: [] };
}

/** A real first batch, dumped, so the crash's dump rows are what the broker writes. */
function firstBatchRows() {
  const b = new RecordBatchBuilder(16 * KiB);
  for (let i = 0; i < 3; i++) b.tryAppend({ key: Buffer.from("crash"), value: Buffer.from(`record ${String(i).padStart(9, "0")}`) });
  return dumpBatch(b.build());
}

function crash(overrides: { lost?: number; truncated?: number; kcat?: boolean } = {}): BrokerCrashResult {
  const acknowledged = 5000;
  const reader = (client: "workbook" | "kcat") => ({ client, checks: "", records: 5064, logEndOffset: 5064, acknowledgedFound: acknowledged - (overrides.lost ?? 0), lost: overrides.lost ?? 0, misplaced: 0, sample: ["0 crash record 000000000..."] });
  return {
    kind: "broker-crash",
    conditions: { topic: "crash", recordBytes: 100, batchBytes: 16384, segmentBytes: 262144, acks: -1, killAfterAcknowledged: 5000, tearTail: true, kcatVersion: "Version 1.7.1", notes: [] } as unknown as BrokerCrashResult["conditions"],
    produce: { appended: 6000, acknowledged, unacknowledged: 1000, secondsToKill: 0.1, pendingBytesAtKill: 100_000 },
    afterKill: [{ path: "crash-0/00000000000000000000.log", bytes: 580_000 }],
    tornTail: { file: "crash-0/00000000000000004480.log", bytes: 1170, batchBytes: 2341 },
    recovery: { clean: false, lines: ["unclean shutdown (no .kafka_cleanshutdown): recovered 1 partition(s)"], batchesValidated: 80, bytesValidated: 580_000, truncatedBytes: overrides.truncated ?? 1170, truncatedAt: { file: "crash-0/00000000000000004480.log", position: 73570, reason: "a partial batch" } },
    readBack: overrides.kcat === false ? [reader("workbook")] : [reader("workbook"), reader("kcat")],
    kcatSkipped: overrides.kcat === false ? "kcat is not installed" : null,
    dataFolder: [{ path: "crash-0/00000000000000000000.log", bytes: 257_495 }],
    firstBatch: { file: "crash-0/00000000000000000000.log", rows: firstBatchRows() },
  };
}

/** 62.5 MB to each of 2 consumers = 10^9 bits: 1 s through 1 Gbit/s. */
const PER_CONSUMER = 62_500_000;

interface LinkSpec {
  seconds: number;
  brokerCpu: number;
  busyMs: number;
}

function linkRun(rate: number | null, serving: "sendfile" | "read-write", spec: LinkSpec, repeat: number): BrokerLinkRun {
  const served = 2 * PER_CONSUMER;
  const b = side(serving, 2, spec.brokerCpu, 0);
  return {
    ...fanoutRun(serving, 2, { cpu: spec.brokerCpu, repeat }),
    bytesPerConsumer: PER_CONSUMER, seconds: spec.seconds, servedMiBps: served / MiB / spec.seconds,
    broker: { ...b, cpuSeconds: (spec.brokerCpu * served) / GiB },
    consumerCpuSeconds: 0.02,
    rate, machineBusyMs: spec.busyMs, machineStealMs: 0, backgroundWindowMs: 0, backgroundBeforeBusyMs: 0, backgroundAfterBusyMs: 0,
  };
}

function linkConditions(rate: number | null, drops = 0): LinkConditions {
  return { rateBitsPerSecond: rate, namespace: "workbook-link-test", qdisc: rate ? "tbf" : null, burstBytes: null, latencyMs: null, qdiscStats: rate ? { sentBytes: 0, sentPackets: 0, drops, overlimits: 1 } : null };
}

/** Through 1 Gbit/s both modes take 1 s; unshaped sendfile 0.125 s (8 Gbit/s), read+write 0.2 s (5 Gbit/s). */
function link(overrides: { slowSeconds?: number; fastSeconds?: number; sendfileBusyMs?: number; sendfileBrokerCpu?: number } = {}): BrokerLinkResult {
  const runs: BrokerLinkRun[] = [];
  for (const repeat of [1, 2]) {
    runs.push(linkRun(1e9, "sendfile", { seconds: overrides.slowSeconds ?? 1.0, brokerCpu: overrides.sendfileBrokerCpu ?? 0.3, busyMs: overrides.sendfileBusyMs ?? 100 }, repeat));
    runs.push(linkRun(1e9, "read-write", { seconds: overrides.slowSeconds ?? 1.0, brokerCpu: 0.8, busyMs: 200 }, repeat));
    runs.push(linkRun(null, "sendfile", { seconds: overrides.fastSeconds ?? 0.125, brokerCpu: 0.3, busyMs: 150 }, repeat));
    runs.push(linkRun(null, "read-write", { seconds: 0.2, brokerCpu: 0.8, busyMs: 250 }, repeat));
  }
  return {
    kind: "broker-link-fanout",
    conditions: {
      machine: { cpuCount: 2 } as BrokerLinkResult["conditions"]["machine"], loadAverageAtEnd: [0.5], links: [linkConditions(1e9), linkConditions(null)], servings: ["sendfile", "read-write"],
      consumers: 2, logBytes: PER_CONSUMER, recordBytes: 1024, batchBytes: 65536, fetchBytes: 8 * MiB, segmentBytes: 64 * MiB, producers: 2, repeats: 2, backgroundWindowMs: 0, notes: [],
    },
    runs,
  };
}

function study(parts: Partial<KafkaBrokerStudy> = {}): KafkaBrokerStudy {
  return { crash: crash(), fanout: fanout(), link: link(), linkSkipped: null, model: { parameters: COPIES_ONLY, label: "model, copies only" }, sending: WORKBOOK_BROKER_SENDING, ...parts };
}

/** The claims that failed, by a word of their text. */
function failed(s: KafkaBrokerStudy): string[] {
  return chapterClaims(s).claims.filter((c) => !c.pass).map((c) => c.claim);
}

describe("chapter 6's fan-out beside the model", () => {
  it("groups runs by condition and counts the calls the broker reported per GiB", () => {
    const rows = fanoutRows(study());
    // 2 servings x 2 caches x 2 consumer counts of catch-up, and sendfile's tailing at C = 1 and 4
    expect(rows.length).toBe(10);
    const sf = rows.find((r) => r.scenario === "catch-up" && r.serving === "sendfile" && r.cache === "warm" && r.consumers === 1)!;
    const rw = rows.find((r) => r.scenario === "catch-up" && r.serving === "read-write" && r.cache === "warm" && r.consumers === 1)!;
    expect(sf.n).toBe(2);
    // 8 fetches of 64 MiB: 8 header writes + 16 sendfile calls = 24 per 1/16 GiB = 384 per GiB
    expect(sf.dataSyscallsPerGiB.median).toBeCloseTo(384, 9);
    // 1,024 chunks of 64 KiB: 1,024 preads + 1,024 writes + 8 header writes = 2,056 per 1/16 GiB
    expect(rw.dataSyscallsPerGiB.median).toBeCloseTo(2056 * 16, 9);
    // the broker's CPU over the run: 0.5 s/GiB x 1/16 GiB in 0.1 s
    expect(sf.brokerBusyCores.median).toBeCloseTo(0.3125, 9);
  });

  it("prices the model at the runs' mean fetch: 8 MiB here, so 128 fetches per GiB", () => {
    const rows = fanoutRows(study());
    const sf = rows.find((r) => r.serving === "sendfile" && r.cache === "warm" && r.consumers === 4)!;
    const rw = rows.find((r) => r.serving === "read-write" && r.cache === "warm" && r.consumers === 4)!;
    expect(sf.model.fetchBytes).toBe(8 * MiB);
    // copies only: read+write copies each byte twice at 1 GiB/s, sendfile not at all
    expect(rw.model.cpuSecondsPerGiB).toBeCloseTo(2, 6);
    expect(sf.model.cpuSecondsPerGiB).toBeCloseTo(0, 6);
    // 128 fetches: a header write and two 4 MiB sendfiles each; or a header write and 128 x (pread + write)
    expect(sf.model.dataSyscallsPerGiB).toBe(128 * 3);
    expect(rw.model.dataSyscallsPerGiB).toBe(128 * 257);
  });

  it("the model's default sending is the broker's own: its largest sendfile call and its read+write chunk", () => {
    expect(WORKBOOK_BROKER_SENDING).toEqual({ sendfileCallBytes: YIELD_EVERY_BYTES, chunkBytes: BROKER_DEFAULTS.readWriteChunkBytes });
  });
});

describe("chapter 6 through shaped links", () => {
  it("throughput against the rate, the link filled or not, machine-wide CPU per GiB, crossovers and savings", () => {
    const l = analyzeLinks(study())!;
    expect(l.rates).toEqual([1e9]);
    const slowSf = l.rows.find((r) => r.rate === 1e9 && r.serving === "sendfile")!;
    // 2 x 62.5 MB x 8 bits in 1 s
    expect(slowSf.throughput.median).toBeCloseTo(1e9, 3);
    expect(slowSf.slowdown).toBeCloseTo(1, 9);
    expect(slowSf.filledLink).toBe(true);
    // no background window: net = busy; 2 runs x 100 ms over 2 x 125 MB -> 0.2 s x GiB / 250e6 B
    expect(slowSf.machine.netSecondsPerGiB).toBeCloseTo((0.2 * GiB) / 250e6, 9);
    // one /proc/stat reading per run, off by up to a tick per CPU: sd 20 ms / sqrt(3) each, two runs
    expect(slowSf.machine.uncertaintySecondsPerGiB).toBeCloseTo(((Math.SQRT2 * 20) / Math.sqrt(3) / 1000) * (GiB / 250e6), 9);
    // the model: the lower of the rate and the unshaped ceiling, 10^9 bits in 0.125 s
    expect(slowSf.model.throughput).toBe(1e9);
    const sfCeiling = l.crossovers.find((c) => c.serving === "sendfile")!;
    expect(sfCeiling.model).toBeCloseTo(8e9, 3);
    expect(sfCeiling.lastFilled).toBe(1e9);
    expect(sfCeiling.atLeast).toBeCloseTo(1e9, 3);
    const saving = l.savings.find((s) => s.rate === 1e9)!;
    // read+write 200 ms, sendfile 100 ms a run: 0.2 s more over 250 MB
    expect(saving.machineSecondsPerGiB).toBeCloseTo((0.2 * GiB) / 250e6, 9);
    expect(saving.brokerSecondsPerGiB).toBeCloseTo(0.5, 9);
    // 0.859 s/GiB saved at 1 Gbit/s = 0.125 GB/s = 0.1164 GiB/s -> 0.1 core
    expect(saving.coresAtRate).toBeCloseTo(0.1, 9);
    expect(saving.resolved).toBe(true);
  });

  it("a link that held a serving mode back is marked so, and its crossover is the fastest it went there", () => {
    const l = analyzeLinks(study({ link: link({ slowSeconds: 1.5 }) }))!;
    const sf = l.rows.find((r) => r.rate === 1e9 && r.serving === "sendfile")!;
    expect(sf.filledLink).toBe(false);
    expect(l.crossovers.find((c) => c.serving === "sendfile")).toMatchObject({ firstNotFilled: 1e9 });
    expect(l.crossovers.find((c) => c.serving === "sendfile")!.measured).toBeCloseTo(1e9 / 1.5, 3);
  });
});

describe("chapter 6's claims", () => {
  it("all hold on good data, the model's saving within its factor", () => {
    const v = chapterClaims(study());
    expect(v.claims.filter((c) => !c.pass)).toEqual([]);
    expect(v.claims.length).toBeGreaterThanOrEqual(15);
    // measured saving 2.0 s/GiB, the model's 2.0
    expect(v.claims.find((c) => c.claim.startsWith("what sendfile saves"))!.evidence).toMatch(/measured 2\.000, model 2\.000/);
    expect(MODEL_SAVING_FACTOR).toBeGreaterThan(1);
  });

  it("fail when an acknowledged record is lost, or recovery cut more than the torn tail", () => {
    expect(failed(study({ crash: crash({ lost: 1 }) }))).toEqual([expect.stringContaining("every record acknowledged with acks=-1")]);
    expect(failed(study({ crash: crash({ truncated: 1170 + 7357 }) }))).toEqual([expect.stringContaining("recovery found the torn tail")]);
  });

  it("without kcat, the crash claim names only the workbook's consumer, and a note says why", () => {
    const v = chapterClaims(study({ crash: crash({ kcat: false }) }));
    expect(v.claims[0].claim).toMatch(/by workbook$/);
    expect(v.notes.join(" ")).toMatch(/kcat did not read the log: kcat is not installed/);
  });

  it("fail when every consumer reads the disk, or sendfile is the dearer mode, or the model's saving is off", () => {
    expect(failed(study({ fanout: fanout({ coldDisk: 4 }) }))).toEqual([expect.stringContaining("copied into the page cache once")]);
    const dearer = failed(study({ fanout: fanout({ sendfileCpu: 3 }) }));
    expect(dearer).toContain("over all consumer counts, sendfile costs the broker less CPU per GiB than read+write (their sum over C)");
    // read+write only 0.1 s/GiB dearer: a twentieth of the model's 2 s/GiB
    expect(failed(study({ fanout: fanout({ readWriteCpu: 0.6 }) }))).toEqual([expect.stringContaining("what sendfile saves the broker per GiB matches the model")]);
  });

  it("fail when the slowest link is not filled, a run beats its link, or sendfile costs the broker more through a link", () => {
    expect(failed(study({ link: link({ slowSeconds: 1.5 }) }))).toContain("through 1 Gbit/s both serving modes fill the link: 2 consumers get at least rate / 1.15 together (median)");
    expect(failed(study({ link: link({ slowSeconds: 0.8 }) }))).toEqual([expect.stringContaining("no run beats its link")]);
    expect(failed(study({ link: link({ sendfileBrokerCpu: 0.9 }) }))).toEqual([expect.stringContaining("through every link, sendfile costs the broker process less CPU")]);
  });

  it("report every CPU's difference with its parts, and fail when the link held serving back far below the model's crossover", () => {
    // sendfile 600 ms against read+write's 200 ms a run: 3.4 s/GiB dearer; sd 0.070 per mode, 0.099 for the two: said, not asserted
    const dearer = chapterClaims(study({ link: link({ sendfileBusyMs: 600 }) }));
    expect(dearer.claims.filter((c) => !c.pass)).toEqual([]);
    expect(dearer.notes.join("\n")).toMatch(/1 Gbit\/s: all CPUs -3\.436 ± 0\.099 \(resolved\), the broker \+0\.500, the consumers \+0\.000/);
    expect(dearer.notes.join("\n")).toMatch(/where it is negative, the consumers' extra receive work outweighed the broker's saving/);
    // unshaped sendfile at 40 Gbit/s, yet it could not fill 1 Gbit/s: the crossover is 40x off the model's
    const off = failed(study({ link: link({ slowSeconds: 1.5, fastSeconds: 0.025 }) }));
    expect(off).toContain("serving stops following the link where the model puts it (its fastest unshaped run), within a factor 2: it filled the links below and not those above");
  });

  it("without links: a note says why, and no link claim is made", () => {
    const v = chapterClaims(study({ link: null, linkSkipped: "it needs root" }));
    expect(v.claims.some((c) => /link/.test(c.claim))).toBe(false);
    expect(v.notes).toContain("the fan-out through shaped links did not run: it needs root");
    expect(linkFigures(analyzeKafkaBroker(study({ link: null, linkSkipped: "it needs root" })))).toEqual([]);
  });
});

describe("chapter 6's figures and words", () => {
  it("draws every figure with a title and a legend; consumer counts on a log axis said to be one", () => {
    const a = analyzeKafkaBroker(study());
    const figures = kafkaBrokerFigures(a);
    expect(figures.map((f) => f.id)).toEqual(["broker-disk-reads", "broker-cpu", "broker-syscalls", "broker-link-throughput", "broker-link-cpu", "broker-link-cores"]);
    for (const f of figures) {
      expect((f.layout.title as { text: string }).text).toContain(f.title);
      expect(f.layout.showlegend).toBe(true);
      expect(f.data.length).toBeGreaterThan(0);
    }
    const x = diskReadsFigure(a).layout.xaxis as { type: string; title: { text: string }; tickvals: number[] };
    expect([x.type, x.tickvals]).toEqual(["log", [1, 4]]);
    expect(x.title.text).toMatch(/log scale/);
  });

  it("puts this run's numbers in its prose and tables", () => {
    const a = analyzeKafkaBroker(study());
    expect(crashMarkdown(a)).toMatch(/After 5,000 were acknowledged .* 1,000 records had been handed to the producer/);
    expect(crashMarkdown(a)).toMatch(/The log holds 64 records more than were acknowledged/);
    // the broker's own recovery lines are quoted
    expect(markdownHtml(crashMarkdown(a))).toContain("<blockquote>unclean shutdown (no .kafka_cleanshutdown): recovered 1 partition(s)</blockquote>");
    expect(fanoutMarkdown(a)).toMatch(/read 1\.00 to 1\.00 times the log from disk/);
    expect(fanoutMarkdown(a)).toMatch(/sendfile cost the broker 0\.500, 0\.500 CPU-seconds per GiB at C = 1, 4, and read\+write 2\.500, 2\.500/);
    expect(fanoutMarkdown(a)).not.toMatch(/was not the cheaper mode/);
    // where sendfile came out dearer at some C, the words say so and why
    expect(fanoutMarkdown(analyzeKafkaBroker(study({ fanout: fanout({ sendfileCpu: 3 }) })))).toMatch(/At C = 1, 4 sendfile was not the cheaper mode in this run/);
    expect(linkMarkdown(a)).toMatch(/Through 1 Gbit\/s they got 1\.00 Gbit\/s by sendfile/);
    expect(fanoutTable(a).rows.length).toBe(10);
    expect(linkTable(a)!.rows.length).toBe(4);
    expect(linkTable(analyzeKafkaBroker(study({ link: null })))).toBeNull();
    const batch = firstBatchTable(a);
    expect(batch.rows.find((r) => r[1] === "crc")![3]).toMatch(/^CRC32C of bytes 21\.\.\d+: valid$/);
    expect(batch.rows.at(-1)![1]).toBe("record[0].headerCount");
    expect(readBackTable(a).rows.map((r) => [r[0], r[3], r[4]])).toEqual([["workbook", "0", "0"], ["kcat", "0", "0"]]);
    expect(dataFolderTable(a).rows).toEqual([["`crash-0/00000000000000000000.log`", "257,495"]]);
  });

  it("every plan keeps the 1 Gbit/s link the claims judge, and sizes the quick plan for CI", () => {
    for (const plan of Object.values(PLANS)) expect(plan.link.rates[0]).toBe(1e9);
    expect(PLANS.quick.fanout.logBytes).toBeLessThanOrEqual(16 * MiB);
  });

  it("chapter 8's written verdict finds the chapter-6 claims and figures it rests on", () => {
    const a = analyzeKafkaBroker(study());
    const sentences = writtenVerdict(runClaimsSummary([chapterClaims(study())], 1));
    const mine = sentences.filter((x) => x.figures.some((f) => f.chapter === "6") || x.missing.some((m) => m.startsWith("chapter 6")));
    expect(mine.length).toBeGreaterThan(0);
    for (const x of mine) expect(x.missing.filter((m) => m.startsWith("chapter 6"))).toEqual([]);
    const titles = kafkaBrokerFigures(a).map((f) => f.title);
    for (const f of mine.flatMap((x) => x.figures).filter((f) => f.chapter === "6")) expect(titles.some((t) => t.startsWith(f.title)), f.title).toBe(true);
  });
});
