// The data-path model's counters for one transfer, as ByteByteGo's diagram and the IBM article state them.
import { describe, it, expect } from "vitest";
import { modelTransfer, pathSteps, Step } from "../src/model/transfer-model";
import { loadModel } from "../src/model/wasm";
import { PATHS, PathName, COUNTERS } from "../src/model/vocabulary";
import { MAX_RW_COUNT, DEFAULT_PIPE_SIZE } from "../src/reference/linux";
import { MiB, GiB } from "../src/units/sizes";

/** The copies, switches and syscalls of one call of each path, as the IBM article and the man pages count them. */
const ONE_CALL: Record<PathName, { cpu: number; dma: number; switches: number; syscalls: number; descriptors: number }> = {
  "read-write": { cpu: 2, dma: 2, switches: 4, syscalls: 2, descriptors: 0 }, // IBM: 4 copies, 4 switches
  "mmap-write": { cpu: 1, dma: 2, switches: 4, syscalls: 2, descriptors: 0 }, // mmap + write
  sendfile: { cpu: 1, dma: 2, switches: 2, syscalls: 1, descriptors: 0 }, // IBM: 3 copies, 2 switches
  "sendfile-sg": { cpu: 0, dma: 2, switches: 2, syscalls: 1, descriptors: 1 }, // IBM: gather, 0 CPU copies
  splice: { cpu: 0, dma: 2, switches: 4, syscalls: 2, descriptors: 2 }, // file -> pipe -> socket
  "recv-write": { cpu: 2, dma: 2, switches: 4, syscalls: 2, descriptors: 0 },
  "recv-write-fsync": { cpu: 2, dma: 2, switches: 6, syscalls: 3, descriptors: 0 },
};

describe("modelTransfer", () => {
  it("read+write: 2 DMA + 2 CPU copies, 4 mode switches, 2 syscalls", () => {
    const r = modelTransfer("read-write", 1 * MiB);
    expect([r.dmaCopies, r.cpuCopies, r.modeSwitches, r.syscalls]).toEqual([2, 2, 4, 2]);
  });

  it("sendfile: 2 DMA + 1 CPU copy, 2 mode switches, 1 syscall", () => {
    const r = modelTransfer("sendfile", 1 * MiB);
    expect([r.dmaCopies, r.cpuCopies, r.modeSwitches, r.syscalls]).toEqual([2, 1, 2, 1]);
  });

  for (const path of PATHS) {
    it(`${path}: copies, switches, syscalls and descriptors of one call`, () => {
      const r = modelTransfer(path, 60_000);
      const want = ONE_CALL[path];
      expect(r.chunks).toBe(1);
      expect({ cpu: r.cpuCopies, dma: r.dmaCopies, switches: r.modeSwitches, syscalls: r.syscalls, descriptors: r.descriptors }).toEqual(want);
      expect(r.cpuBytes).toBe(want.cpu * 60_000);
      expect(r.dmaBytes).toBe(want.dma * 60_000);
      expect(r.nicBytes).toBe(60_000);
    });
  }

  it("counts disk reads on the serving paths and disk writes on the producer paths", () => {
    for (const path of ["read-write", "mmap-write", "sendfile", "sendfile-sg", "splice"] as const) {
      const r = modelTransfer(path, 12_345);
      expect([r.diskReadBytes, r.diskWriteBytes]).toEqual([12_345, 0]);
    }
    for (const path of ["recv-write", "recv-write-fsync"] as const) {
      const r = modelTransfer(path, 12_345);
      expect([r.diskReadBytes, r.diskWriteBytes]).toEqual([0, 12_345]);
    }
  });

  it("describes instead of copying on the zero-copy paths", () => {
    expect(modelTransfer("sendfile-sg", 8192).descriptorBytes).toBe(8192);
    expect(modelTransfer("splice", 8192).descriptorBytes).toBe(2 * 8192); // into the pipe, out to the socket
    expect(modelTransfer("sendfile", 8192).descriptorBytes).toBe(0);
  });

  it("scales syscalls and mode switches with the number of chunks", () => {
    const r = modelTransfer("read-write", 10 * 4096 + 1, 4096);
    expect(r.chunks).toBe(11);
    expect(r.syscalls).toBe(22);
    expect(r.modeSwitches).toBe(44);
    expect(r.cpuBytes).toBe(2 * (10 * 4096 + 1));
  });

  it("issues 1 GiB as 262,144 calls of 4 KiB (the IBM client), 16,384 of 64 KiB and 1,024 of 1 MiB", () => {
    for (const [chunk, calls] of [[4096, 262_144], [65_536, 16_384], [1 * MiB, 1024]]) {
      const r = modelTransfer("sendfile", GiB, chunk);
      expect([r.chunks, r.syscalls, r.modeSwitches, r.cpuCopies, r.callBytes]).toEqual([calls, calls, 2 * calls, calls, chunk]);
    }
  });

  it("splits a sendfile larger than MAX_RW_COUNT into several calls", () => {
    const r = modelTransfer("sendfile", 3 * MAX_RW_COUNT, 2 ** 40);
    expect(r.chunks).toBe(3);
    expect(r.syscalls).toBe(3);
    expect(r.callBytes).toBe(MAX_RW_COUNT);
    expect(modelTransfer("sendfile", 3 * MAX_RW_COUNT + 1, 2 ** 40).chunks).toBe(4);
    expect(modelTransfer("read-write", MAX_RW_COUNT + 1).chunks).toBe(2); // read and write are capped too
  });

  it("moves at most one pipe's worth per splice call", () => {
    expect(modelTransfer("splice", MiB).chunks).toBe(MiB / DEFAULT_PIPE_SIZE);
    expect(modelTransfer("splice", MiB, 4096).chunks).toBe(256); // the chunk is the smaller cap
    expect(modelTransfer("splice", MiB, MiB, { pipeSize: MiB }).chunks).toBe(1);
    expect(modelTransfer("sendfile", MiB, MiB, { pipeSize: 4096 }).chunks).toBe(1); // no pipe on sendfile
  });

  it("takes one page fault per 64 KiB fault-around window on mmap-write, whatever the chunk", () => {
    expect(modelTransfer("mmap-write", MiB, 4096).pageFaults).toBe(16);
    expect(modelTransfer("mmap-write", MiB).pageFaults).toBe(16);
    expect(modelTransfer("mmap-write", 65_537).pageFaults).toBe(2);
    expect(modelTransfer("read-write", MiB).pageFaults).toBe(0);
  });

  it("maps the mapping once: mmap's two switches are counted once per transfer", () => {
    const r = modelTransfer("mmap-write", 10 * 4096, 4096);
    expect(r.syscalls).toBe(10 + 1);
    expect(r.modeSwitches).toBe(2 * (10 + 1));
  });

  it("rejects bad input with an error naming the argument", () => {
    expect(() => modelTransfer("read-write", -1)).toThrow(/bytes must be a whole number of bytes from 1/);
    expect(() => modelTransfer("read-write", 0)).toThrow(RangeError);
    expect(() => modelTransfer("read-write", Number.NaN)).toThrow(/bytes/);
    expect(() => modelTransfer("read-write", 1.5)).toThrow(/bytes/);
    expect(() => modelTransfer("read-write", 2 ** 60)).toThrow(/1 PiB/);
    expect(() => modelTransfer("read-write", 4096, 0)).toThrow(/chunk/);
    expect(() => modelTransfer("splice", 4096, 4096, { pipeSize: 100 })).toThrow(/pipeSize must be a whole number of bytes from 4096/);
    expect(() => modelTransfer("carrier-pigeon" as never, 4096)).toThrow(/path must be one of read-write/);
  });

  it("exports as many counters as the vocabulary names", () => {
    expect((loadModel().COUNTER_COUNT as { value: number }).value).toBe(COUNTERS.length);
  });
});

describe("pathSteps", () => {
  /** The distinct post labels of a path's steps, in order of appearance. */
  const labels = (p: PathName) => [...new Set(pathSteps(p).perChunk.map((s) => s.seedStep).filter((s) => s))];

  it("walks the post's steps 2.1-2.5 and 3.1-3.3 in order, and the producer's 1.1-1.3", () => {
    expect(labels("read-write")).toEqual(["2.1", "2.2", "2.3", "2.4", "2.5"]);
    expect(labels("sendfile")).toEqual(["3.1", "3.2", "3.3"]);
    expect(labels("sendfile-sg")).toEqual(["3.1", "3.2", "3.3"]);
    expect(labels("recv-write")).toEqual(["1.1", "1.2", "1.3"]);
    expect(labels("recv-write-fsync")).toEqual(["1.1", "1.2", "1.3"]);
    for (const p of ["mmap-write", "splice"] as const) expect(labels(p), `${p} is not in the post`).toEqual([]);
  });

  it("draws read+write exactly as IBM tells it (enter, DMA in, CPU out to user, return, enter, CPU to socket, DMA out, return), then the NIC sends", () => {
    const brief = (s: Step) => `${s.seedStep || "-"}:${s.kind}:${s.actor}:${s.from}>${s.to}`;
    expect(pathSteps("read-write").perChunk.map(brief)).toEqual([
      "-:to-kernel:syscall:user buffer>page cache",
      "2.1:copy:dma:disk>page cache",
      "2.2:copy:cpu:page cache>user buffer",
      "-:to-user:syscall:page cache>user buffer",
      "-:to-kernel:syscall:user buffer>socket buffer",
      "2.3:copy:cpu:user buffer>socket buffer",
      "2.4:copy:dma:socket buffer>NIC",
      "-:to-user:syscall:socket buffer>user buffer",
      "2.5:wire:nic:NIC>network",
    ]);
  });

  it("describes every step in one sentence that names the call it happens in", () => {
    for (const path of PATHS) {
      for (const step of [...pathSteps(path).setup, ...pathSteps(path).perChunk]) {
        expect(step.description.length, `${path} ${step.kind}`).toBeGreaterThan(20);
        if (!["softirq", "writeback", "nic"].includes(step.call)) expect(step.description).toContain(`${step.call}()`);
      }
    }
  });

  it("sends from the page cache with descriptors only on sendfile-sg: no CPU step at all", () => {
    const steps = pathSteps("sendfile-sg").perChunk;
    expect(steps.filter((s) => s.actor === "cpu")).toEqual([]);
    expect(steps.find((s) => s.kind === "descriptor")).toMatchObject({ from: "page cache", to: "socket buffer", seedStep: "3.2" });
    expect(steps.find((s) => s.to === "NIC")).toMatchObject({ actor: "dma", from: "page cache" });
  });

  for (const path of PATHS) {
    it(`${path}: every syscall enters and returns, and the mode says where the process is`, () => {
      const { setup, perChunk } = pathSteps(path);
      for (const steps of [setup, perChunk]) {
        let inside: string | null = null;
        for (const step of steps) {
          if (step.kind === "to-kernel") {
            expect(inside).toBeNull();
            inside = step.call;
            expect(step.mode).toBe("kernel");
          } else if (step.kind === "to-user") {
            expect(step.call).toBe(inside);
            expect(step.mode).toBe("user");
            inside = null;
          } else if (inside) {
            expect(step).toMatchObject({ call: inside, mode: "kernel" });
          } else {
            // Outside a syscall only the kernel's own contexts and the NIC work, while the process runs in user mode.
            expect(["softirq", "writeback", "nic"]).toContain(step.call);
            expect(step.mode).toBe("user");
            expect(step.actor).toBe(step.call === "nic" ? "nic" : "dma");
          }
        }
        expect(inside).toBeNull();
      }
    });

    it(`${path}: the counters are the step table times the calls`, () => {
      const { setup, perChunk } = pathSteps(path);
      const r = modelTransfer(path, 5 * 65_536 + 7, 65_536);
      const per = (steps: Step[], f: (s: Step) => boolean) => steps.filter(f).length;
      const cpu = (s: Step) => s.kind === "copy" && s.actor === "cpu";
      const dma = (s: Step) => s.kind === "copy" && s.actor === "dma";
      const enter = (s: Step) => s.kind === "to-kernel";
      const switches = (s: Step) => s.kind === "to-kernel" || s.kind === "to-user";
      expect(r.chunks).toBe(6);
      expect(r.cpuCopies).toBe(6 * per(perChunk, cpu) + per(setup, cpu));
      expect(r.dmaCopies).toBe(6 * per(perChunk, dma) + per(setup, dma));
      expect(r.syscalls).toBe(6 * per(perChunk, enter) + per(setup, enter));
      expect(r.modeSwitches).toBe(6 * per(perChunk, switches) + per(setup, switches));
      expect(r.descriptors).toBe(6 * per(perChunk, (s) => s.kind === "descriptor"));
    });
  }

  it("writes back asynchronously without fsync and inside fsync with it", () => {
    const back = (p: PathName) => pathSteps(p).perChunk.find((s) => s.to === "disk");
    expect(back("recv-write")).toMatchObject({ actor: "dma", from: "page cache", call: "writeback", mode: "user" });
    expect(back("recv-write-fsync")).toMatchObject({ actor: "dma", from: "page cache", call: "fsync", mode: "kernel" });
  });

  it("rejects an unknown path", () => {
    expect(() => pathSteps("teleport" as never)).toThrow(TypeError);
  });
});
