// Loads the native addon (build/Release/zero_copy.node) lazily, so importing src/ never fails: only the
// code that needs sendfile/splice/mincore asks for it, and gets one clear error where it cannot have it.
import * as fs from "fs";
import * as path from "path";

/** Counters one native transfer loop returns: bytes moved, transfer calls made, poll()s on EAGAIN. */
export interface NativeTransferCounts {
  bytes: number;
  calls: number;
  polls: number;
}

/** Page-cache residency of one file, from mincore(2). */
export interface Residency {
  resident: number;
  total: number;
  pageSize: number;
}

/** getrusage(RUSAGE_SELF) fields, all threads of the process. */
export interface NativeRusage {
  userMicros: number;
  systemMicros: number;
  maxRssKiB: number;
  minorFaults: number;
  majorFaults: number;
  voluntarySwitches: number;
  involuntarySwitches: number;
  blockInputs: number;
  blockOutputs: number;
}

/** The addon's exports (see src/native/zero-copy.cc). */
export interface NativeAddon {
  platformSupported: boolean;
  sendfile(fileFd: number, socketFd: number, offset: number, length: number): Promise<NativeTransferCounts>;
  splice(fileFd: number, socketFd: number, offset: number, length: number): Promise<NativeTransferCounts>;
  readWrite(fileFd: number, socketFd: number, offset: number, length: number, chunk: number): Promise<NativeTransferCounts>;
  fadviseDontNeed(fd: number): void;
  residentPages(fd: number): Residency;
  getrusage(): NativeRusage;
  alignedBuffer(size: number, alignment: number): Buffer;
  /** CRC32C (Castagnoli) of bytes[start, end), continuing from `previous`; crc32c.cc. */
  crc32c(bytes: Uint8Array, start?: number, end?: number, previous?: number): number;
  /** Which CRC32C loop runs: the SSE4.2 instruction or the portable tables. */
  crc32cImplementation(): "sse4.2" | "table";
  /** One non-blocking sendfile(2): bytes sent (> 0), or -1 when the socket buffer is full; socket_send.cc. */
  sendfileSome(fileFd: number, socketFd: number, offset: number, length: number): number;
  /** One non-blocking write(2) of bytes[start, end): bytes written (> 0), or -1 when the socket buffer is full. */
  writeSome(socketFd: number, bytes: Uint8Array, start: number, end: number): number;
  /** Calls `callback` once on the event loop when the socket can take bytes (status 0) or the poll failed (< 0); returns a watch id. */
  watchWritable(socketFd: number, callback: (status: number) => void): number;
  /** Stops a watch that has not fired yet; a no-op otherwise. */
  unwatchWritable(id: number): void;
}

/** Where node-gyp puts the addon, from this file's place in src/native/. */
export const builtAddonPath = path.resolve(__dirname, "..", "..", "build", "Release", "zero_copy.node");

/** The addon file to load: WORKBOOK_ADDON_PATH if set (tests use it to simulate a missing build), else the built one. */
function addonPath(): string {
  return process.env.WORKBOOK_ADDON_PATH || builtAddonPath;
}

let loaded: { addon: NativeAddon } | { reason: string } | undefined;

/** Loads the addon once; remembers why it could not. Called by nativeStatus() and requireNative(). */
function load(): { addon: NativeAddon } | { reason: string } {
  if (loaded) return loaded;
  if (process.platform !== "linux") {
    loaded = { reason: `sendfile/splice experiments need Linux; this is ${process.platform} (the model still works)` };
  } else if (!fs.existsSync(addonPath())) {
    loaded = { reason: `native addon not built: ${path.relative(process.cwd(), addonPath()) || addonPath()} is missing; run \`npm run build:addon\`` };
  } else {
    try {
      // process.dlopen works the same under tsx, vitest and tslab (no require() of a .node through a bundler).
      const mod = { exports: {} as NativeAddon };
      process.dlopen(mod, addonPath());
      loaded = mod.exports.platformSupported
        ? { addon: mod.exports }
        : { reason: "the native addon was built without sendfile/splice support (not Linux)" };
    } catch (error) {
      loaded = { reason: `native addon failed to load (${(error as Error).message.split("\n")[0]}); run \`npm run build:addon\`` };
    }
  }
  return loaded;
}

/** Whether the addon can be used, and if not, why; never throws. */
export function nativeStatus(): { ok: true } | { ok: false; reason: string } {
  const state = load();
  return "addon" in state ? { ok: true } : { ok: false, reason: state.reason };
}

/** The addon, or one clear Error saying why it is unavailable; called by every experiment entry point. */
export function requireNative(): NativeAddon {
  const state = load();
  if ("addon" in state) return state.addon;
  throw new NativeUnavailableError(state.reason);
}

/** Thrown when the experiments cannot run here (not Linux, or the addon not built). */
export class NativeUnavailableError extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = "NativeUnavailableError";
  }
}
