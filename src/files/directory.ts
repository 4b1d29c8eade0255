// Making folders for results. Node 20's fs.mkdirSync(dir, { recursive: true }) spins forever at full CPU under
// /proc (the kernel answers ENOENT where Node expects EEXIST or a missing parent), and a process stuck there never
// runs its signal handlers. So every writer makes folders here, one level at a time, where each failure is final.
import * as fs from "fs";
import * as path from "path";

/** Creates `dir` and its missing parents one level at a time; returns the folders it made, outermost first.
 *  Throws the first mkdir error (ENOENT under /proc, ENOTDIR below a file, EACCES, EROFS) as it is. */
export function makeDirectory(dir: string): string[] {
  const target = path.resolve(dir);
  const missing: string[] = [];
  for (let at = target; !fs.existsSync(at); at = path.dirname(at)) {
    missing.unshift(at);
    if (path.dirname(at) === at) break;
  }
  for (const folder of missing) {
    try {
      fs.mkdirSync(folder);
    } catch (error) {
      // Another process made it in the meantime: that is what we wanted.
      if ((error as NodeJS.ErrnoException).code !== "EEXIST" || !fs.statSync(folder).isDirectory()) throw error;
    }
  }
  return missing;
}

/** Creates a new folder `parent/name` that no other process has: if `name` is taken it tries `name-2`, `name-3`...
 *  mkdir is atomic, so two runs started in the same second never share a folder. Returns its path. */
export function makeNewDirectory(parent: string, name: string): string {
  makeDirectory(parent);
  for (let n = 1; ; n++) {
    const dir = path.join(path.resolve(parent), n === 1 ? name : `${name}-${n}`);
    try {
      fs.mkdirSync(dir);
      return dir;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    }
  }
}

/** Removes the folders makeDirectory() reported making (innermost first), if they are still empty. */
export function removeMadeDirectories(made: readonly string[]): void {
  for (const folder of [...made].reverse()) {
    try {
      fs.rmdirSync(folder);
    } catch {
      return; // not empty (someone else uses it now) or already gone: leave it
    }
  }
}
