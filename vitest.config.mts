import { defineConfig } from "vitest/config";

// Tests run the checked (debug) WASM build; notebooks and experiments need long timeouts on 2 cores.
// The suite runs in a temporary folder of its own and fails if any test leaves something in it
// (test/support/temporary-folder.ts).
export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    globalSetup: ["test/support/temporary-folder.ts"],
    env: { WORKBOOK_WASM: "debug" },
    testTimeout: 120_000,
    hookTimeout: 120_000,
    fileParallelism: true,
    maxWorkers: 2,
  },
});
