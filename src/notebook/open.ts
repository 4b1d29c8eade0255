// `npm run notebooks`: opens Jupyter Notebook on notebooks/ with the project's tslab kernel.
import { spawn, spawnSync } from "child_process";
import { jupyterEnv, listNotebooks, requireJupyter, NOTEBOOK_DIR, PYTHON } from "./jupyter";
import { copyPlotlyInto } from "../plot/plotly-asset";

/** Jupyter's arguments: the notebook folder, loopback only, and --allow-root when running as root (Jupyter refuses
 *  root without it: "Running as root is not recommended. Use --allow-root to bypass."). Exported for tests. */
export function notebookArgs(uid: number | undefined, extra: string[]): string[] {
  const root = uid === 0 && !extra.includes("--allow-root") ? ["--allow-root"] : [];
  return ["-m", "notebook", `--notebook-dir=${NOTEBOOK_DIR}`, "--ip=127.0.0.1", ...root, ...extra];
}

/** Trusts the notebooks (their saved plot scripts run) and starts Jupyter bound to 127.0.0.1. */
function main(): void {
  try {
    requireJupyter(["notebook", "nbformat"]);
  } catch (error) {
    console.error((error as Error).message);
    process.exit(2);
  }
  copyPlotlyInto(NOTEBOOK_DIR);
  spawnSync(PYTHON, ["-m", "nbformat.sign", ...listNotebooks()], { env: jupyterEnv(), stdio: "ignore" });
  const jupyter = spawn(PYTHON, notebookArgs(process.getuid?.(), process.argv.slice(2)), { env: jupyterEnv(), stdio: "inherit" });
  // Jupyter is ours to stop: whatever signal stops us stops it too, so no server outlives this command.
  for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) process.on(signal, () => jupyter.kill(signal));
  jupyter.on("exit", (code) => process.exit(code ?? 0));
}

if (require.main === module) main();
