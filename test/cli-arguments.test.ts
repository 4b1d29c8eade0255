// One argument policy for every `workbook` command, checked on every command registered in COMMANDS (so a command
// added later is checked too): a stray positional, an unknown option, an option given twice, an empty value, a
// --dir that does not exist, and an output path that cannot be used each get one line on stderr and exit 2, before
// anything is measured. Bare `workbook` prints a usage line on stderr and exits 2.
import { describe, it, expect, beforeAll, afterAll } from "vitest";
import { spawn } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { COMMANDS } from "../src/cli/commands";

const repo = path.resolve(__dirname, "..");
const bin = path.join(repo, "src", "cli", "workbook.cjs");
const work = fs.mkdtempSync(path.join(os.tmpdir(), "workbook-test-args-"));
/** The children's temporary folder: a scratch folder appearing here means something was measured. */
const childTmp = path.join(work, "tmp");

interface Ran {
  args: string[];
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Runs the CLI; a run still going after `timeoutMs` (it measures instead of refusing) is killed. */
function workbook(args: string[], timeoutMs = 30_000): Promise<Ran> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [bin, ...args], { cwd: work, env: { ...process.env, TMPDIR: childTmp }, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      resolve({ args, code, signal, stdout, stderr });
    });
  });
}

/** Runs every argument list, a few at a time (the machine has 2 cores). */
async function all(cases: string[][], parallel = 4): Promise<Ran[]> {
  const results: Ran[] = new Array(cases.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: parallel }, async () => {
      while (next < cases.length) {
        const i = next++;
        results[i] = await workbook(cases[i]);
      }
    }),
  );
  return results;
}

/** The contract for bad input: exit 2, nothing on stdout, exactly one line on stderr matching `message`. */
function expectUsageError(r: Ran, message: RegExp): void {
  const what = `workbook ${r.args.join(" ")}`;
  expect(r.signal, `${what} was still running after 30 s`).toBeNull();
  expect(r.stderr.split("\n").filter(Boolean), what).toHaveLength(1);
  expect(r.stderr, what).toMatch(message);
  expect(r.stdout, what).toBe("");
  expect(r.code, what).toBe(2);
}

/** The scratch folders the children made (none, if nothing was measured). */
const scratchLeft = () => fs.readdirSync(childTmp).filter((name) => name.startsWith("workbook-"));

/** The positional arguments a command's usage names before its options ("<dirA> <dirB>"). */
function positionalsOf(usage: string, name: string): string[] {
  const words = usage.slice(usage.indexOf(`workbook ${name}`) + `workbook ${name}`.length).trim().split(/\s+/);
  const leading = words.findIndex((word) => !/^<[^>]+>$/.test(word));
  return words.slice(0, leading < 0 ? words.length : leading).map((word) => word.slice(1, -1));
}

/** An option of the command to give twice: the first that takes a value, else the first switch. */
function repeatable(usage: string): string[] {
  const valued = /--([a-z][a-z0-9-]*)[ =]</.exec(usage);
  if (valued) return [`--${valued[1]}`, "1", `--${valued[1]}`, "1"];
  const flag = /\[--([a-z][a-z0-9-]*)\]/.exec(usage)!;
  return [`--${flag[1]}`, `--${flag[1]}`];
}

beforeAll(() => fs.mkdirSync(childTmp, { recursive: true }));
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

describe("every registered command", () => {
  it("names its positional arguments in its usage the way this test reads them", () => {
    expect(positionalsOf(COMMANDS.find((c) => c.name === "compare")!.usage, "compare")).toEqual(["dirA", "dirB"]);
    expect(positionalsOf(COMMANDS.find((c) => c.name === "run")!.usage, "run")).toEqual([]);
  });

  it("refuses a stray positional, an unknown option and an option given twice: one line, exit 2, nothing measured", async () => {
    const cases = COMMANDS.flatMap((c) => [
      [c.name, ...positionalsOf(c.usage, c.name).map((p) => `${p}-value`), "stray"],
      [c.name, "--no-such-option"],
      [c.name, ...repeatable(c.usage)],
    ]);
    const results = await all(cases);
    for (const [i, c] of COMMANDS.entries()) {
      const [stray, unknown, twice] = results.slice(3 * i, 3 * i + 3);
      expectUsageError(stray, new RegExp(`^workbook ${c.name}: unexpected argument "stray": it takes`));
      expectUsageError(unknown, new RegExp(`^workbook ${c.name}: unknown option --no-such-option; see --help`));
      expectUsageError(twice, new RegExp(`^workbook ${c.name}: --[a-z-]+ is given twice; give it once\n$`));
    }
    expect(scratchLeft()).toEqual([]);
  });

  it("refuses --dir naming a folder that does not exist, and an empty --out, wherever they are options", async () => {
    // `broker --dir` names its data folder and makes it when missing (test/kafka-cli.test.ts refuses a file there).
    const withDir = COMMANDS.filter((c) => /--dir\b/.test(c.usage) && c.name !== "broker");
    const withOut = COMMANDS.filter((c) => /--out\b/.test(c.usage));
    expect(withDir.map((c) => c.name)).toEqual(expect.arrayContaining(["transfer", "disk", "calibrate", "broker-bench"]));
    expect(withOut.map((c) => c.name)).toEqual(expect.arrayContaining(["run", "compare", "transfer", "disk", "calibrate"]));
    const results = await all([...withDir.map((c) => [c.name, "--dir", "/nonexistent-workbook-dir"]), ...withOut.map((c) => [c.name, "--out", ""])]);
    for (const r of results.slice(0, withDir.length)) expectUsageError(r, /: --dir \/nonexistent-workbook-dir does not exist; give an existing folder\n$/);
    for (const r of results.slice(withDir.length)) expectUsageError(r, /: --out needs a value, got ""\n$/);
    expect(scratchLeft()).toEqual([]);
  });
});

describe("the workbook command itself", () => {
  it("with no arguments prints one usage line on stderr and exits 2; --help prints the help on stdout and exits 0", async () => {
    const [bare, help] = await all([[], ["--help"]]);
    expectUsageError(bare, /^usage: workbook <command> \[options\], where <command> is one of run, compare, .*; workbook --help describes each\n$/);
    expect(help.code).toBe(0);
    expect(help.stderr).toBe("");
    for (const c of COMMANDS) expect(help.stdout).toContain(c.usage);
  });
});

describe("bad values, before anything runs", () => {
  it("refuses stray, repeated, empty and malformed values in one line each", async () => {
    const cases: Array<[string[], RegExp]> = [
      [["run", "--quick", "stray"], /^workbook run: unexpected argument "stray": it takes options only/],
      [["run", "--only", ","], /^workbook run: --only has an empty item in ","; separate the items with single commas/],
      [["run", "--only", "copy-path,"], /^workbook run: --only has an empty item/],
      [["run", "--quick", "--quick"], /^workbook run: --quick is given twice/],
      [["run", "--json=yes"], /^workbook run: --json is a switch and takes no value, got "yes"/],
      [["run", "--out"], /^workbook run: --out needs a value\n$/],
      [["run", "--out", "--json"], /^workbook run: --out needs a value, got the option --json \(write --out=--json if you mean it\)/],
      [["transfer", "--bytes", "1MiB", "--path", ",sendfile"], /^workbook transfer: --path has an empty item/],
      [["transfer", "--file", "/nonexistent-workbook-file"], /^workbook transfer: --file \/nonexistent-workbook-file does not exist; give an existing file/],
      [["transfer", "--bytes", "1MiB", "--bytes", "2MiB"], /^workbook transfer: --bytes is given twice/],
      [["disk", "--block", "4KiB,,1MiB"], /^workbook disk: --block has an empty item/],
      [["broker-bench", "--consumers", "1,"], /^workbook broker-bench: --consumers has an empty item/],
      [["calibrate", "--predict"], /^workbook calibrate: unknown option --predict/],
      [["calibrate", "--sizes", "64MiB"], /^workbook calibrate: unknown option --sizes/],
      [["predict", "--sizes", ","], /^workbook predict: --sizes has an empty item/],
      [["model", "--path", "sendfile", "--bytes", "-5"], /^workbook model: --bytes must not be negative, got "-5"/],
    ];
    const results = await all(cases.map(([args]) => args));
    results.forEach((r, i) => expectUsageError(r, cases[i][1]));
    expect(scratchLeft()).toEqual([]);
  });

  it("accepts --bytes 1PiB, the unit the limit messages use", async () => {
    const [r] = await all([["model", "--path", "sendfile", "--bytes", "1PiB", "--json"]]);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).bytes).toBe(2 ** 50);
  });
});

describe("output paths, checked before any measurement", () => {
  it("refuses a folder given as a file, a file given as a folder and an unwritable place: one line, exit 2, nothing measured", async () => {
    const folder = path.join(work, "a-folder");
    const file = path.join(work, "a-file.json");
    fs.mkdirSync(folder, { recursive: true });
    fs.writeFileSync(file, "{}");
    const cases: Array<[string[], RegExp]> = [
      [["transfer", "--bytes", "1MiB", "--out", folder], /^workbook transfer: --out .*\/a-folder is a folder; name a file, like .*\/a-folder\/result\.json\n$/],
      [["transfer", "--bytes", "1MiB", "--out", path.join(file, "r.json")], /^workbook transfer: --out .*: .*\/a-file\.json is a file, not a folder; choose another place\n$/],
      [["transfer", "--bytes", "1MiB", "--out", "/proc/workbook-x/r.json"], /^workbook transfer: cannot write --out \/proc\/workbook-x\/r\.json \(ENOENT: no folder can be created there\); choose a writable place\n$/],
      [["disk", "--out", "/proc/workbook-x/r.json"], /^workbook disk: cannot write --out \/proc\/workbook-x\/r\.json/],
      [["disk", "--out", folder], /^workbook disk: --out .*\/a-folder is a folder/],
      [["calibrate", "--out", "/proc/workbook-x/c.json"], /^workbook calibrate: cannot write --out \/proc\/workbook-x\/c\.json/],
      [["run", "--out", "/proc/workbook-results"], /^workbook run: cannot write --out \/proc\/workbook-results \(ENOENT/],
      [["run", "--out", file], /^workbook run: --out .*\/a-file\.json is a file; name a folder/],
    ];
    const results = await all(cases.map(([args]) => args));
    results.forEach((r, i) => expectUsageError(r, cases[i][1]));
    expect(scratchLeft()).toEqual([]);
    expect(fs.readdirSync(folder)).toEqual([]);
    expect(fs.readFileSync(file, "utf8")).toBe("{}");
  });
});
