#!/usr/bin/env node
// The `workbook` executable: loads the TypeScript CLI through tsx, so there is no build step to forget.
require("tsx/cjs");
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
