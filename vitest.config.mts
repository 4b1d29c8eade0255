import { defineConfig } from "vitest/config";

// Tests run the checked (debug) WASM build; notebooks and experiments need long timeouts on 2 cores.
export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    env: { WORKBOOK_WASM: "debug" },
    testTimeout: 120_000,
    hookTimeout: 120_000,
    fileParallelism: true,
    maxWorkers: 2,
  },
});
