// The suite's own temporary folder: globalSetup points TMPDIR (so os.tmpdir() in every test worker and in every
// process a test starts) at a fresh folder, and at the end counts what is left in it. Every test file must remove
// what it makes, on success and on failure; anything left fails the run, named. Neighbours on a shared machine
// write to /tmp as well, which is why the count is taken in a folder of the suite's own.
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { validateProfile } from "../../src/calibration/profile-file";

/** Caches that tools keep in the temporary folder by design, not things a test made: tsx's compile cache. */
const TOOL_CACHES = [/^tsx-\d+$/];

/** The suite's machine profile (WORKBOOK_PROFILE): every test that draws a model line shares it, the first one that
 *  needs it measures it, and the suite removes it at the end. It never touches the reader's own profile. */
export const SUITE_PROFILE = "suite-machine-profile.json";

/** Entries of `dir` that some test left behind (tool caches and the suite's profile apart). */
export function leftovers(dir: string): string[] {
  return fs.readdirSync(dir).filter((name) => name !== SUITE_PROFILE && !TOOL_CACHES.some((cache) => cache.test(name))).sort();
}

/** Points WORKBOOK_PROFILE at the suite's own file, starting from a copy of the reader's saved profile when it is
 *  one this model can use (saves measuring one), else empty (the first test that needs one measures it). */
function suiteProfile(dir: string): string {
  const file = path.join(dir, SUITE_PROFILE);
  const own = process.env.WORKBOOK_PROFILE || path.resolve(__dirname, "..", "..", ".workbook", "profile.json");
  try {
    validateProfile(JSON.parse(fs.readFileSync(own, "utf8")), own);
    fs.copyFileSync(own, file);
  } catch {
    // none, or one of an older model: measured when first needed
  }
  return file;
}

/** vitest globalSetup: makes the folder and returns the teardown that counts and removes what is left. */
export default function setup(): () => void {
  const outer = process.env.TMPDIR ?? os.tmpdir();
  const dir = fs.mkdtempSync(path.join(outer, "workbook-suite-"));
  fs.chmodSync(dir, 0o1777); // like /tmp: a test that runs the CLI as another user (nobody) can write its caches here
  process.env.TMPDIR = dir;
  const readersProfile = process.env.WORKBOOK_PROFILE;
  process.env.WORKBOOK_PROFILE = suiteProfile(dir);
  return () => {
    process.env.TMPDIR = outer;
    if (readersProfile === undefined) delete process.env.WORKBOOK_PROFILE;
    else process.env.WORKBOOK_PROFILE = readersProfile;
    const left = leftovers(dir);
    fs.rmSync(dir, { recursive: true, force: true });
    if (left.length > 0) {
      // vitest reports an error thrown here but still exits 0: the exit code is set too, so the run fails.
      process.exitCode = 1;
      throw new Error(`the test suite left ${left.length} entr${left.length === 1 ? "y" : "ies"} in its temporary folder: ${left.join(", ")}`);
    }
  };
}
