// The native addon and its public API (src/native/zero-copy.ts): byte-exact delivery, ordering with
// socket.write(), clear errors, and the page-cache / rusage helpers the experiments rely on.
import { describe, it, expect, beforeAll, afterAll } from "vitest";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as net from "net";
import * as crypto from "crypto";
import { sendfileToSocket, spliceToSocket, nativeAvailable, transferToSocket } from "../src/native/zero-copy";
import { requireNative } from "../src/native/addon";
import { MiB } from "../src/units/sizes";

let dir: string;
let file: string;
let content: Buffer;
let server: net.Server;
let port: number;
let received: Array<(data: Buffer) => void>;

/** Opens a connection to the in-test sink; `done` resolves with everything the sink read until EOF. */
async function connect(): Promise<{ socket: net.Socket; done: Promise<Buffer> }> {
  const done = new Promise<Buffer>((resolve) => received.push(resolve));
  const socket = net.connect(port, "127.0.0.1");
  await new Promise((resolve) => socket.once("connect", resolve));
  return { socket, done };
}

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "workbook-native-"));
  file = path.join(dir, "data.bin");
  content = crypto.randomBytes(3 * MiB + 12345); // not a multiple of any page or chunk
  fs.writeFileSync(file, content);
  received = [];
  server = net.createServer((socket) => {
    const parts: Buffer[] = [];
    const deliver = received.shift()!;
    socket.on("data", (d) => parts.push(d));
    socket.on("end", () => {
      deliver(Buffer.concat(parts));
      socket.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  port = (server.address() as net.AddressInfo).port;
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  fs.rmSync(dir, { recursive: true, force: true });
});

describe("native addon", () => {
  it("is available on this Linux machine", () => {
    expect(nativeAvailable()).toEqual({ ok: true });
  });

  for (const [name, send] of [
    ["sendfileToSocket", sendfileToSocket],
    ["spliceToSocket", spliceToSocket],
  ] as const) {
    it(`${name} delivers the whole file byte for byte`, async () => {
      const fd = fs.openSync(file, "r");
      try {
        const { socket, done } = await connect();
        const sent = await send(fd, socket, 0, content.length);
        socket.end();
        expect(sent).toBe(content.length);
        expect((await done).equals(content)).toBe(true);
      } finally {
        fs.closeSync(fd);
      }
    });

    it(`${name} sends a range, after bytes written earlier, before bytes written during`, async () => {
      const fd = fs.openSync(file, "r");
      try {
        const { socket, done } = await connect();
        socket.write("header:");
        const pending = send(fd, socket, 1000, 200_001);
        socket.write(":trailer"); // corked during the transfer: must arrive after the range
        expect(await pending).toBe(200_001);
        socket.end();
        const got = await done;
        const expected = Buffer.concat([Buffer.from("header:"), content.subarray(1000, 201_001), Buffer.from(":trailer")]);
        expect(got.equals(expected)).toBe(true);
      } finally {
        fs.closeSync(fd);
      }
    });

    it(`${name} with length 0 sends nothing`, async () => {
      const fd = fs.openSync(file, "r");
      try {
        const { socket, done } = await connect();
        expect(await send(fd, socket, 0, 0)).toBe(0);
        socket.end();
        expect((await done).length).toBe(0);
      } finally {
        fs.closeSync(fd);
      }
    });

    it(`${name} rejects clearly when the file is shorter than offset + length`, async () => {
      const fd = fs.openSync(file, "r");
      try {
        const { socket, done } = await connect();
        const error = await send(fd, socket, content.length - 10, 100).catch((e) => e);
        expect(error).toBeInstanceOf(Error);
        expect(error.message).toMatch(/unexpected end of file after 10 of 100 bytes/);
        expect(error.code).toBe("ESHORTFILE");
        socket.end();
        await done;
      } finally {
        fs.closeSync(fd);
      }
    });
  }

  it("two transfers on one socket queue instead of interleaving", async () => {
    const fd = fs.openSync(file, "r");
    try {
      const { socket, done } = await connect();
      const [a, b] = await Promise.all([sendfileToSocket(fd, socket, 0, 1_000_000), spliceToSocket(fd, socket, 1_000_000, content.length - 1_000_000)]);
      socket.end();
      expect(a + b).toBe(content.length);
      expect((await done).equals(content)).toBe(true);
    } finally {
      fs.closeSync(fd);
    }
  });

  it("the C read+write control loop delivers every byte and counts its calls", async () => {
    const fd = fs.openSync(file, "r");
    try {
      const { socket, done } = await connect();
      const counts = await transferToSocket("read-write", fd, socket, 0, content.length, 4096);
      socket.end();
      expect(counts.bytes).toBe(content.length);
      // at least one read and one write per 4 KiB chunk
      expect(counts.calls).toBeGreaterThanOrEqual(2 * Math.ceil(content.length / 4096));
      expect((await done).equals(content)).toBe(true);
    } finally {
      fs.closeSync(fd);
    }
  });

  it("rejects bad arguments with a message naming them", async () => {
    const fd = fs.openSync(file, "r");
    try {
      const { socket, done } = await connect();
      await expect(sendfileToSocket(fd, socket, 0, -1)).rejects.toThrow(/sendfileToSocket: length must be a whole number >= 0/);
      await expect(spliceToSocket(fd, socket, 1.5, 10)).rejects.toThrow(/spliceToSocket: offset must be a whole number >= 0/);
      await expect(sendfileToSocket(-3, socket, 0, 10)).rejects.toThrow(/fileFd must be a whole number >= 0/);
      socket.end();
      await done;
    } finally {
      fs.closeSync(fd);
    }
  });

  it("rejects a destroyed socket and a non-file fd clearly", async () => {
    const fd = fs.openSync(file, "r");
    try {
      const { socket, done } = await connect();
      const socketFd = (socket as unknown as { _handle: { fd: number } })._handle.fd;
      await expect(sendfileToSocket(socketFd, socket, 0, 10)).rejects.toThrow(/fileFd must refer to a regular file/);
      socket.destroy();
      await done;
      await expect(sendfileToSocket(fd, socket, 0, 10)).rejects.toThrow(/socket is not connected/);
    } finally {
      fs.closeSync(fd);
    }
  });

  it("fails with EPIPE/ECONNRESET, not a hang, when the receiver goes away mid-transfer", async () => {
    const big = path.join(dir, "big.bin");
    fs.writeFileSync(big, Buffer.alloc(32 * MiB, 7));
    const sink = net.createServer((s) => s.destroy()); // accepts, then resets
    await new Promise<void>((resolve) => sink.listen(0, "127.0.0.1", resolve));
    const fd = fs.openSync(big, "r");
    try {
      const socket = net.connect((sink.address() as net.AddressInfo).port, "127.0.0.1");
      socket.on("error", () => undefined);
      const error = await sendfileToSocket(fd, socket, 0, 32 * MiB).catch((e) => e);
      expect(error).toBeInstanceOf(Error);
      expect(error.message).toMatch(/^sendfileToSocket: sendfile failed: (Broken pipe|Connection reset by peer)/);
      socket.destroy();
    } finally {
      fs.closeSync(fd);
      await new Promise((resolve) => sink.close(resolve));
    }
  });

  it("runs off the event loop: timers keep firing while the receiver holds the transfer back", async () => {
    const slow = net.createServer((s) => {
      s.pause(); // nothing is read for 300 ms: the sender must wait in poll(), not on the JS thread
      setTimeout(() => s.resume(), 300);
      s.on("data", () => undefined);
      s.on("end", () => s.end());
    });
    await new Promise<void>((resolve) => slow.listen(0, "127.0.0.1", resolve));
    const big = path.join(dir, "loop.bin");
    fs.writeFileSync(big, Buffer.alloc(16 * MiB, 3)); // far more than the socket buffers hold
    const fd = fs.openSync(big, "r");
    try {
      const socket = net.connect((slow.address() as net.AddressInfo).port, "127.0.0.1");
      let ticks = 0;
      const timer = setInterval(() => ticks++, 10);
      const counts = await transferToSocket("sendfile", fd, socket, 0, 16 * MiB);
      clearInterval(timer);
      socket.destroy();
      expect(counts.bytes).toBe(16 * MiB);
      expect(counts.polls).toBeGreaterThan(0); // it met EAGAIN and waited in poll()
      expect(ticks).toBeGreaterThan(5); // the event loop ran meanwhile (a blocking call would give 0)
    } finally {
      fs.closeSync(fd);
      await new Promise((resolve) => slow.close(resolve));
    }
  });

  it("a socket destroyed by JS mid-transfer cannot be hit: the transfer keeps its own fd and settles", async () => {
    const fd = fs.openSync(file, "r");
    try {
      const { socket, done } = await connect();
      const pending = spliceToSocket(fd, socket, 0, content.length);
      socket.destroy(); // Node closes its fd; the addon's dup() still names the same socket
      const outcome = await pending.then((n) => n, (e: Error) => e);
      const got = await done;
      if (typeof outcome === "number") {
        expect(outcome).toBe(content.length);
        expect(got.equals(content)).toBe(true);
      } else {
        expect(outcome.message).toMatch(/^spliceToSocket: /); // a clear error, never a crash or a write to a reused fd
      }
    } finally {
      fs.closeSync(fd);
    }
  });

  it("posix_fadvise(DONTNEED) empties the file's page cache and reading refills it (mincore)", () => {
    const addon = requireNative();
    const fd = fs.openSync(file, "r");
    try {
      fs.fdatasyncSync(fd);
      addon.fadviseDontNeed(fd);
      const cold = addon.residentPages(fd);
      expect(cold.total).toBe(Math.ceil(content.length / cold.pageSize));
      expect(cold.resident).toBe(0);
      fs.readFileSync(file);
      expect(addon.residentPages(fd).resident).toBe(cold.total);
    } finally {
      fs.closeSync(fd);
    }
  });

  it("getrusage reports this process's CPU time and counters", () => {
    const before = requireNative().getrusage();
    crypto.randomBytes(8 * MiB); // some work to see CPU time move
    const after = requireNative().getrusage();
    for (const key of ["userMicros", "systemMicros", "minorFaults", "majorFaults", "voluntarySwitches", "involuntarySwitches"] as const) {
      expect(Number.isInteger(after[key]) && after[key] >= before[key]).toBe(true);
    }
    expect(after.userMicros + after.systemMicros).toBeGreaterThan(before.userMicros + before.systemMicros);
  });

  it("alignedBuffer gives zeroed memory usable for O_DIRECT", () => {
    const buf = requireNative().alignedBuffer(8192, 4096);
    expect(buf.length).toBe(8192);
    expect(buf.every((b) => b === 0)).toBe(true);
    // O_DIRECT rejects misaligned buffers with EINVAL; an aligned one reads the file.
    let fd: number;
    try {
      fd = fs.openSync(file, fs.constants.O_RDONLY | fs.constants.O_DIRECT);
    } catch {
      return; // filesystem without O_DIRECT (tmpfs): the checks above are all there is
    }
    try {
      expect(fs.readSync(fd, buf, 0, 8192, 0)).toBe(8192);
      expect(buf.equals(content.subarray(0, 8192))).toBe(true);
    } finally {
      fs.closeSync(fd);
    }
  });
});
