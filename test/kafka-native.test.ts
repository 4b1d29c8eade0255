// The addon's pieces for the Kafka broker: non-blocking sendfileSome / writeSome (one system call each,
// -1 when the socket is full), watchWritable (a uv_poll on the event loop: waiting for a slow reader
// never takes one of libuv's pool threads), unwatchWritable, and CRC32C's argument checks. Descriptors
// the watches dup() are closed again.
import { describe, it, expect, beforeAll, afterAll } from "vitest";
import * as fs from "fs";
import * as net from "net";
import * as path from "path";
import * as crypto from "crypto";
import { requireNative } from "../src/native/addon";
import { tempDir, cleanupKafka, sleep } from "./support/kafka";
import { MiB } from "../src/units/sizes";

const addon = requireNative();
let server: net.Server;
let accepted: net.Socket[] = [];
afterAll(async () => {
  for (const s of accepted) s.destroy();
  await new Promise((r) => server.close(r));
  await cleanupKafka();
});

beforeAll(async () => {
  server = net.createServer({ pauseOnConnect: true }, (s) => {
    s.on("error", () => undefined); // the tests reset connections on purpose
    accepted.push(s);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
});

/** A connected pair: `client` (whose fd we write to) and the server side, paused (not reading). */
async function pair(): Promise<{ client: net.Socket; fd: number; peer: net.Socket }> {
  const before = accepted.length;
  const client = net.connect((server.address() as net.AddressInfo).port, "127.0.0.1");
  client.on("error", () => undefined);
  await new Promise((r) => client.once("connect", r));
  while (accepted.length === before) await sleep(5);
  return { client, fd: (client as unknown as { _handle: { fd: number } })._handle.fd, peer: accepted[accepted.length - 1] };
}

const openFds = () => fs.readdirSync("/proc/self/fd").length;

describe("non-blocking sends", () => {
  it("writeSome writes until the socket is full, then returns -1; watchWritable fires once the reader drains it", async () => {
    const { client, fd, peer } = await pair();
    const chunk = Buffer.alloc(MiB, 1);
    let written = 0;
    for (let n; (n = addon.writeSome(fd, chunk, 0, chunk.length)) > 0; ) written += n;
    expect(addon.writeSome(fd, chunk, 0, chunk.length)).toBe(-1);
    let fired: number | null = null;
    addon.watchWritable(fd, (status) => (fired = status));
    await sleep(50);
    expect(fired).toBeNull();
    let received = 0;
    peer.on("data", (d) => (received += d.length));
    peer.resume();
    for (let i = 0; i < 200 && fired === null; i++) await sleep(10);
    expect(fired).toBe(0);
    expect(written).toBeGreaterThan(64 * 1024);
    client.destroy();
  });

  it("waiting writers hold no pool threads: with 8 watches pending, 8 fsyncs still finish at once", async () => {
    const ids: number[] = [];
    const clients: net.Socket[] = [];
    const fdsBefore = openFds();
    for (let i = 0; i < 8; i++) {
      const { client, fd, peer } = await pair();
      while (addon.writeSome(fd, Buffer.alloc(1 * MiB), 0, MiB) > 0);
      ids.push(addon.watchWritable(fd, () => undefined));
      clients.push(client, peer);
    }
    // Each pending watch holds its own dup() of the socket (plus the two ends of each pair).
    expect(openFds()).toBeGreaterThanOrEqual(fdsBefore + 8 * 3 - 1);
    const file = path.join(tempDir("native"), "f");
    fs.writeFileSync(file, "x");
    const fd = fs.openSync(file, "r+");
    const t0 = Date.now();
    await Promise.all(Array.from({ length: 8 }, () => new Promise<void>((resolve, reject) => fs.fsync(fd, (e) => (e ? reject(e) : resolve())))));
    expect(Date.now() - t0).toBeLessThan(2000);
    fs.closeSync(fd);
    for (const id of ids) addon.unwatchWritable(id);
    addon.unwatchWritable(ids[0]); // twice: a no-op
    for (const c of clients) c.destroy();
    await sleep(50);
    expect(openFds()).toBeLessThanOrEqual(fdsBefore);
  });

  it("sendfileSome moves file bytes (verified at the reader), -1 when full, ESHORTFILE past the end", async () => {
    const file = path.join(tempDir("native"), "data");
    // Larger than loopback's socket buffers (4 MiB to send, 6 MiB to receive here), so the socket fills.
    const content = crypto.randomBytes(24 * MiB + 17);
    fs.writeFileSync(file, content);
    const fileFd = fs.openSync(file, "r");
    const { client, fd, peer } = await pair();
    const got: Buffer[] = [];
    let sent = 0;
    let fulls = 0;
    while (sent < content.length) {
      const n = addon.sendfileSome(fileFd, fd, sent, content.length - sent);
      if (n > 0) sent += n;
      else {
        // Full: only now does the reader start reading (pauseOnConnect sockets need an explicit resume).
        if (fulls++ === 0) peer.on("data", (d) => got.push(d)).resume();
        await new Promise<void>((resolve) => addon.watchWritable(fd, () => resolve()));
      }
    }
    if (fulls === 0) peer.on("data", (d) => got.push(d)).resume();
    while (Buffer.concat(got).length < content.length) await sleep(10);
    expect(Buffer.concat(got).equals(content)).toBe(true);
    expect(fulls).toBeGreaterThan(0);
    expect(() => addon.sendfileSome(fileFd, fd, content.length, 10)).toThrow(expect.objectContaining({ code: "ESHORTFILE" }));
    expect(() => addon.sendfileSome(fileFd, fd, -1, 10)).toThrow(RangeError);
    fs.closeSync(fileFd);
    client.destroy();
  });

  it("a write to a socket the peer closed throws an error with a code (EPIPE, ECONNRESET, or EBADF once Node closed it), not a crash", async () => {
    const { client, fd, peer } = await pair();
    peer.destroy();
    await sleep(50);
    let error: (Error & { code?: string }) | null = null;
    try {
      for (let i = 0; i < 10; i++) addon.writeSome(fd, Buffer.alloc(65536), 0, 65536);
    } catch (e) {
      error = e as Error & { code?: string };
    }
    expect(error?.code).toMatch(/^(EPIPE|ECONNRESET|EBADF)$/);
    client.destroy();
  });

  it("crc32c checks its arguments", () => {
    expect(() => addon.crc32c("abc" as unknown as Uint8Array)).toThrow(TypeError);
    expect(() => addon.crc32c(Buffer.alloc(4), 5)).toThrow(RangeError);
    expect(() => addon.crc32c(Buffer.alloc(4), 3, 2)).toThrow(/start must not be after end/);
    expect(addon.crc32c(Buffer.alloc(0))).toBe(0);
  });
});
