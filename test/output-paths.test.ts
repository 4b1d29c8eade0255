// Where results go: folders made one level at a time (never spinning under /proc), output paths checked before
// anything is measured (a folder given as a file, a file given as a folder, an unwritable place: one line, and
// nothing left behind by the check), unique new folders, and result files that appear whole.
import { describe, it, expect, afterAll } from "vitest";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { makeDirectory, makeNewDirectory, removeMadeDirectories } from "../src/files/directory";
import { checkOutputFile, checkOutputDir, checkExistingDir, checkExistingFile, PathError } from "../src/files/output-path";
import { writeJsonFile } from "../src/files/write-file";

const root = fs.mkdtempSync(path.join(os.tmpdir(), "workbook-test-paths-"));
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

const repo = path.resolve(__dirname, "..");

/** Runs `code` in a fresh Node with tsx, so a call that spins forever is ended by the timeout instead of the suite. */
function inChild(code: string) {
  return spawnSync(process.execPath, ["-r", "tsx/cjs", "-e", code], { cwd: repo, encoding: "utf8", timeout: 20_000 });
}

describe("makeDirectory", () => {
  it("fails at once under /proc with the kernel's ENOENT (Node 20's recursive mkdirSync spins there forever)", () => {
    const r = inChild(`try { require("./src/files/directory.ts").makeDirectory("/proc/workbook-x/y"); } catch (e) { console.log(e.code); }`);
    expect(r.signal, "makeDirectory did not return within 20 s").toBeNull();
    expect(r.stdout.trim()).toBe("ENOENT");
  });

  it("makes missing parents one level at a time, says which it made, and removeMadeDirectories takes back only those", () => {
    const made = makeDirectory(path.join(root, "a", "b", "c"));
    expect(made).toEqual([path.join(root, "a"), path.join(root, "a", "b"), path.join(root, "a", "b", "c")]);
    expect(makeDirectory(path.join(root, "a", "b"))).toEqual([]);
    fs.writeFileSync(path.join(root, "a", "keep"), "");
    removeMadeDirectories(made);
    expect(fs.readdirSync(path.join(root, "a"))).toEqual(["keep"]);
  });

  it("below a file fails with ENOTDIR", () => {
    fs.writeFileSync(path.join(root, "plain"), "");
    expect(() => makeDirectory(path.join(root, "plain", "sub"))).toThrow(expect.objectContaining({ code: "ENOTDIR" }));
  });
});

describe("makeNewDirectory", () => {
  it("gives two claims of the same name two folders (name, then name-2, name-3)", () => {
    const parent = path.join(root, "results");
    const first = makeNewDirectory(parent, "2026-01-01T00-00-00");
    const second = makeNewDirectory(parent, "2026-01-01T00-00-00");
    const third = makeNewDirectory(parent, "2026-01-01T00-00-00");
    expect([first, second, third].map((d) => path.basename(d))).toEqual(["2026-01-01T00-00-00", "2026-01-01T00-00-00-2", "2026-01-01T00-00-00-3"]);
    expect(fs.readdirSync(parent).sort()).toEqual(["2026-01-01T00-00-00", "2026-01-01T00-00-00-2", "2026-01-01T00-00-00-3"]);
  });
});

describe("checking an output file", () => {
  it("refuses a folder, a path below a file, an empty name and a place that cannot be written, each in one line", () => {
    fs.mkdirSync(path.join(root, "folder"), { recursive: true });
    fs.writeFileSync(path.join(root, "file.json"), "{}");
    const cases: Array<[string, RegExp]> = [
      [path.join(root, "folder"), /^--out .*\/folder is a folder; name a file, like .*\/folder\/result\.json$/],
      [path.join(root, "new-folder") + "/", /is a folder; name a file/],
      [path.join(root, "file.json", "r.json"), /^--out .*: .*\/file\.json is a file, not a folder; choose another place$/],
      ["/proc/workbook-x/r.json", /^cannot write --out \/proc\/workbook-x\/r\.json \(ENOENT: no folder can be created there\); choose a writable place$/],
      ["/proc/r.json", /^cannot write --out \/proc\/r\.json \(ENOENT/],
      ["", /^--out must name a file, got ""$/],
    ];
    for (const [file, message] of cases) {
      let error: unknown;
      try {
        checkOutputFile(file, "--out");
      } catch (e) {
        error = e;
      }
      expect(error, file).toBeInstanceOf(PathError);
      expect(error).toBeInstanceOf(RangeError); // the command line's mark of bad input: exit 2
      expect((error as Error).message, file).toMatch(message);
      expect((error as Error).message).not.toMatch(/\n/);
    }
  });

  it("accepts a new file below missing folders and leaves neither the file nor the folders behind", () => {
    const before = fs.readdirSync(root).sort();
    checkOutputFile(path.join(root, "x", "y", "result.json"), "--out");
    expect(fs.readdirSync(root).sort()).toEqual(before);
  });

  it("accepts an existing file without changing it", () => {
    const file = path.join(root, "existing.json");
    fs.writeFileSync(file, "kept");
    checkOutputFile(file, "--out");
    expect(fs.readFileSync(file, "utf8")).toBe("kept");
  });
});

describe("checking an output folder", () => {
  it("refuses a file, a folder below a file and an unwritable place in one line; accepts a new folder and leaves nothing", () => {
    fs.writeFileSync(path.join(root, "a-file"), "");
    expect(() => checkOutputDir(path.join(root, "a-file"), "--out")).toThrow(/^--out .*\/a-file is a file; name a folder \(it is created if missing\)$/);
    expect(() => checkOutputDir(path.join(root, "a-file", "sub"), "--out")).toThrow(/a-file is a file, not a folder/);
    expect(() => checkOutputDir("/proc/workbook-results", "--out")).toThrow(/^cannot write --out \/proc\/workbook-results \(ENOENT/);
    const before = fs.readdirSync(root).sort();
    checkOutputDir(path.join(root, "fresh", "deeper"), "--out");
    expect(fs.readdirSync(root).sort()).toEqual(before);
  });
});

describe("checking an existing folder or file", () => {
  it("says what is wrong in one line", () => {
    expect(() => checkExistingDir("/nonexistent-workbook-dir", "--dir")).toThrow(/^--dir \/nonexistent-workbook-dir does not exist; give an existing folder$/);
    fs.writeFileSync(path.join(root, "not-a-dir"), "");
    expect(() => checkExistingDir(path.join(root, "not-a-dir"), "--dir")).toThrow(/not-a-dir is a file; give an existing folder$/);
    expect(() => checkExistingFile("/nonexistent-workbook-file", "--file")).toThrow(/^--file \/nonexistent-workbook-file does not exist; give an existing file$/);
    expect(() => checkExistingFile(root, "--file")).toThrow(/is not a regular file$/);
    expect(() => checkExistingDir("/proc", "--dir")).toThrow(/^cannot write in --dir \/proc \(ENOENT: no folder can be created there\); give a writable folder$/);
    const before = fs.readdirSync(root).sort();
    expect(() => checkExistingDir(root, "--dir")).not.toThrow();
    expect(fs.readdirSync(root).sort()).toEqual(before);
  });
});

describe("writeJsonFile", () => {
  it("makes the folders, writes the record whole and leaves no partial file", () => {
    const file = path.join(root, "deep", "er", "r.json");
    writeJsonFile(file, { a: 1 });
    expect(JSON.parse(fs.readFileSync(file, "utf8"))).toEqual({ a: 1 });
    expect(fs.readdirSync(path.dirname(file))).toEqual(["r.json"]);
  });

  it("writes through /dev/null instead of renaming over it", () => {
    writeJsonFile("/dev/null", { a: 1 });
    expect(fs.statSync("/dev/null").isCharacterDevice()).toBe(true);
  });
});
