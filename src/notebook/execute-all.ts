// `npm run notebooks:execute [-- --quick]`: re-executes every notebook in place, so the saved outputs
// readers see are from this machine. Stops at the first failing cell with its real error text.
import * as path from "path";
import { executeNotebook, listNotebooks, NOTEBOOK_DIR } from "./jupyter";
import { copyPlotlyInto } from "../plot/plotly-asset";

/** Runs each notebook (or those named on the command line) and rewrites it with fresh outputs. */
async function main(): Promise<void> {
  const args = process.argv.slice(2);
  if (args.includes("--quick")) process.env.WORKBOOK_QUICK = "1";
  const wanted = args.filter((a) => !a.startsWith("--"));
  const notebooks = listNotebooks().filter((nb) => wanted.length === 0 || wanted.some((w) => path.basename(nb).startsWith(w)));
  copyPlotlyInto(NOTEBOOK_DIR);
  for (const notebook of notebooks) {
    const run = await executeNotebook(notebook, notebook);
    console.log(`${run.ok ? "ok  " : "FAIL"} ${path.basename(notebook)} (${run.seconds.toFixed(1)} s)`);
    if (!run.ok) {
      console.error(run.error);
      process.exitCode = 1;
      return;
    }
  }
}

main().catch((error) => {
  console.error(error.message);
  process.exitCode = 1;
});
