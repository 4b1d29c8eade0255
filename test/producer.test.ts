// The producer experiment (chapter 5): byte-exact delivery under every flush policy, fsync counts, page-cache
// residency, write_bytes as the filesystem under the file accounts it (disk vs tmpfs, named in each test),
// repetition and statistics, the model side and the figures, and clean failure on bad input and SIGINT.
import { profileFixture } from "./support/profile-fixture";
import { describe, it, expect, afterAll, afterEach } from "vitest";
import { spawn } from "child_process";
import * as crypto from "crypto";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { runProducerExperiment, planProducer, verifyStored, ProducerVerificationError, flusherAges } from "../src/experiments/producer";
import { PRODUCER_POLICIES, ProducerResult } from "../src/experiments/producer-records";
import { MEMORY_FILESYSTEMS } from "../src/experiments/producer-writeback";
import { filesystemTypeOf, blockDeviceOf } from "../src/experiments/block-device";
import { producerModel, producerModels, producerSteps, policyTableOf, loopbackRows } from "../src/chapters/05-the-producers-side/analysis";
import {
  flusherFigure, producerDiagramFigure, bytesTimelineFigure, policyTimeFigure, writeAccountingFigure, loopbackTable,
} from "../src/chapters/05-the-producers-side/figures";
import { liveCount } from "../src/cleanup/registry";
import { childrenOf, processesWithMarker, scratchParent } from "./transfer-helpers";
import { MiB } from "../src/units/sizes";

const parent = scratchParent("producer");

afterEach(() => {
  // After every experiment, success or failure: no scratch dir, no child process, nothing registered.
  expect(fs.readdirSync(parent)).toEqual([]);
  expect(childrenOf(process.pid)).toEqual([]);
  expect(liveCount()).toBe(0);
});

afterAll(() => fs.rmSync(parent, { recursive: true, force: true }));

/** Every recorded run stored exactly what the producer sent: at the sink, in the file's length and its CRC-32. */
function expectAllStored(result: ProducerResult): void {
  expect(result.runs.length).toBeGreaterThan(0);
  for (const run of result.runs) {
    expect(run.receivedBytes).toBe(result.conditions.bytes);
    expect(run.fileBytes).toBe(result.conditions.bytes);
    expect(run.fileChecksum).toBe(run.sentChecksum);
  }
}

/** A scratch parent on `dir`'s filesystem, removed by the caller. */
function parentOn(dir: string): string {
  return fs.mkdtempSync(path.join(dir, "workbook-test-producer-"));
}

describe("producer experiment", () => {
  it("stores an odd-sized payload byte-exact under every policy, with the policy's fsyncs, fully resident", async () => {
    const bytes = 3 * MiB + 12345;
    const result = await runProducerExperiment({ bytes, runs: 1, warmup: 0, fsyncBytes: MiB, dir: parent });
    expect(result.runs.map((r) => r.policy).sort()).toEqual([...PRODUCER_POLICIES].sort());
    expectAllStored(result);
    const fsyncs = Object.fromEntries(result.runs.map((r) => [r.policy, r.fsyncCalls]));
    expect(fsyncs).toEqual({ "page-cache": 0, "fsync-end": 1, "fsync-each": Math.ceil(bytes / MiB) });
    for (const run of result.runs) {
      expect(run.filePages).toBe(Math.ceil(bytes / 4096));
      expect(run.residentPages).toBe(run.filePages); // right after the ack, every page is in the page cache
      expect(run.writeCalls).toBeGreaterThanOrEqual(1);
      // The timeline only grows, ends with every byte written and durable, and the ack comes before the later fsync.
      const s = run.samples;
      for (let i = 1; i < s.length; i++) {
        expect(s[i].seconds).toBeGreaterThanOrEqual(s[i - 1].seconds);
        expect(s[i].writtenBytes).toBeGreaterThanOrEqual(s[i - 1].writtenBytes);
        expect(s[i].durableBytes).toBeGreaterThanOrEqual(s[i - 1].durableBytes);
      }
      for (const point of s) expect(point.durableBytes).toBeLessThanOrEqual(point.writtenBytes);
      expect(s[s.length - 1]).toMatchObject({ writtenBytes: bytes, durableBytes: bytes });
      expect(run.ackSeconds).toBeLessThanOrEqual(run.laterFsyncStartSeconds);
      expect(run.laterFsyncStartSeconds).toBeLessThanOrEqual(run.laterFsyncEndSeconds);
      // page-cache acks with nothing durable; the fsync policies ack with everything durable.
      const atAck = s.filter((p) => p.seconds <= run.ackSeconds).pop()!;
      expect(atAck.durableBytes).toBe(run.policy === "page-cache" ? 0 : bytes);
    }
  });

  it("stores an empty payload under every policy (fsync-end still fsyncs once)", async () => {
    const result = await runProducerExperiment({ bytes: 0, runs: 1, warmup: 0, dir: parent });
    expectAllStored(result);
    for (const run of result.runs) {
      expect(run.fileChecksum).toBe("00000000");
      expect(run.filePages).toBe(0);
      expect(run.fsyncCalls).toBe(run.policy === "fsync-end" ? 1 : 0);
    }
  });

  // write_bytes is charged when a page is dirtied (mm/page-writeback.c: folio_account_dirtied ->
  // task_io_account_write), not when it reaches the disk; tmpfs pages are never written back and never charged.
  const dirs = [os.tmpdir(), "/dev/shm"].filter((d) => fs.existsSync(d));
  for (const dir of dirs) {
    const fsType = filesystemTypeOf(dir);
    const inMemory = (MEMORY_FILESYSTEMS as readonly string[]).includes(fsType);
    const expectation = inMemory ? "0 for every policy" : ">= the payload for every policy, at write() time";
    it(`write_bytes on ${fsType} (${dir}): ${expectation}; the result names the filesystem`, async () => {
      const where = parentOn(dir);
      try {
        const bytes = 2 * MiB;
        const result = await runProducerExperiment({ bytes, runs: 1, warmup: 0, dir: where });
        expectAllStored(result);
        expect(result.conditions.filesystem).toBe(fsType);
        expect(result.conditions.device).toBe(blockDeviceOf(dir)?.name ?? null);
        for (const run of result.runs) {
          expect(run.residentPages).toBe(run.filePages);
          if (inMemory) {
            expect(run.writeBytesDuring).toBe(0);
            expect(run.writeBytesLater).toBe(0);
          } else {
            expect(run.writeBytesDuring).toBeGreaterThanOrEqual(bytes);
            // at most a re-dirtied partial page per fsync beyond the payload
            expect(run.writeBytesDuring).toBeLessThanOrEqual(bytes + (run.fsyncCalls + 1) * 4096);
          }
          expect(run.deviceWriteBytesDuring === null).toBe(result.conditions.device === null);
        }
        expect(fs.readdirSync(where)).toEqual([]);
      } finally {
        fs.rmSync(where, { recursive: true, force: true });
      }
    });
  }

  it("repeats runs after a warm-up, interleaves policies, summarises median/min/max and writes JSON only when asked", async () => {
    const out = path.join(parent, "..", `producer-result-${process.pid}.json`);
    try {
      const progress: string[] = [];
      const result = await runProducerExperiment({
        bytes: MiB,
        runs: 3,
        warmup: 1,
        policies: ["fsync-each", "page-cache"],
        dir: parent,
        out,
        onProgress: (p) => progress.push(`${p.done}/${p.total}:${p.policy}:${p.warmup ? "w" : p.round}`),
      });
      expect(progress).toHaveLength(8); // (1 warm-up + 3) x 2 policies
      expect(progress.slice(0, 2).every((p) => p.endsWith(":w"))).toBe(true);
      expect(result.runs).toHaveLength(6);
      for (let round = 0; round < 3; round++) expect(result.runs.filter((r) => r.round === round).map((r) => r.policy).sort()).toEqual(["fsync-each", "page-cache"]);
      expect(result.summaries.map((s) => s.policy)).toEqual(["fsync-each", "page-cache"]);
      for (const summary of result.summaries) {
        const wall = summary.metrics.wallSeconds;
        expect(wall.n).toBe(3);
        const walls = result.runs.filter((r) => r.policy === summary.policy).map((r) => r.wallSeconds).sort((a, b) => a - b);
        expect([wall.min, wall.median, wall.max]).toEqual([walls[0], walls[1], walls[2]]);
      }
      const c = result.conditions;
      expect(c).toMatchObject({ bytes: MiB, fsyncBytes: MiB, runs: 3, warmupRuns: 1, checksum: "crc32", policies: ["fsync-each", "page-cache"] });
      expect(c.cpuCount).toBeGreaterThan(0);
      expect(c.kernel).toMatch(/Linux/);
      expect(Object.keys(c.writeback).sort()).toEqual(["dirtyBackgroundBytes", "dirtyBackgroundRatio", "dirtyBytes", "dirtyExpireCentisecs", "dirtyRatio", "dirtyWritebackCentisecs"]);
      expect(result.flusher).toBeNull();
      expect(result.flusherNote).toMatch(/not asked for/);
      expect(JSON.parse(fs.readFileSync(out, "utf8"))).toEqual(result);
    } finally {
      fs.rmSync(out, { force: true });
    }
  });

  it("rejects bad input with one clear message before creating anything", async () => {
    await expect(runProducerExperiment({ bytes: -1, dir: parent })).rejects.toThrow(RangeError);
    await expect(runProducerExperiment({ bytes: -1, dir: parent })).rejects.toThrow(/^bytes must be a whole number of bytes from 0 to 2147483648 \(2 GiB\), got -1$/);
    await expect(runProducerExperiment({ bytes: 1024, policies: ["teleport" as never], dir: parent })).rejects.toThrow(/^policy must be one of page-cache, fsync-end, fsync-each; got "teleport"$/);
    await expect(runProducerExperiment({ bytes: 1024, policies: [], dir: parent })).rejects.toThrow(/policies must name at least one of/);
    await expect(runProducerExperiment({ bytes: 1024, runs: 0, dir: parent })).rejects.toThrow(/runs must be a whole number from 1/);
    await expect(runProducerExperiment({ bytes: 1024, fsyncBytes: 100, dir: parent })).rejects.toThrow(/fsyncBytes must be a whole number of bytes from 4096/);
    await expect(runProducerExperiment({ bytes: 1024, dir: "/no/such/dir" })).rejects.toThrow(/scratch directory \/no\/such\/dir does not exist/);
    await expect(runProducerExperiment({} as never)).rejects.toThrow(/bytes is required/);
    expect(() => planProducer({ bytes: 1.5 })).toThrow(/bytes must be a whole number/);
  });

  it("a sink that cannot write its log file fails the experiment with the sink's reason, and leaves nothing behind", async () => {
    // After run 0, put a directory where run 1's log file must go: the sink's open() fails with EISDIR.
    const block = () => {
      const [scratch] = fs.readdirSync(parent);
      fs.mkdirSync(path.join(parent, scratch, "log-1.bin"));
    };
    await expect(runProducerExperiment({ bytes: MiB, runs: 2, warmup: 0, policies: ["page-cache"], dir: parent, onProgress: (p) => p.done === 1 && block() })).rejects.toThrow(
      /^page-cache run 1: sink: EISDIR: illegal operation on a directory/,
    );
  });

  it("refuses to count a run whose file differs from what the producer sent", () => {
    const sent = { bytes: 10, checksum: "00001234" };
    expect(() => verifyStored("page-cache", 0, sent, { receivedBytes: 10, fileBytes: 10, fileChecksum: "00001234" })).not.toThrow();
    expect(() => verifyStored("page-cache", 0, sent, { receivedBytes: 9, fileBytes: 10, fileChecksum: "00001234" })).toThrow(ProducerVerificationError);
    expect(() => verifyStored("fsync-each", 2, sent, { receivedBytes: 10, fileBytes: 10, fileChecksum: "deadbeef" })).toThrow(
      /fsync-each run 2: the producer sent 10 bytes with crc32 00001234, the sink received 10 and its file holds 10 bytes with crc32 deadbeef/,
    );
  });

  it("SIGINT mid-experiment removes the scratch dir and ends the sink and producer processes", async () => {
    const marker = `WORKBOOK_TEST_${crypto.randomBytes(6).toString("hex")}`;
    const code = `require(${JSON.stringify(path.resolve(__dirname, "..", "src", "experiments", "producer"))})` +
      `.runProducerExperiment({ bytes: ${8 * MiB}, runs: 500, dir: ${JSON.stringify(parent)} })`;
    const child = spawn(process.execPath, ["--require", "tsx/cjs", "-e", code], { cwd: path.resolve(__dirname, ".."), env: { ...process.env, [marker]: "1" }, stdio: "ignore" });
    const exited = new Promise<{ code: number | null; signal: string | null }>((resolve) => child.on("exit", (c, signal) => resolve({ code: c, signal })));
    // Wait until the experiment runs: its scratch dir exists and the sink and the producer are up (3 processes with the marker).
    const deadline = Date.now() + 60_000;
    while (Date.now() < deadline && (fs.readdirSync(parent).length === 0 || processesWithMarker(marker).length < 3)) {
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(fs.readdirSync(parent).length).toBe(1);
    await new Promise((r) => setTimeout(r, 500));
    child.kill("SIGINT");
    const { signal } = await exited;
    expect(signal).toBe("SIGINT");
    await new Promise((r) => setTimeout(r, 200)); // let the killed children be reaped
    expect(fs.readdirSync(parent)).toEqual([]);
    expect(processesWithMarker(marker)).toEqual([]);
  });
});

describe("producer model and figures", () => {
  it("models recv-write as 2 CPU copies per call; fsync-end waits for the writeback page-cache leaves to the flusher", () => {
    const bytes = 64 * MiB;
    const profile = profileFixture(); // a disk of 2 GB/s and 50 µs per request
    const pageCache = producerModel(profile, "page-cache", bytes, MiB);
    const fsyncEnd = producerModel(profile, "fsync-end", bytes, MiB);
    const fsyncEach = producerModel(profile, "fsync-each", bytes, MiB);
    expect(pageCache.counts.cpuCopies / pageCache.counts.chunks).toBe(2);
    expect(pageCache.counts.dmaCopies / pageCache.counts.chunks).toBe(2); // NIC -> socket buffer, page cache -> disk
    expect(pageCache.counts.syscalls / pageCache.counts.chunks).toBe(2); // recv + write
    expect(fsyncEach.counts.syscalls / fsyncEach.counts.chunks).toBe(3); // recv + write + fsync
    expect(fsyncEach.counts.chunks).toBe(64);
    expect(pageCache.diskBytesAtAck).toBe(0);
    // the writeback page-cache leaves to the flusher: 64 MiB at 2 GB/s and one request's latency
    expect(pageCache.laterSeconds).toBeCloseTo(bytes / 2e9 + 50e-6, 12);
    expect(fsyncEnd.diskBytesAtAck).toBe(bytes);
    expect(fsyncEnd.laterSeconds).toBe(0);
    // fsync-end: the same receive, then that one flush (its fsync call is a fraction of a microsecond of CPU)
    expect(Math.abs(fsyncEnd.ackSeconds - (pageCache.ackSeconds + pageCache.laterSeconds))).toBeLessThan(1e-6);
    // fsync-each: 64 flushes of 1 MiB, each one request's latency plus its bytes
    expect(fsyncEach.ackSeconds).toBeGreaterThan(64 * (50e-6 + MiB / 2e9));
    expect(fsyncEach.ackSeconds).toBeGreaterThan(fsyncEnd.ackSeconds);
    expect(() => producerModel(profile, "teleport" as never, bytes, MiB)).toThrow(/policy must be one of page-cache, fsync-end, fsync-each/);
  });

  it("probes the flusher before, around and after dirty_expire_centisecs", () => {
    const ages = flusherAges(30, 5);
    expect(ages).toEqual([0.5, 10, 20, 28, 32.5, 37]);
    expect(flusherAges(1, 1)[0]).toBe(0.5); // never a negative or zero age
  });

  it("draws every figure from a real result: titles, axis titles with units, legends, one panel per policy", async () => {
    const result = { ...(await runProducerExperiment({ bytes: MiB, runs: 1, warmup: 0, dir: parent })), profile: profileFixture() };
    const models = producerModels(result);
    const figures = [bytesTimelineFigure(result, models), policyTimeFigure(result, models), writeAccountingFigure(result, models)];
    expect(figures.map((f) => f.id)).toEqual(["producer-timeline", "producer-time", "producer-write-accounting"]);
    const diagram = producerDiagramFigure(producerSteps());
    expect(diagram.id).toBe("producer-diagram");
    expect(diagram.summary).toMatch(/1\.1\s+NIC\s+network → NIC/);
    for (const f of figures) {
      const layout = f.layout as { title: { text: string }; showlegend: boolean; xaxis: { title: { text: string } }; yaxis: { title: { text: string } } };
      expect(layout.title.text).toBeTruthy();
      expect(layout.showlegend).toBe(true);
      expect(layout.yaxis.title.text).toMatch(/\(/); // a unit in parentheses
      expect(f.summary.length).toBeGreaterThan(0);
    }
    const timeline = figures[0].layout as { shapes: { type: string }[]; xaxis2: unknown; xaxis3: unknown };
    expect(timeline.xaxis2).toBeDefined();
    expect(timeline.xaxis3).toBeDefined();
    expect(timeline.shapes.filter((s) => s.type === "line")).toHaveLength(3); // one ack per policy
    expect(flusherFigure(result)).toBeNull();
    expect(policyTableOf(result, models, "model").rows.map((r) => r[0])).toEqual([...PRODUCER_POLICIES]);
    // The loopback device carried at least the payload (system-wide counters: other traffic only adds), and the
    // receive softirq ran.
    for (const run of result.runs) {
      expect(run.net.loopbackBytes).toBeGreaterThanOrEqual(MiB);
      expect(run.net.netRxSoftirqs).toBeGreaterThan(0);
    }
    expect(loopbackTable(loopbackRows(result), MiB).rows).toHaveLength(PRODUCER_POLICIES.length);
  });
});
