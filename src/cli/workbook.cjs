#!/usr/bin/env node
// The `workbook` executable: loads the TypeScript CLI through tsx, so there is no build step to forget.
require("tsx/cjs");

// `workbook model ... | head` closes the pipe early: that is the reader's choice, not an error.
process.stdout.on("error", (error) => {
  if (error.code === "EPIPE") process.exit(0);
  throw error;
});
const { main } = require("./main.ts");

main(process.argv.slice(2), {
  out: (text) => process.stdout.write(text + "\n"),
  err: (text) => process.stderr.write(text + "\n"),
  isTTY: Boolean(process.stderr.isTTY),
}).then(
  (code) => {
    process.exitCode = code;
  },
  (error) => {
    process.stderr.write(`workbook: ${error && error.message ? error.message : error}\n`);
    process.exitCode = 1;
  },
);
