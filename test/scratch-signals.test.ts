// Nothing is left behind when a run is stopped: a signal while the data file is being written stops the writing
// within a chunk or two and removes the scratch folder (SIGINT, SIGTERM, and SIGHUP as a closed terminal sends it);
// a run killed with SIGKILL cannot clean up, so the next run recognises its scratch folder as stale (owner pid and
// start time) and removes it, naming it in one line; a folder whose owner still runs is never touched.
import { describe, it, expect, afterAll } from "vitest";
import { spawn, spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import * as crypto from "crypto";
import { processesWithMarker, scratchParent } from "./transfer-helpers";
import { removeStaleScratchDirs, scratchOwner, spareBytes, makeScratchDir } from "../src/cleanup/scratch-dir";
import { ownerTag } from "../src/cleanup/process-identity";
import { setCleanupNotices } from "../src/cleanup/notices";
import { GiB, MiB } from "../src/units/sizes";

const repo = path.resolve(__dirname, "..");
const bin = path.join(repo, "src", "cli", "workbook.cjs");
const parent = scratchParent("signals");
afterAll(() => fs.rmSync(parent, { recursive: true, force: true }));

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The data file inside the one scratch folder under `dir`, if it exists yet. */
function dataFileIn(dir: string): string | undefined {
  for (const scratch of fs.readdirSync(dir)) {
    const files = fs.existsSync(path.join(dir, scratch)) ? fs.readdirSync(path.join(dir, scratch)).filter((f) => f.startsWith("data-")) : [];
    if (files.length) return path.join(dir, scratch, files[0]);
  }
  return undefined;
}

const sizeOf = (file: string | undefined) => (file && fs.existsSync(file) ? fs.statSync(file).size : 0);

/** Starts `workbook transfer` on a big file, waits until its data file holds 16 MiB, and sends `signal`.
 *  Returns how large the data file grew after the signal and how the process ended. */
async function signalWhileWriting(signal: NodeJS.Signals) {
  const dir = fs.mkdtempSync(path.join(parent, `${signal}-`));
  const marker = `WORKBOOK_TEST_${crypto.randomBytes(6).toString("hex")}`;
  const cli = spawn(process.execPath, [bin, "transfer", "--bytes", "2GiB", "--path", "sendfile", "--runs", "1", "--warmup", "0", "--dir", dir], {
    cwd: repo,
    env: { ...process.env, [marker]: "1" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stderr = "";
  cli.stderr.on("data", (d) => (stderr += d));
  const exited = new Promise<{ code: number | null; signal: string | null }>((resolve) => cli.on("exit", (code, sig) => resolve({ code, signal: sig })));
  let file: string | undefined;
  for (const deadline = Date.now() + 60_000; Date.now() < deadline && sizeOf(file) < 16 * MiB; await sleep(5)) file = dataFileIn(dir);
  const atSignal = sizeOf(file);
  cli.kill(signal);
  let largest = atSignal;
  let done: { code: number | null; signal: string | null } | undefined;
  void exited.then((e) => (done = e));
  while (!done) {
    largest = Math.max(largest, sizeOf(file));
    await sleep(2);
  }
  await sleep(300); // let the children notice their parent is gone
  return { atSignal, largest, ...done, stderr, left: fs.readdirSync(dir), processes: processesWithMarker(marker) };
}

describe("a signal while the data file is being written", () => {
  for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
    it(`${signal}: writing stops within a few chunks, the scratch folder is removed, no process is left`, async () => {
      const r = await signalWhileWriting(signal);
      expect(r.atSignal).toBeGreaterThanOrEqual(16 * MiB);
      // 4 MiB chunks: a signal is seen before the next one; a loop that never yields would write all 2 GiB first.
      expect(r.largest - r.atSignal, `grew from ${r.atSignal} to ${r.largest} bytes after ${signal}`).toBeLessThanOrEqual(64 * MiB);
      expect(r.signal, r.stderr).toBe(signal);
      expect(r.left).toEqual([]);
      expect(r.processes).toEqual([]);
    });
  }

  it("closing the terminal (the kernel hangs up the session) removes everything too", () => {
    const dir = fs.mkdtempSync(path.join(parent, "hangup-"));
    const marker = `WORKBOOK_TEST_${crypto.randomBytes(6).toString("hex")}`;
    const args = [bin, "transfer", "--bytes", "2GiB", "--path", "sendfile", "--runs", "1", "--warmup", "0", "--dir", dir];
    const r = spawnSync("/usr/bin/python3", ["-c", HANG_UP_TERMINAL, process.execPath, dir, ...args], {
      cwd: repo,
      env: { ...process.env, [marker]: "1" },
      encoding: "utf8",
      timeout: 100_000,
    });
    expect(r.status, r.stderr).toBe(0);
    const seen = JSON.parse(r.stdout) as { atHangup: number; largest: number; signal: number; output: string };
    expect(seen.atHangup, seen.output).toBeGreaterThanOrEqual(16 * MiB);
    expect(seen.largest - seen.atHangup).toBeLessThanOrEqual(64 * MiB);
    expect(seen.signal, seen.output).toBe(1); // SIGHUP
    spawnSync("sleep", ["0.3"]);
    expect(fs.readdirSync(dir)).toEqual([]);
    expect(processesWithMarker(marker)).toEqual([]);
  });
});

/** Runs argv[3:] on a new pseudo-terminal, as a terminal window runs a command; once the data file in argv[2] holds
 *  16 MiB it closes the terminal (the kernel sends SIGHUP to the session), then reports what it saw as JSON. */
const HANG_UP_TERMINAL = `
import glob, json, os, pty, select, sys, time
node, folder, args = sys.argv[1], sys.argv[2], sys.argv[3:]
def size():
    files = glob.glob(os.path.join(folder, "*", "data-*"))
    try:
        return os.path.getsize(files[0]) if files else 0
    except OSError:
        return 0
pid, fd = pty.fork()
if pid == 0:
    os.execv(node, [node] + args)
output, deadline = b"", time.time() + 60
while size() < 16 * 2**20 and time.time() < deadline:
    if select.select([fd], [], [], 0.005)[0]:
        try:
            output += os.read(fd, 4096)
        except OSError:
            break
at_hangup = size()
os.close(fd)
largest = at_hangup
while True:
    done, status = os.waitpid(pid, os.WNOHANG)
    largest = max(largest, size())
    if done:
        break
    time.sleep(0.002)
print(json.dumps({"atHangup": at_hangup, "largest": largest, "signal": os.WTERMSIG(status) if os.WIFSIGNALED(status) else -os.WEXITSTATUS(status), "output": output.decode(errors="replace")[-500:]}))
`;

describe("stale scratch folders", () => {
  it("reads the owner back from a scratch folder's name, and only from one", () => {
    expect(scratchOwner("workbook-broker-bench-1234-567890-AbC123")).toEqual({ pid: 1234, startTicks: 567890 });
    expect(scratchOwner("workbook-transfer-Ab12cd")).toBeUndefined(); // the older, ownerless name: never touched
    expect(scratchOwner("something-else-1-2-abcdef")).toBeUndefined();
  });

  it("removes folders whose owner is gone or whose pid now belongs to another process, never a live owner's", () => {
    const dir = fs.mkdtempSync(path.join(parent, "sweep-"));
    const live = path.join(dir, `workbook-transfer-${ownerTag()}-Live01`);
    const reused = path.join(dir, `workbook-transfer-${process.pid}-1-Reuse1`); // this pid, another start time
    const gone = path.join(dir, `workbook-disk-999999999-1-Gone01`);
    const other = path.join(dir, "workbook-transfer-Old001");
    for (const d of [live, reused, gone, other]) fs.mkdirSync(d);
    fs.writeFileSync(path.join(gone, "disk.bin"), Buffer.alloc(MiB, 1));
    const heard: string[] = [];
    const restore = setCleanupNotices((line) => heard.push(line));
    let lines: string[];
    try {
      lines = removeStaleScratchDirs(dir);
    } finally {
      restore();
    }
    expect(fs.readdirSync(dir).sort()).toEqual([path.basename(live), path.basename(other)].sort());
    expect(lines).toHaveLength(2);
    expect(lines).toContainEqual(expect.stringMatching(new RegExp(`^removed stale scratch folder ${gone} \\(1\\.\\d+ MiB; its owner, pid 999999999, is gone\\)$`)));
    expect(lines).toContainEqual(expect.stringMatching(new RegExp(`^removed stale scratch folder ${reused} \\([\\d.]+ KiB; its owner, pid ${process.pid}, is gone\\)$`)));
    expect(heard).toEqual(lines);
  });

  it("a run killed with SIGKILL leaves its folder; the next run removes it and says so in one line", async () => {
    const dir = fs.mkdtempSync(path.join(parent, "killed-"));
    const cli = spawn(process.execPath, [bin, "transfer", "--bytes", "32MiB", "--path", "sendfile", "--runs", "500", "--dir", dir], { cwd: repo, stdio: "ignore" });
    for (const deadline = Date.now() + 60_000; Date.now() < deadline && sizeOf(dataFileIn(dir)) < 32 * MiB; ) await sleep(20);
    const exited = new Promise((resolve) => cli.on("exit", resolve));
    cli.kill("SIGKILL");
    await exited;
    const [stale] = fs.readdirSync(dir);
    expect(scratchOwner(stale)?.pid).toBe(cli.pid);
    const next = spawnSync(process.execPath, [bin, "transfer", "--bytes", "1MiB", "--path", "sendfile", "--runs", "1", "--warmup", "0", "--dir", dir], { cwd: repo, encoding: "utf8", timeout: 110_000 });
    expect(next.status, next.stderr).toBe(0);
    expect(next.stderr).toMatch(new RegExp(`^workbook transfer: removed stale scratch folder ${path.join(dir, stale)} \\(3\\d\\.\\d+ MiB; its owner, pid ${cli.pid}, is gone\\)\n$`));
    expect(fs.readdirSync(dir)).toEqual([]);
  });
});

describe("free space", () => {
  it("keeps a tenth of what an experiment writes free, and at least 256 MiB", () => {
    expect(spareBytes(0)).toBe(256 * MiB);
    expect(spareBytes(GiB)).toBe(256 * MiB);
    expect(spareBytes(64 * GiB)).toBeCloseTo(6.4 * GiB, -3);
  });

  it("refuses a file that leaves less than that: 64 GiB needs more than 65 GiB free", () => {
    const free = fs.statfsSync(parent).bavail * fs.statfsSync(parent).bsize;
    // the largest request a fixed 256 MiB margin would let through
    const need = free - 256 * MiB - MiB;
    expect(() => makeScratchDir("space", need, parent)).toThrow(/^not enough free space in .*: the experiment needs .* \(\+.* spare\), .* is free; use a smaller size or another directory$/);
    expect(fs.readdirSync(parent).filter((n) => n.startsWith("workbook-space-"))).toEqual([]);
  });
});
