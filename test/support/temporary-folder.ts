// The suite's own temporary folder: globalSetup points TMPDIR (so os.tmpdir() in every test worker and in every
// process a test starts) at a fresh folder, and at the end counts what is left in it. Every test file must remove
// what it makes, on success and on failure; anything left fails the run, named. Neighbours on a shared machine
// write to /tmp as well, which is why the count is taken in a folder of the suite's own.
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

/** Caches that tools keep in the temporary folder by design, not things a test made: tsx's compile cache. */
const TOOL_CACHES = [/^tsx-\d+$/];

/** Entries of `dir` that some test left behind (tool caches apart). */
export function leftovers(dir: string): string[] {
  return fs.readdirSync(dir).filter((name) => !TOOL_CACHES.some((cache) => cache.test(name))).sort();
}

/** vitest globalSetup: makes the folder and returns the teardown that counts and removes what is left. */
export default function setup(): () => void {
  const outer = process.env.TMPDIR ?? os.tmpdir();
  const dir = fs.mkdtempSync(path.join(outer, "workbook-suite-"));
  fs.chmodSync(dir, 0o1777); // like /tmp: a test that runs the CLI as another user (nobody) can write its caches here
  process.env.TMPDIR = dir;
  return () => {
    process.env.TMPDIR = outer;
    const left = leftovers(dir);
    fs.rmSync(dir, { recursive: true, force: true });
    if (left.length > 0) {
      // vitest reports an error thrown here but still exits 0: the exit code is set too, so the run fails.
      process.exitCode = 1;
      throw new Error(`the test suite left ${left.length} entr${left.length === 1 ? "y" : "ies"} in its temporary folder: ${left.join(", ")}`);
    }
  };
}
