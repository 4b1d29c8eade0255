// Launcher for the experiments' child processes (receiver, sender): loads tsx so they can be TypeScript,
// then runs the script named by the first argument. A child exits when its parent goes away (IPC closes).
require("tsx/cjs");
process.on("disconnect", () => process.exit(0));
require(process.argv[2]);
