// Where the repository is on disk, for the files the workbook keeps inside it (build/, results/, .jupyter-local/).
import * as path from "path";

/** Repository root, found from this file's place in src/. */
export const repoRoot = path.resolve(__dirname, "..");
