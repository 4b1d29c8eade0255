// Paths the user names, checked before anything is measured: where results go (a file or a folder), and the
// existing folder or file an experiment works in. Each check leaves nothing behind and throws one line.
import * as fs from "fs";
import * as path from "path";
import { makeDirectory, removeMadeDirectories } from "./directory";

/** A path the user gave that cannot be used; a RangeError, so the command line exits 2 with its one line. */
export class PathError extends RangeError {
  constructor(message: string) {
    super(message);
    this.name = "PathError";
  }
}

/** What an errno means to someone choosing a path. */
const REASONS: Record<string, string> = {
  ENOENT: "no folder can be created there",
  EACCES: "permission denied",
  EPERM: "not permitted",
  EROFS: "read-only filesystem",
  ENOSPC: "no space left",
  EDQUOT: "over the disk quota",
  ENOTDIR: "a part of it is a file, not a folder",
  EISDIR: "it is a folder",
  ENAMETOOLONG: "the name is too long",
  ELOOP: "too many symbolic links",
};

/** "ENOENT: no folder can be created there" for an fs error. */
function reason(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  return code ? `${code}: ${REASONS[code] ?? "cannot write"}` : (error as Error).message;
}

/** The nearest part of `target` that exists, and whether it is a folder. */
function nearestExisting(target: string): { at: string; isDirectory: boolean } {
  let at = target;
  while (!fs.existsSync(at) && path.dirname(at) !== at) at = path.dirname(at);
  return { at, isDirectory: fs.statSync(at).isDirectory() };
}

/** Throws unless `what` names a place where a file can be written: not a folder, below folders (made if missing),
 *  writable. Creates and removes the file and any folders it had to make, so nothing is left if the run fails. */
export function checkOutputFile(file: string, what: string): void {
  if (file.trim() === "") throw new PathError(`${what} must name a file, got ""`);
  const target = path.resolve(file);
  if (/[\\/]$/.test(file) || (fs.existsSync(target) && fs.statSync(target).isDirectory())) {
    throw new PathError(`${what} ${file} is a folder; name a file, like ${path.join(file, "result.json")}`);
  }
  const found = nearestExisting(path.dirname(target));
  if (!found.isDirectory) throw new PathError(`${what} ${file}: ${found.at} is a file, not a folder; choose another place`);
  let made: string[] = [];
  try {
    made = makeDirectory(path.dirname(target));
    if (fs.existsSync(target)) {
      fs.closeSync(fs.openSync(target, "r+")); // opens for writing without truncating what is there
    } else {
      fs.closeSync(fs.openSync(target, "wx"));
      fs.unlinkSync(target);
    }
  } catch (error) {
    throw new PathError(`cannot write ${what} ${file} (${reason(error)}); choose a writable place`);
  } finally {
    removeMadeDirectories(made);
  }
}

/** Throws unless `what` names a folder results can be written into: not a file, creatable, writable.
 *  Removes what it made to find out; the writer makes the folder again when it writes. */
export function checkOutputDir(dir: string, what: string): void {
  if (dir.trim() === "") throw new PathError(`${what} must name a folder, got ""`);
  const target = path.resolve(dir);
  if (fs.existsSync(target) && !fs.statSync(target).isDirectory()) {
    throw new PathError(`${what} ${dir} is a file; name a folder (it is created if missing)`);
  }
  const found = nearestExisting(target);
  if (!found.isDirectory) throw new PathError(`${what} ${dir}: ${found.at} is a file, not a folder; choose another place`);
  let made: string[] = [];
  try {
    made = makeDirectory(target);
    const probe = path.join(target, `.workbook-write-test-${process.pid}`);
    fs.closeSync(fs.openSync(probe, "wx"));
    fs.unlinkSync(probe);
  } catch (error) {
    throw new PathError(`cannot write ${what} ${dir} (${reason(error)}); choose a writable place`);
  } finally {
    removeMadeDirectories(made);
  }
}

/** Throws unless `what` names an existing folder this process can make folders in (where scratch folders go).
 *  It makes one and removes it: permission bits alone do not tell (root passes them on /proc, which refuses). */
export function checkExistingDir(dir: string, what: string): void {
  if (dir.trim() === "") throw new PathError(`${what} must name a folder, got ""`);
  if (!fs.existsSync(dir)) throw new PathError(`${what} ${dir} does not exist; give an existing folder`);
  if (!fs.statSync(dir).isDirectory()) throw new PathError(`${what} ${dir} is a file; give an existing folder`);
  try {
    fs.rmdirSync(fs.mkdtempSync(path.join(dir, ".workbook-write-test-")));
  } catch (error) {
    throw new PathError(`cannot write in ${what} ${dir} (${reason(error)}); give a writable folder`);
  }
}

/** Throws unless `what` names an existing regular file this process may read. */
export function checkExistingFile(file: string, what: string): void {
  if (file.trim() === "") throw new PathError(`${what} must name a file, got ""`);
  if (!fs.existsSync(file)) throw new PathError(`${what} ${file} does not exist; give an existing file`);
  if (!fs.statSync(file).isFile()) throw new PathError(`${what} ${file} is not a regular file`);
  try {
    fs.accessSync(file, fs.constants.R_OK);
  } catch (error) {
    throw new PathError(`cannot read ${what} ${file} (${reason(error)})`);
  }
}
