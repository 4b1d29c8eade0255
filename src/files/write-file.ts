// Writing a result record: the one way results reach disk, so the folder is made safely (directory.ts) and a
// reader never sees half a file (a regular file is written beside the target and renamed over it).
import * as fs from "fs";
import * as path from "path";
import { makeDirectory } from "./directory";

/** Writes `value` as JSON (indented by `indent`, newline at the end) to `file`, making its folder; returns the file. */
export function writeJsonFile(file: string, value: unknown, indent = 2): string {
  return writeTextFile(file, JSON.stringify(value, null, indent) + "\n");
}

/** Writes `text` to `file`, making its folder; a regular file's content appears all at once (write, then rename).
 *  Anything else (/dev/null, a pipe, a symbolic link) is written through in place: renaming would replace it. */
export function writeTextFile(file: string, text: string): string {
  makeDirectory(path.dirname(path.resolve(file)));
  const existing = fs.existsSync(file) ? fs.lstatSync(file) : undefined;
  if (existing && !existing.isFile()) {
    fs.writeFileSync(file, text);
    return file;
  }
  const partial = `${file}.partial-${process.pid}`;
  try {
    fs.writeFileSync(partial, text);
    fs.renameSync(partial, file);
  } catch (error) {
    fs.rmSync(partial, { force: true });
    throw error;
  }
  return file;
}
