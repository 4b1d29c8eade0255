// The suite runs in a temporary folder of its own (test/support/temporary-folder.ts, vitest's globalSetup), and
// its teardown fails the run if any test left something there. Here: the folder is in effect, and the count
// names what a test leaves while passing over the tools' own caches.
import { describe, it, expect, afterAll } from "vitest";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { leftovers } from "./support/temporary-folder";

const sample = fs.mkdtempSync(path.join(os.tmpdir(), "workbook-test-leftovers-"));
afterAll(() => fs.rmSync(sample, { recursive: true, force: true }));

describe("the suite's temporary folder", () => {
  it("is where os.tmpdir() points in every test worker (and so in every process a test starts)", () => {
    expect(path.basename(os.tmpdir())).toMatch(/^workbook-suite-/);
    expect(fs.statSync(os.tmpdir()).mode & 0o1777).toBe(0o1777);
  });

  it("counts what a test left, named, and not tsx's compile cache", () => {
    fs.mkdirSync(path.join(sample, "tsx-0"));
    fs.mkdirSync(path.join(sample, "tsx-65534"));
    fs.mkdirSync(path.join(sample, "workbook-report-AbCdEf"));
    fs.writeFileSync(path.join(sample, "calibration.json"), "{}");
    expect(leftovers(sample)).toEqual(["calibration.json", "workbook-report-AbCdEf"]);
  });
});
