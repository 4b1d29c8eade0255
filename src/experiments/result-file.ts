// Result records go to disk only when asked (a --out file or an `out` option), as pretty JSON.
import * as fs from "fs";
import * as path from "path";

/** Writes a result record as JSON, creating the directory; used by both experiments. */
export function writeResultFile(file: string, result: object): void {
  fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  fs.writeFileSync(file, JSON.stringify(result, null, 2) + "\n");
}
