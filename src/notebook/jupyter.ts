// Runs Jupyter from Debian's python with the project's own tslab kernelspec: nothing installed
// globally, every Jupyter file kept under .jupyter-local/ in the repository.
import { spawn, spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { repoRoot } from "../repo-root";
import { makeDirectory } from "../files/directory";

/** Debian's python: the python3 on PATH may be a pyenv build without the Jupyter modules. */
export const PYTHON = process.env.WORKBOOK_PYTHON ?? "/usr/bin/python3";

/** The install command the README names; every "Jupyter is missing" message repeats it. */
export const JUPYTER_INSTALL =
  "sudo apt-get install -y --no-install-recommends python3-nbclient python3-nbconvert jupyter-notebook";

export const NOTEBOOK_DIR = path.join(repoRoot, "notebooks");

/** Environment that points Jupyter at notebooks/jupyter (our kernelspec) and keeps its state local. */
export function jupyterEnv(): NodeJS.ProcessEnv {
  const local = path.join(repoRoot, ".jupyter-local");
  return {
    ...process.env,
    JUPYTER_PATH: path.join(NOTEBOOK_DIR, "jupyter"),
    JUPYTER_RUNTIME_DIR: path.join(local, "runtime"),
    JUPYTER_DATA_DIR: path.join(local, "data"),
    JUPYTER_CONFIG_DIR: path.join(local, "config"),
    PYDEVD_DISABLE_FILE_VALIDATION: "1",
  };
}

/** Throws one clear line when Debian's Jupyter modules are missing; called before any notebook run. */
export function requireJupyter(modules: string[] = ["nbclient", "nbconvert", "nbformat"]): void {
  const probe = spawnSync(PYTHON, ["-c", `import ${modules.join(", ")}`], { encoding: "utf8" });
  if (probe.error || probe.status !== 0) {
    throw new Error(`Jupyter is not available to ${PYTHON} (missing ${modules.join("/")}); install it with: ${JUPYTER_INSTALL}`);
  }
}

/** Outcome of executing one notebook: ok, or the failing cell's real error text. */
export interface NotebookRun {
  notebook: string;
  output: string;
  ok: boolean;
  error: string;
  seconds: number;
}

/** Executes `notebook` into `output` with the workbook kernel; resolves with the failing cell's text on error. */
export function executeNotebook(notebook: string, output: string, timeoutSeconds = 900): Promise<NotebookRun> {
  requireJupyter();
  const started = Date.now();
  const runner = path.join(NOTEBOOK_DIR, "jupyter", "run-notebook.py");
  const child = spawn(PYTHON, [runner, notebook, output, String(timeoutSeconds)], {
    env: jupyterEnv(),
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stderr = "";
  child.stdout.resume();
  child.stderr.on("data", (chunk) => (stderr += chunk));
  return new Promise((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (code) =>
      resolve({ notebook, output, ok: code === 0, error: code === 0 ? "" : stderr.trim(), seconds: (Date.now() - started) / 1000 }),
    );
  });
}

/** Renders an executed notebook to HTML next to a copy of plotly.min.js; returns the HTML path. */
export function exportNotebookHtml(notebook: string, outDir: string): string {
  requireJupyter();
  makeDirectory(outDir);
  const result = spawnSync(
    PYTHON,
    ["-m", "nbconvert", "--to", "html", "--output-dir", outDir, notebook],
    { env: jupyterEnv(), encoding: "utf8" },
  );
  if (result.status !== 0) throw new Error(`nbconvert failed on ${notebook}: ${result.stderr.trim().split("\n").pop()}`);
  return path.join(outDir, path.basename(notebook).replace(/\.ipynb$/, ".html"));
}

/** The notebooks of the workbook, in chapter order. */
export function listNotebooks(): string[] {
  return fs
    .readdirSync(NOTEBOOK_DIR)
    .filter((name) => /^\d\d[a-z]?-.*\.ipynb$/.test(name))
    .sort()
    .map((name) => path.join(NOTEBOOK_DIR, name));
}
