// Launcher of the broker child process: loads tsx so the broker can be TypeScript, then runs broker-main.ts.
require("tsx/cjs");
require("./broker-main.ts");
