// Loads the compiled model synchronously, so the same code runs under Node, vitest and tslab
// (tslab goes through require(): no import.meta, no top-level await).
import * as fs from "fs";
import * as path from "path";
import { repoRoot } from "../repo-root";

/** The model's raw exports: numbers in, numbers out (see assembly/index.ts). */
export interface ModelExports {
  memory: { buffer: ArrayBuffer };
  simulateTransfer(path: number, bytes: number, chunk: number, pipeSize: number): number;
  counter(slot: number): number;
  stepCount(path: number, phase: number): number;
  stepField(path: number, phase: number, step: number, field: number): number;
  cacheConfigure(policy: number, capacity: number, readaheadInit: number, readaheadMax: number): number;
  cacheTraceBuffer(length: number): number;
  cacheRun(pattern: number, accesses: number, filePages: number, stride: number, seed: number, samples: number, log: number): number;
  cacheCounter(slot: number): number;
  cacheSamples(): number;
  cacheEvents(): number;
  cacheRequests(): number;
  cacheRequestCount(): number;
  diskConfigureFlash(bytesPerSecond: number, latencySeconds: number, blocks: number): number;
  diskConfigureRotating(rpm: number, blocksPerTrack: number, tracks: number, trackToTrack: number, fullStroke: number, overhead: number): number;
  diskRequestBuffer(count: number): number;
  diskResults(): number;
  diskRun(count: number, policy: number, window: number): number;
  seekSeconds(distance: number): number;
  [name: string]: unknown;
}

/** Which build to load: "release" (fast, unchecked) unless WORKBOOK_WASM=debug, as the tests set. */
export type WasmFlavor = "debug" | "release";

const cache = new Map<WasmFlavor, ModelExports>();

/** Decodes an AssemblyScript string (UTF-16, byte length stored 4 bytes before it); used by abort(). */
function readAsString(memory: { buffer: ArrayBuffer }, ptr: number): string {
  if (!ptr) return "";
  const bytes = new Uint32Array(memory.buffer, ptr - 4, 1)[0];
  return String.fromCharCode(...new Uint16Array(memory.buffer, ptr, bytes >>> 1));
}

/** Returns the instantiated model, compiling it on first use; called by every model facade. */
export function loadModel(flavor: WasmFlavor = defaultFlavor()): ModelExports {
  const cached = cache.get(flavor);
  if (cached) return cached;
  const file = path.join(repoRoot, "build", `model.${flavor}.wasm`);
  if (!fs.existsSync(file)) {
    throw new Error(`model not built: ${path.relative(process.cwd(), file) || file} is missing; run \`npm run build\``);
  }
  // tslab's TypeScript has no WebAssembly types, so reach the global through globalThis.
  const WA = (globalThis as any).WebAssembly;
  let memory: { buffer: ArrayBuffer } | undefined;
  const imports = {
    env: {
      abort(msg: number, file: number, line: number, column: number) {
        const where = memory ? readAsString(memory, file) : "?";
        const text = memory ? readAsString(memory, msg) : "abort";
        throw new Error(`model aborted: ${text} at ${where}:${line}:${column}`);
      },
    },
  };
  const instance = new WA.Instance(new WA.Module(fs.readFileSync(file)), imports);
  // Not named `exports`: under CommonJS that would shadow the module's own exports object.
  const model = instance.exports as ModelExports;
  memory = model.memory;
  cache.set(flavor, model);
  return model;
}

/** The flavour chosen by the environment; tests run the checked debug build. */
export function defaultFlavor(): WasmFlavor {
  return process.env.WORKBOOK_WASM === "debug" ? "debug" : "release";
}
