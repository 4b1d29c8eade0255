// Shaped links end to end, against the real ip and tc: a namespace is made whole or not at all, removed on
// success, on a failed run and on SIGINT/SIGTERM/SIGHUP; a stale one (its owner killed) is removed by the
// next run; without root or tc nothing is made; and a 1 Gbit/s link paces a transfer to bytes / rate.
// Other test files make namespaces at the same time (notebooks 2b and 6, the broker's fan-out through links), so
// a test judges only its own: this process's, or those a finished command left (a dead owner's). A sweep only ever
// removes namespaces of dead owners, so no sweep races another test's live ones.
import { describe, it, expect, afterAll, afterEach } from "vitest";
import { spawn, spawnSync, execFileSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as crypto from "crypto";
import { createLinkNamespace } from "../src/link/namespace";
import { staleNamespaces, removeStaleNamespaces } from "../src/link/stale";
import { deleteNamespace } from "../src/link/netns";
import { runTransferOverLinks } from "../src/experiments/link-transfer";
import { liveCount } from "../src/cleanup/registry";
import { childrenOf, processesWithMarker, scratchParent, scriptOf } from "./transfer-helpers";
import { namespaces, namespacesOf, netnsOfProcess, netnsOfName, waitFor, leftBehind } from "./link-helpers";
import { MiB } from "../src/units/sizes";

const repo = path.resolve(__dirname, "..");
const bin = path.join(repo, "src", "cli", "workbook.cjs");
const parent = scratchParent("link");

afterEach(() => {
  // Whatever a test did, this process owns no namespace, no child and nothing registered for cleanup.
  expect(namespacesOf(process.pid)).toEqual([]);
  expect(childrenOf(process.pid)).toEqual([]);
  expect(liveCount()).toBe(0);
});

afterAll(() => fs.rmSync(parent, { recursive: true, force: true }));


describe("a link namespace", () => {
  it("shaped: made whole (listed, lo up, tbf at the rate), and dispose() removes it; twice is harmless", () => {
    const link = createLinkNamespace(1e9);
    try {
      expect(namespacesOf(process.pid)).toEqual([link.name]);
      const lo = JSON.parse(execFileSync("ip", ["netns", "exec", link.name, "ip", "-j", "link", "show", "lo"], { encoding: "utf8" }))[0];
      expect(lo.flags).toContain("UP");
      const [qdisc] = JSON.parse(execFileSync("ip", ["netns", "exec", link.name, "tc", "-j", "qdisc", "show", "dev", "lo"], { encoding: "utf8" }));
      expect(qdisc).toMatchObject({ kind: "tbf", root: true, options: { rate: 125_000_000, burst: 250_000 } }); // tc reports bytes/s
      expect(link.describe()).toEqual({
        rateBitsPerSecond: 1e9,
        namespace: link.name,
        qdisc: "tbf rate 1Gbit burst 250000b lat 50ms",
        burstBytes: 250_000,
        latencyMs: 50,
        qdiscStats: { sentBytes: 0, sentPackets: 0, drops: 0, overlimits: 0 },
      });
    } finally {
      link.dispose();
    }
    expect(namespaces()).not.toContain(link.name);
    expect(() => link.dispose()).not.toThrow();
  });

  it("unshaped: lo up and no qdisc of its own (loopback's default noqueue)", () => {
    const link = createLinkNamespace(null);
    try {
      const shown = execFileSync("ip", ["netns", "exec", link.name, "tc", "qdisc", "show", "dev", "lo"], { encoding: "utf8" });
      expect(shown).toMatch(/^qdisc noqueue /);
      expect(link.describe()).toMatchObject({ rateBitsPerSecond: null, qdisc: null, burstBytes: null, qdiscStats: null });
    } finally {
      link.dispose();
    }
  });

  it("a step that fails undoes the earlier ones: a tc that rejects tbf leaves no namespace behind", () => {
    const fake = fs.mkdtempSync(path.join(os.tmpdir(), "workbook-test-fake-tc-"));
    fs.writeFileSync(
      path.join(fake, "tc"),
      `#!/bin/sh\ncase "$*" in *"qdisc add"*) echo "Error: Specified qdisc kind is unknown." >&2; exit 2;; esac\nexec ${execFileSync("sh", ["-c", "command -v tc"], { encoding: "utf8" }).trim()} "$@"\n`,
      { mode: 0o755 },
    );
    const before = namespaces();
    const savedPath = process.env.PATH;
    process.env.PATH = `${fake}${path.delimiter}${savedPath}`;
    try {
      expect(() => createLinkNamespace(1e9)).toThrow(/\/tc qdisc add dev lo root tbf rate 1000000000bit burst 250000 latency 50ms failed: Error: Specified qdisc kind is unknown\.$/);
    } finally {
      process.env.PATH = savedPath;
      fs.rmSync(fake, { recursive: true, force: true });
    }
    expect(namespacesOf(process.pid).filter((n) => !before.includes(n))).toEqual([]);
  });

  it("stale: a dead owner's or a reused pid's namespace is stale; a live owner's and a foreign one are not", () => {
    const live = createLinkNamespace(null); // first: making one sweeps stale ones
    const reused = `workbook-link-${process.pid}-1-0`; // our pid, but not our start time: another process made it
    const foreign = `other-test-${crypto.randomBytes(4).toString("hex")}`;
    execFileSync("ip", ["netns", "add", reused]);
    execFileSync("ip", ["netns", "add", foreign]);
    try {
      const stale = staleNamespaces("ip");
      expect(stale).toContain(reused);
      expect(stale).not.toContain(live.name);
      expect(stale).not.toContain(foreign);
      expect(removeStaleNamespaces("ip")).toContain(`removed stale network namespace ${reused} (its owner, pid ${process.pid}, is gone)`);
      expect(namespaces()).not.toContain(reused);
      expect(namespaces()).toContain(live.name);
      expect(namespaces()).toContain(foreign);
      expect(() => deleteNamespace("ip", reused)).not.toThrow(); // already gone (another run's sweep): nothing to do
    } finally {
      live.dispose();
      execFileSync("ip", ["netns", "delete", foreign]);
      if (namespaces().includes(reused)) execFileSync("ip", ["netns", "delete", reused]);
    }
  });
});

describe("transfers through a link", () => {
  it("receiver and senders run inside the namespace; a run that fails (receiver killed) still removes it", async () => {
    const running = runTransferOverLinks({ links: [1e9], paths: ["sendfile"], bytes: 64 * MiB, runs: 100, warmup: 0, dir: parent });
    const outcome = running.then(() => "resolved", (error: Error) => error.message);
    const childScripts = () => childrenOf(process.pid).map((pid) => [pid, scriptOf(pid)] as const);
    expect(await waitFor(() => childScripts().some(([, s]) => s === "sender.ts"), 60_000)).toBe(true);
    const [name] = namespacesOf(process.pid);
    const kids = childScripts();
    expect(kids.map(([, s]) => s).sort()).toEqual(["receiver.ts", "sender.ts"]);
    for (const [pid] of kids) expect(netnsOfProcess(pid)).toBe(netnsOfName(name));
    expect(netnsOfProcess(process.pid)).not.toBe(netnsOfName(name));
    process.kill(kids.find(([, s]) => s === "receiver.ts")![0], "SIGKILL");
    expect(await outcome).toMatch(/receiver|ECONN|EPIPE/); // the run failed (how depends on when the receiver died)
    expect(namespaces()).not.toContain(name);
    expect(fs.readdirSync(parent)).toEqual([]);
  });

  it("shaped at 1 Gbit/s: sendfile and c-read-write take bytes / rate within 15% (median), none beats the link, every byte verified", async () => {
    const bytes = 128 * MiB;
    const [result] = await runTransferOverLinks({ links: [1e9], paths: ["sendfile", "c-read-write"], bytes, runs: 3, warmup: 1, dir: parent });
    const linkSeconds = 1.073741824; // 128 MiB = 1073741824 bits at 10^9 bit/s
    expect(result.runs).toHaveLength(6);
    for (const run of result.runs) {
      expect(run.receivedBytes).toBe(bytes);
      expect(run.receivedChecksum).toBe(result.conditions.fileChecksum);
      expect(run.wallSeconds, `${run.path} run ${run.round}`).toBeGreaterThan(0.85 * linkSeconds);
    }
    // The median, not every run: with the whole suite running beside it, one run in three was seen 24-27% over.
    for (const path of ["sendfile", "c-read-write"]) {
      const walls = result.runs.filter((r) => r.path === path).map((r) => r.wallSeconds).sort((x, y) => x - y);
      expect(walls[1], `${path}: ${walls.join(", ")} s`).toBeLessThan(1.15 * linkSeconds);
    }
    const link = result.conditions.link!;
    expect(link).toMatchObject({ rateBitsPerSecond: 1e9, qdisc: "tbf rate 1Gbit burst 250000b lat 50ms", burstBytes: 250_000, latencyMs: 50 });
    // All 8 transfers (2 warm-up) went through the qdisc, waited for tokens, and none was dropped.
    expect(link.qdiscStats!.sentBytes).toBeGreaterThan(8 * bytes);
    expect(link.qdiscStats!.overlimits).toBeGreaterThan(0);
    expect(link.qdiscStats!.drops).toBe(0);
    expect(fs.readdirSync(parent)).toEqual([]);
  });
});

describe("transfers through several links", () => {
  it("keep every namespace for the whole run and alternate between them round by round; each run records every CPU's busy time and its background windows", async () => {
    const seen: Array<number | null> = [];
    const alive: number[] = [];
    const results = await runTransferOverLinks({
      links: [1e9, null],
      paths: ["sendfile"],
      bytes: 4 * MiB,
      runs: 2,
      warmup: 0,
      backgroundWindowMs: 20,
      dir: parent,
      onProgress: (p) => {
        seen.push(p.link);
        alive.push(namespacesOf(process.pid).length);
      },
    });
    // Round 0 runs the links in the order given, round 1 rotated by one: no link always runs first.
    expect(seen).toEqual([1e9, null, null, 1e9]);
    expect(alive).toEqual([2, 2, 2, 2]);
    expect(results.map((r) => r.conditions.link!.rateBitsPerSecond)).toEqual([1e9, null]);
    for (const result of results) {
      expect(result.conditions.backgroundWindowMs).toBe(20);
      expect(result.runs.map((r) => r.round)).toEqual([0, 1]);
      for (const run of result.runs) {
        expect(run.receivedChecksum).toBe(result.conditions.fileChecksum);
        // /proc/stat counts in 10 ms ticks: whole multiples of 10, never negative.
        for (const ms of [run.machineBusyMs!, run.backgroundBeforeBusyMs!, run.backgroundAfterBusyMs!]) {
          expect(ms % 10).toBe(0);
          expect(ms).toBeGreaterThanOrEqual(0);
        }
        expect(run.backgroundWindowMs).toBeGreaterThanOrEqual(19);
      }
    }
    expect(fs.readdirSync(parent)).toEqual([]);
  });
});

describe("chapter 2b without root", () => {
  it("workbook run --only link as nobody: one line saying what is missing, nothing measured, no namespace made", () => {
    const before = namespaces();
    const out = fs.mkdtempSync(path.join(os.tmpdir(), "workbook-link-chapter-"));
    fs.chmodSync(out, 0o777); // nobody writes its result folder there
    try {
      const r = spawnSync("setpriv", ["--reuid=65534", "--regid=65534", "--clear-groups", process.execPath, bin, "run", "--quick", "--only", "link", "--out", out], { cwd: repo, encoding: "utf8", timeout: 60_000 });
      expect(r.status).toBe(1);
      expect(r.stderr).toMatch(/1 experiment\(s\) failed: link/);
      const run = JSON.parse(fs.readFileSync(path.join(out, "run.json"), "utf8"));
      expect(run.outcomes).toHaveLength(1);
      expect(run.outcomes[0].ok).toBe(false);
      expect(run.outcomes[0].error).toBe(
        "This chapter needs root (this process lacks CAP_SYS_ADMIN and CAP_NET_ADMIN) to make its links (network namespaces shaped with tc); " +
          "run it as root (sudo) with iproute2 installed. Nothing was measured.",
      );
      expect(fs.existsSync(path.join(out, "link.json"))).toBe(false);
      expect(leftBehind(before)).toEqual([]);
    } finally {
      fs.rmSync(out, { recursive: true, force: true });
    }
  });
});

describe("workbook transfer --link", () => {
  /** Runs the CLI to completion. */
  function workbook(args: string[], options: { env?: NodeJS.ProcessEnv; prefix?: string[] } = {}) {
    const [command, ...rest] = [...(options.prefix ?? []), process.execPath, bin, "transfer", ...args];
    return spawnSync(command, rest, { cwd: repo, encoding: "utf8", timeout: 110_000, env: options.env ?? process.env });
  }

  it("--json lists one result per rate, the link in each one's conditions; the table names each link", () => {
    const out = path.join(os.tmpdir(), `workbook-test-link-${process.pid}.json`);
    const r = workbook(["--link", "1gbit,unshaped", "--path", "sendfile,c-read-write", "--bytes", "1MiB", "--runs", "1", "--warmup", "0", "--json", "--out", out, "--dir", parent]);
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    const results = JSON.parse(r.stdout);
    expect(JSON.parse(fs.readFileSync(out, "utf8"))).toEqual(results); // --out holds the same array
    fs.rmSync(out);
    expect(results).toHaveLength(2);
    expect(results.map((x: { conditions: { link: { rateBitsPerSecond: number | null } } }) => x.conditions.link.rateBitsPerSecond)).toEqual([1e9, null]);
    for (const result of results) {
      expect(result.kind).toBe("transfer");
      expect(result.summaries.map((s: { path: string }) => s.path)).toEqual(["sendfile", "c-read-write"]);
      for (const run of result.runs) expect(run.receivedChecksum).toBe(result.conditions.fileChecksum);
    }
    expect(results[0].conditions.fileChecksum).toBe(results[1].conditions.fileChecksum); // one data file for every link
    expect(namespacesOf(r.pid!)).toEqual([]);

    const table = workbook(["--link", "2.5gbit", "--path", "sendfile", "--bytes", "1MiB", "--runs", "1", "--warmup", "0", "--dir", parent]);
    expect(table.status).toBe(0);
    expect(table.stdout).toMatch(/^link: 2\.5 Gbit\/s \(tbf rate 2500Mbit burst 62\d{4}b lat 50ms on the loopback of network namespace workbook-link-\d+-\d+-0; 0 packets dropped, \d+ waits for tokens\)\n/);
    expect(table.stdout).toMatch(/\nwall time \/ \(bytes \/ rate = 0\.003 s\): sendfile \d+\.\d\dx\n1 MiB over loopback TCP/);
    expect(fs.readdirSync(parent)).toEqual([]);
  });

  it("without --link the result has no link in its conditions", () => {
    const r = workbook(["--path", "sendfile", "--bytes", "64KiB", "--runs", "1", "--warmup", "0", "--json", "--dir", parent]);
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout).conditions).not.toHaveProperty("link");
  });

  for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
    it(`${signal} mid-run removes the namespace, the scratch dir, the receiver and the sender`, async () => {
      const marker = `WORKBOOK_TEST_${crypto.randomBytes(6).toString("hex")}`;
      const cli = spawn(process.execPath, [bin, "transfer", "--link", "1gbit", "--path", "sendfile", "--bytes", "16MiB", "--runs", "500", "--dir", parent], {
        cwd: repo,
        env: { ...process.env, [marker]: "1" },
        stdio: ["ignore", "pipe", "pipe"],
      });
      const exited = new Promise<{ code: number | null; signal: string | null }>((resolve) => cli.on("exit", (code, sig) => resolve({ code, signal: sig })));
      expect(await waitFor(() => namespacesOf(cli.pid!).length === 1 && processesWithMarker(marker).length >= 3, 60_000)).toBe(true);
      const [name] = namespacesOf(cli.pid!); // the CLI, its receiver and a sender are running
      cli.kill(signal);
      expect((await exited).signal).toBe(signal);
      expect(await waitFor(() => processesWithMarker(marker).length === 0, 5_000)).toBe(true);
      expect(namespaces()).not.toContain(name);
      expect(fs.readdirSync(parent)).toEqual([]);
    });
  }

  it("a namespace left by a killed run (SIGKILL: no cleanup) is found and removed by the next run, which names it", async () => {
    const marker = `WORKBOOK_TEST_${crypto.randomBytes(6).toString("hex")}`;
    const killed = spawn(process.execPath, [bin, "transfer", "--link", "1gbit", "--path", "sendfile", "--bytes", "16MiB", "--runs", "500", "--dir", parent], {
      cwd: repo,
      env: { ...process.env, [marker]: "1" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    const exited = new Promise((resolve) => killed.on("exit", resolve));
    expect(await waitFor(() => namespacesOf(killed.pid!).length === 1 && processesWithMarker(marker).length >= 2, 60_000)).toBe(true);
    const [stale] = namespacesOf(killed.pid!);
    killed.kill("SIGKILL");
    await exited;
    expect(await waitFor(() => processesWithMarker(marker).length === 0, 5_000)).toBe(true); // children leave when IPC closes
    expect(namespaces()).toContain(stale); // nobody cleaned up
    fs.rmSync(parent, { recursive: true, force: true }); // the killed run's scratch dir: not the link's to remove
    fs.mkdirSync(parent);

    const next = workbook(["--link", "unshaped", "--path", "sendfile", "--bytes", "64KiB", "--runs", "1", "--warmup", "0", "--dir", parent]);
    expect(next.stderr).toBe(`workbook transfer: removed stale network namespace ${stale} (its owner, pid ${killed.pid}, is gone)\n`);
    expect(next.status).toBe(0);
    expect(namespaces()).not.toContain(stale);
  });

  it("not root (setpriv to nobody): one line saying what is missing and what to do, exit 2, nothing made", () => {
    const before = namespaces();
    fs.chmodSync(parent, 0o1777); // nobody may write there, so the missing privilege is the only thing wrong
    const r = workbook(["--link", "1gbit", "--bytes", "1MiB", "--dir", parent], { prefix: ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"] });
    expect(r.stderr).toBe(
      "workbook transfer: --link: a link (a network namespace shaped with tc) needs root (this process lacks CAP_SYS_ADMIN and CAP_NET_ADMIN): run it as root (sudo)\n",
    );
    expect(r.status).toBe(2);
    expect(r.stdout).toBe("");
    expect(leftBehind(before)).toEqual([]);
    expect(fs.readdirSync(parent)).toEqual([]);
  });

  it("no tc on PATH: one line saying what is missing and what to do, exit 2, nothing made", () => {
    const onlyIp = fs.mkdtempSync(path.join(os.tmpdir(), "workbook-test-no-tc-"));
    fs.symlinkSync(execFileSync("sh", ["-c", "command -v ip"], { encoding: "utf8" }).trim(), path.join(onlyIp, "ip"));
    const before = namespaces();
    try {
      const r = workbook(["--link", "unshaped", "--bytes", "1MiB", "--dir", parent], { env: { ...process.env, PATH: onlyIp } });
      expect(r.stderr).toBe(
        "workbook transfer: --link: a link (a network namespace shaped with tc) needs `tc` on PATH: install iproute2 (apt-get install iproute2) or add its directory (/usr/sbin) to PATH\n",
      );
      expect(r.status).toBe(2);
    } finally {
      fs.rmSync(onlyIp, { recursive: true, force: true });
    }
    expect(leftBehind(before)).toEqual([]);
    expect(fs.readdirSync(parent)).toEqual([]);
  });
});
