// Chapter 2b's analysis and claims on hand-made measurements: per-link rows, machine-wide CPU net of the
// background with its uncertainty, crossovers, a broker's cores, and claims that fail when the data say so.
// Every expected value is worked out by hand in the comments beside it.
import { describe, it, expect } from "vitest";
import type { TransferResult, TransferRun } from "../src/experiments/transfer-records";
import type { TransferPath } from "../src/vocabulary/transfer";
import { analyzeRealLink, machineCpu, linkRows, crossovers, brokerCores, RealLinkStudy } from "../src/chapters/02b-a-real-link/analysis";
import { chapterClaims } from "../src/chapters/02b-a-real-link/claims";
import { realLinkFigures } from "../src/chapters/02b-a-real-link/figures";
import { parseMachineCpu, machineCpuDelta } from "../src/experiments/machine-cpu";
import { parseCpuAccounting, describeCpuAccounting } from "../src/experiments/cpu-accounting";
import { MiB, GiB } from "../src/units/sizes";

/** 125,000,000 bytes = 10^9 bits: one second at 1 Gbit/s, 0.1 s at 10 Gbit/s. */
const BYTES = 125_000_000;
/** GiB / BYTES: multiplies a per-run figure into a per-GiB one. */
const PER_GIB = GiB / BYTES; // 8.589934592

interface RunSpec {
  wall: number;
  senderMs: number;
  receiverMs?: number;
  busyMs?: number;
  window?: number;
  before?: number;
  after?: number;
}

/** One measured run as the experiment records it; only the fields the chapter reads are meaningful. */
function run(path: TransferPath, round: number, spec: RunSpec, bytes = BYTES): TransferRun {
  return {
    path, round, bytes, chunk: 65536, cache: "warm", residentPagesBefore: 0, filePages: 0,
    wallSeconds: spec.wall, throughputMiBps: bytes / MiB / spec.wall, userCpuMs: spec.senderMs / 4, systemCpuMs: (3 * spec.senderMs) / 4,
    voluntarySwitches: 0, involuntarySwitches: 0, minorFaults: 0, majorFaults: 0, syscalls: 0, polls: 0, procSyscr: 0, procSyscw: 0, diskReadBytes: 0,
    receiverCpuMs: spec.receiverMs ?? 50,
    machineBusyMs: spec.busyMs ?? 116,
    machineStealMs: 0,
    backgroundBeforeBusyMs: spec.before ?? 0,
    backgroundAfterBusyMs: spec.after ?? 0,
    backgroundWindowMs: spec.window ?? 0,
    receivedBytes: bytes,
    receivedChecksum: "0badf00d",
  };
}

/** A result through one link (rate in bit/s, or null unshaped) holding `runs`. */
function result(rate: number | null, runs: TransferRun[], drops = 0): TransferResult {
  return {
    kind: "transfer",
    conditions: {
      cpuCount: 2, bytes: BYTES, chunk: 65536, cache: "warm", fileChecksum: "0badf00d", paths: ["c-read-write", "sendfile"],
      link: { rateBitsPerSecond: rate, namespace: "workbook-link-test", qdisc: rate ? "tbf" : null, burstBytes: null, latencyMs: null, qdiscStats: rate ? { sentBytes: 0, sentPackets: 0, drops, overlimits: 1 } : null },
    } as TransferResult["conditions"],
    runs,
    summaries: [],
  };
}

/** Three runs of a path, walls and sender CPU given per run. */
function three(path: TransferPath, walls: number[], senderMs: number[], extra: Partial<RunSpec> = {}): TransferRun[] {
  return walls.map((wall, i) => run(path, i, { wall, senderMs: senderMs[i], ...extra }));
}

/** The study the tests start from: sendfile and the C loop through 1 and 10 Gbit/s and unshaped. */
function study(overrides: { cUnshaped?: number[]; sendfile10Busy?: number; sendfile1Sender?: number[]; c1Walls?: number[] } = {}): RealLinkStudy {
  return {
    accounting: { source: "/proc/config.gz", irqTimeAccounting: false, hz: 250 },
    results: [
      result(1e9, [
        ...three("sendfile", [1.0, 1.01, 1.02], overrides.sendfile1Sender ?? [10, 12, 14]),
        ...three("c-read-write", overrides.c1Walls ?? [1.0, 1.02, 1.05], [40, 42, 44]),
      ]),
      result(10e9, [
        ...three("sendfile", [0.1, 0.11, 0.12], [20, 22, 24], { busyMs: overrides.sendfile10Busy ?? 116 }),
        ...three("c-read-write", [0.2, 0.25, 0.3], [50, 52, 54]),
      ]),
      result(null, [...three("sendfile", [0.08, 0.08, 0.09], [25, 27, 29]), ...three("c-read-write", overrides.cUnshaped ?? [0.2, 0.2, 0.22], [60, 62, 64])]),
    ],
  };
}

describe("machine-wide CPU net of the background", () => {
  // Two 1 GiB runs on 2 CPUs with 100 ms background windows.
  // A: wall 0.5 s, busy 600 ms, background 10 and 30 ms -> 0.1 and 0.3 cores, mean 0.2 -> net 600 - 0.2 x 500 = 500 ms
  // B: wall 1.0 s, busy 900 ms, background 20 and 20 ms -> 0.2 cores -> net 900 - 0.2 x 1000 = 700 ms
  // Our own CPU: A 10 + 30 = 40 ms, B 10 + 300 = 310 ms (sender + receiver).
  const runs = [
    run("sendfile", 0, { wall: 0.5, senderMs: 10, receiverMs: 30, busyMs: 600, window: 100, before: 10, after: 30 }, GiB),
    run("sendfile", 1, { wall: 1.0, senderMs: 10, receiverMs: 300, busyMs: 900, window: 100, before: 20, after: 20 }, GiB),
  ];

  it("subtracts the background's mean rate over each send, sums over runs, then divides by the bytes", () => {
    const m = machineCpu(runs, 2)!;
    expect(m.netSecondsPerGiB).toBeCloseTo(0.6, 12); // (500 + 700) ms over 2 GiB
    expect(m.rawSecondsPerGiB).toBeCloseTo(0.75, 12); // (600 + 900) ms over 2 GiB
    expect(m.backgroundCores).toBeCloseTo(0.2, 12);
  });

  it("carries the readings' ticks, the background's drift and the squeeze into its uncertainty", () => {
    // Per reading pair on 2 CPUs: sd = 20 ms / sqrt(3), variance 400/3. Background windows (mean of two): variance
    // 400/3/2 scaled by (wall / window)^2: A 25 x 200/3 = 1666.67, B 100 x 200/3 = 6666.67. Drift: A |0.3 - 0.1| / 2 x 500
    // = 50 ms, B 0. Squeeze, min(background x wall, own CPU): A min(100, 40) = 40, B min(200, 310) = 200.
    // Sum: 2 x 133.33 + 1666.67 + 6666.67 + 2500 + 1600 + 40000 = 52700; sqrt = 229.565 ms over 2 GiB.
    expect(machineCpu(runs, 2)!.uncertaintySecondsPerGiB).toBeCloseTo(Math.sqrt(52700) / 2000, 9);
  });

  it("on a quiet machine only the readings' ticks remain", () => {
    const quiet = runs.map((r) => ({ ...r, backgroundBeforeBusyMs: 0, backgroundAfterBusyMs: 0 }));
    // Send windows 2 x 400/3, background windows 1666.67 + 6666.67 (a quiet window is still read in ticks), no drift, no squeeze.
    expect(machineCpu(quiet, 2)!.uncertaintySecondsPerGiB).toBeCloseTo(Math.sqrt(800 / 3 + 25000 / 3) / 2000, 9);
    expect(machineCpu(quiet, 2)!.netSecondsPerGiB).toBeCloseTo(0.75, 12);
  });

  it("is undefined for records made before machine-wide CPU was measured", () => {
    const old = { ...runs[0] };
    delete old.machineBusyMs;
    expect(machineCpu([old, runs[1]], 2)).toBeUndefined();
  });
});

describe("chapter 2b's rows", () => {
  const rows = linkRows(study());
  const row = (path: string, rate: number | null) => rows.find((r) => r.path === path && r.rate === rate)!;

  it("lists every path through every link, slowest link first and unshaped last", () => {
    expect(rows.map((r) => `${r.path}@${r.rate}`)).toEqual([
      "c-read-write@1000000000", "c-read-write@10000000000", "c-read-write@null",
      "sendfile@1000000000", "sendfile@10000000000", "sendfile@null",
    ]);
  });

  it("holds medians, the link's time, the slowdown and whether the run filled the link", () => {
    expect(row("sendfile", 1e9)).toMatchObject({ medianSeconds: 1.01, minSeconds: 1.0, maxSeconds: 1.02, linkSeconds: 1, filledLink: true });
    expect(row("sendfile", 1e9).slowdown).toBeCloseTo(1.01, 12);
    expect(row("c-read-write", 10e9).slowdown).toBeCloseTo(2.5, 12); // 0.25 s against 0.1 s of link
    expect(row("c-read-write", 10e9).filledLink).toBe(false);
    expect(row("c-read-write", 10e9).throughput).toBeCloseTo(4e9, 3); // 10^9 bits in 0.25 s
    expect(row("sendfile", null)).toMatchObject({ linkSeconds: null, slowdown: null, filledLink: false });
  });

  it("puts CPU per GiB and the fraction of a core beside them", () => {
    expect(row("sendfile", 1e9).senderCpuPerGiB).toBeCloseTo(0.012 * PER_GIB, 12); // median 12 ms per 125 MB
    expect(row("sendfile", 1e9).receiverCpuPerGiB).toBeCloseTo(0.05 * PER_GIB, 12);
    expect(row("sendfile", 1e9).senderCores).toBeCloseTo(0.012 / 1.01, 12); // median of 10/1.00, 12/1.01, 14/1.02 ms/ms
    // No background windows: net = raw = 3 x 116 ms over 3 x 125 MB.
    expect(row("sendfile", 1e9).machine!.netSecondsPerGiB).toBeCloseTo(0.116 * PER_GIB, 12);
  });

  it("models each row as the slower of its link and the path's unshaped median", () => {
    expect(row("sendfile", 1e9).model).toMatchObject({ seconds: 1, bound: "link" });
    expect(row("sendfile", 10e9).model).toMatchObject({ seconds: 0.1, bound: "link" }); // 0.1 s of link > 0.08 s ceiling
    expect(row("c-read-write", 10e9).model).toMatchObject({ seconds: 0.2, bound: "cpu" });
  });
});

describe("chapter 2b's crossovers and a broker's cores", () => {
  it("brackets the measured crossover by the plan's links and puts the model's at bytes / unshaped median", () => {
    const [c, s] = crossovers(study());
    // C loop: 10^9 bits / 0.2 s = 5 Gbit/s; it filled 1 Gbit/s, not 10, and went 4 Gbit/s through the 10 Gbit/s link.
    expect(c).toEqual({ path: "c-read-write", model: 5e9, measured: 4e9, lastFilled: 1e9, firstNotFilled: 10e9 });
    // sendfile: 10^9 / 0.08 = 12.5 Gbit/s; it filled both links, the fastest at 10^9 / 0.11 s = 9.09 Gbit/s.
    expect(s.path).toBe("sendfile");
    expect(s.model).toBeCloseTo(12.5e9, 0);
    expect(s.measured).toBeUndefined();
    expect(s.atLeast).toBeCloseTo(1e9 / 0.11, 0);
    expect(s.lastFilled).toBe(10e9);
  });

  it("prices each link rate from the sender's CPU per byte through the slowest link", () => {
    const cores = brokerCores(linkRows(study()));
    const sendfile = cores.filter((x) => x.path === "sendfile");
    // 12 ms per 125 MB = 9.6e-11 s/B; at 100 Gbit/s = 12.5 GB/s: 1.2 cores; at 1 Gbit/s 0.012, 83.3 consumers per core
    expect(sendfile.map((x) => x.rate)).toEqual([1e9, 10e9, 25e9, 100e9]);
    expect(sendfile.map((x) => x.cores)).toEqual([0.012, 0.12, 0.3, 1.2].map((v) => expect.closeTo(v, 12)));
    expect(sendfile[0].consumersPerCore).toBeCloseTo(1 / 0.012, 9);
    // Unshaped: 27 ms per 125 MB -> 0.027 cores at 1 Gbit/s
    expect(sendfile[0].coresUnshaped).toBeCloseTo(0.027, 12);
  });
});

describe("the model's CPU-bound input", () => {
  it("is the unshaped median by default, and any other source can take its place", () => {
    expect(analyzeRealLink(study()).modelInput).toBe("CPU ceiling measured unshaped");
    // A profile that says 0.05 s for 125 MB on every path: crossovers at 10^9 bits / 0.05 s = 20 Gbit/s.
    const a = analyzeRealLink(study(), { label: "calibrated profile", seconds: () => 0.05 });
    expect(a.crossovers.map((c) => c.model)).toEqual([20e9, 20e9]);
    expect(a.rows.find((r) => r.path === "c-read-write" && r.rate === 10e9)!.model).toMatchObject({ seconds: 0.1, bound: "link" });
    expect(JSON.stringify(realLinkFigures(a)[4].data[0])).toContain("model: calibrated profile");
  });
});

describe("chapter 2b's claims", () => {
  const verdict = (s: RealLinkStudy) => chapterClaims(s);
  const failing = (s: RealLinkStudy) => verdict(s).claims.filter((c) => !c.pass).map((c) => c.claim);

  it("all hold on the hand-made study, with the numbers that show them", () => {
    const v = verdict(study());
    expect(v.claims).toHaveLength(6);
    expect(v.claims.filter((c) => !c.pass)).toEqual([]);
    expect(v.claims.find((c) => c.claim.startsWith("each path's crossover"))!.evidence).toBe(
      "c-read-write model 5.0 Gbit/s, machine 1.0 Gbit/s-10.0 Gbit/s; sendfile model 12.5 Gbit/s, machine 10.0 Gbit/s-above the fastest link",
    );
  });

  it("fail when a path does not take the slow link's time: then the paths did not converge, and its crossover is off", () => {
    // The C loop at 1.25 s through 1 Gbit/s: 25% over the link, 1.25 / 1.01 apart from sendfile, and it filled no
    // link although the model puts its crossover at 5 Gbit/s (the slowest link it could not fill, 1, is below 5 / 2).
    expect(failing(study({ c1Walls: [1.2, 1.25, 1.3] }))).toEqual([
      "at 1 Gbit/s every path takes bytes / rate within 15% (median)",
      "through links at most half the slowest path's CPU ceiling (5.0 Gbit/s), every path takes the same time within 15%",
      "each path's crossover lies where the model puts it (link time = CPU ceiling measured unshaped), within a factor 2: it filled the links below it and not those above",
    ]);
  });

  it("fail when sendfile's sender costs as much as the C loop's at one link", () => {
    expect(failing(study({ sendfile1Sender: [44, 44, 44] }))).toEqual(["sendfile's sender needs less CPU per GiB than the C read+write loop's through every link (median)"]);
  });

  it("fail when the machine-wide CPU per GiB at one rate is 3x the unshaped one, well beyond its uncertainty", () => {
    // 348 ms per run against 116: 3x; the uncertainty of 3 runs without background windows is ~0.057 s/GiB.
    expect(failing(study({ sendfile10Busy: 348 }))).toEqual([expect.stringMatching(/^every CPU's busy time per GiB/)]);
    const evidence = verdict(study({ sendfile10Busy: 348 })).claims.find((c) => c.claim.startsWith("every CPU's"))!.evidence;
    expect(evidence).toMatch(/outside: sendfile at 10 Gbit\/s$/);
  });

  it("fail when the model puts a crossover far from where the links bracket it", () => {
    // The C loop unshaped in 0.02 s: the model says 50 Gbit/s, yet it could not fill 10 Gbit/s (50 / 2 > 10).
    expect(failing(study({ cUnshaped: [0.02, 0.02, 0.02] }))).toContain(
      "each path's crossover lies where the model puts it (link time = CPU ceiling measured unshaped), within a factor 2: it filled the links below it and not those above",
    );
  });

  it("refuse a study without the 1 Gbit/s link or without the unshaped control", () => {
    const s = study();
    expect(() => chapterClaims({ ...s, results: s.results.slice(1) })).toThrow(/must include the 1 Gbit\/s link/);
    expect(() => analyzeRealLink({ ...s, results: s.results.slice(0, 2) })).toThrow(/no unshaped link/);
  });

  it("figures draw every path without calling the model again", () => {
    const figures = realLinkFigures(analyzeRealLink(study()));
    expect(figures.map((f) => f.id)).toEqual(["link-wall-time", "link-cpu-per-gib", "link-core-fraction", "link-broker-cores", "link-crossover"]);
    for (const f of figures) expect(f.layout.showlegend).toBe(true);
    expect(figures[4].summary).toBe("c-read-write: model 5.0 Gbit/s, machine 4.0 Gbit/s\nsendfile: model 12.5 Gbit/s, machine >= 9.1 Gbit/s");
  });
});

describe("reading the machine", () => {
  it("/proc/stat: busy is user + nice + system + irq + softirq; steal apart; 10 ms ticks", () => {
    const a = parseMachineCpu("cpu  100 5 50 1000 7 3 11 2 0 0\ncpu0 1 2 3 4 5 6 7 8 0 0\n");
    expect(a).toEqual({ busyMs: (100 + 5 + 50 + 3 + 11) * 10, stealMs: 20 });
    const b = parseMachineCpu("cpu  130 5 60 1100 7 3 12 4 0 0\n");
    expect(machineCpuDelta(a, b)).toEqual({ busyMs: 410, stealMs: 20 });
    expect(() => parseMachineCpu("intr 1 2 3\n")).toThrow(/does not start with the all-CPU line/);
  });

  it("the kernel's softirq accounting from its config", () => {
    const off = parseCpuAccounting("CONFIG_TICK_CPU_ACCOUNTING=y\n# CONFIG_IRQ_TIME_ACCOUNTING is not set\nCONFIG_HZ=250\n", "/proc/config.gz");
    expect(off).toEqual({ source: "/proc/config.gz", irqTimeAccounting: false, hz: 250 });
    expect(describeCpuAccounting(off)).toMatch(/^this kernel does not keep softirq time apart \(CONFIG_IRQ_TIME_ACCOUNTING unset, tick 250 Hz/);
    expect(parseCpuAccounting("CONFIG_IRQ_TIME_ACCOUNTING=y\nCONFIG_HZ=1000\n").irqTimeAccounting).toBe(true);
    expect(describeCpuAccounting({})).toMatch(/does not expose its configuration/);
  });
});
