// Helpers for the Kafka tests: temp folders that are always removed, the real `workbook broker` command
// as a child process, kcat, an in-process broker, and a raw socket for hand-made requests. Everything
// started here is registered and torn down by cleanupKafka() (call it in afterAll).
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as net from "net";
import { spawn, ChildProcess } from "child_process";
import { startBroker, Broker } from "../../src/kafka/broker/broker";
import type { BrokerConfig } from "../../src/kafka/broker/broker-config";

const REPO = path.resolve(__dirname, "..", "..");
const dirs: string[] = [];
const children = new Set<ChildProcess>();
const brokers = new Set<Broker>();
const sockets = new Set<net.Socket>();

/** A fresh temp folder, removed by cleanupKafka(). */
export function tempDir(prefix: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `workbook-test-${prefix}-`));
  dirs.push(dir);
  return dir;
}

/** Stops everything this module started and removes every temp folder. */
export async function cleanupKafka(): Promise<void> {
  for (const s of sockets) s.destroy();
  for (const b of brokers) await b.close().catch(() => undefined);
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill("SIGKILL");
  await Promise.all([...children].map((c) => (c.exitCode !== null || c.signalCode !== null ? null : new Promise((r) => c.once("exit", r)))));
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
}

/** A broker in this process (for protocol and log tests that inspect its state). */
export async function inProcessBroker(options: Partial<BrokerConfig> & { dataDir?: string } = {}): Promise<Broker & { logLines: string[] }> {
  const logLines: string[] = [];
  const broker = await startBroker({ port: 0, dataDir: options.dataDir ?? path.join(tempDir("broker"), "data"), log: (l) => logLines.push(l), ...options });
  brokers.add(broker);
  const close = broker.close;
  return Object.assign(broker, { logLines, close: () => (brokers.delete(broker), close()) });
}

/** `workbook broker` as a reader runs it: a child process, port parsed from its first line. */
export interface BrokerCli {
  port: number;
  bootstrap: string;
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  /** Sends a signal and resolves with the exit code (or signal name). */
  stop(signal?: NodeJS.Signals): Promise<number | string>;
  kill9(): Promise<void>;
}

export function runWorkbook(args: string[]): { child: ChildProcess; stdout: () => string; stderr: () => string; exited: Promise<number | string> } {
  const child = spawn(process.execPath, [path.join(REPO, "src/cli/workbook.cjs"), ...args], { cwd: REPO, stdio: ["ignore", "pipe", "pipe"] });
  children.add(child);
  let out = "";
  let err = "";
  child.stdout!.on("data", (d) => (out += d));
  child.stderr!.on("data", (d) => (err += d));
  const exited = new Promise<number | string>((resolve) => child.once("exit", (code, signal) => resolve(code ?? signal ?? -1)));
  return { child, stdout: () => out, stderr: () => err, exited };
}

export async function brokerCli(dataDir: string, extra: string[] = []): Promise<BrokerCli> {
  const run = runWorkbook(["broker", "--port", "0", "--dir", dataDir, ...extra]);
  const deadline = Date.now() + 60_000;
  let port = 0;
  while (!port) {
    // The last line it prints at start-up is the kcat hint; by then every other line is out.
    const match = /listening on [^\s]+:(\d+)[\s\S]*try: kcat/.exec(run.stdout());
    if (match) port = Number(match[1]);
    else if (run.child.exitCode !== null) throw new Error(`workbook broker exited ${run.child.exitCode}: ${run.stderr()}`);
    else if (Date.now() > deadline) throw new Error(`workbook broker did not start: ${run.stderr()}`);
    else await sleep(50);
  }
  return {
    port,
    bootstrap: `127.0.0.1:${port}`,
    child: run.child,
    stdout: run.stdout,
    stderr: run.stderr,
    stop: async (signal = "SIGTERM") => {
      if (run.child.exitCode === null && run.child.signalCode === null) run.child.kill(signal);
      return run.exited;
    },
    kill9: async () => {
      if (run.child.exitCode === null && run.child.signalCode === null) run.child.kill("SIGKILL");
      await run.exited;
    },
  };
}

/** Runs kcat; stdin from `input`. Resolves with its exit code and output (never rejects on a non-zero exit). */
export function kcat(args: string[], input?: string | Buffer, timeoutMs = 30_000): Promise<{ code: number | null; stdout: Buffer; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn("kcat", args, { stdio: ["pipe", "pipe", "pipe"] });
    children.add(child);
    const out: Buffer[] = [];
    let err = "";
    child.stdout.on("data", (d: Buffer) => out.push(d));
    child.stderr.on("data", (d) => (err += d));
    const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
    child.on("error", reject);
    child.on("exit", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout: Buffer.concat(out), stderr: err });
    });
    child.stdin.on("error", () => undefined);
    child.stdin.end(input ?? "");
  });
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** A raw TCP client for hand-made frames: what comes back, and whether the broker closed the connection. */
export class RawClient {
  private buffer = Buffer.alloc(0);
  private waiters: Array<() => void> = [];
  closed = false;

  private constructor(readonly socket: net.Socket) {
    socket.on("data", (d: Buffer) => {
      this.buffer = Buffer.concat([this.buffer, d]);
      this.wake();
    });
    socket.on("close", () => {
      this.closed = true;
      this.wake();
    });
    socket.on("error", () => undefined);
  }

  static async connect(port: number): Promise<RawClient> {
    const socket = net.connect(port, "127.0.0.1");
    sockets.add(socket);
    await new Promise<void>((resolve, reject) => {
      socket.once("connect", () => resolve());
      socket.once("error", reject);
    });
    return new RawClient(socket);
  }

  private wake(): void {
    for (const w of this.waiters.splice(0)) w();
  }

  write(bytes: Buffer): void {
    this.socket.write(bytes);
  }

  /** The next response frame (without its size), or null if the connection closed first. */
  async frame(timeoutMs = 5000): Promise<Buffer | null> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (this.buffer.length >= 4) {
        const size = this.buffer.readInt32BE(0);
        if (this.buffer.length >= 4 + size) {
          const frame = this.buffer.subarray(4, 4 + size);
          this.buffer = this.buffer.subarray(4 + size);
          return frame;
        }
      }
      if (this.closed) return null;
      if (Date.now() > deadline) throw new Error("no response frame in time");
      await new Promise<void>((resolve) => {
        this.waiters.push(resolve);
        setTimeout(resolve, 50);
      });
    }
  }

  /** Resolves true once the broker has closed the connection (false after the timeout). */
  async waitClosed(timeoutMs = 5000): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    while (!this.closed && Date.now() < deadline) await sleep(20);
    return this.closed;
  }

  close(): void {
    this.socket.destroy();
  }
}
