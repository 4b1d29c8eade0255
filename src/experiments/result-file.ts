// Result records go to disk only when asked (a --out file or an `out` option), as pretty JSON.
import { writeJsonFile } from "../files/write-file";

/** Writes a result record as JSON, creating the directory; used by the experiments. */
export function writeResultFile(file: string, result: object): void {
  writeJsonFile(file, result);
}
