// Starts the project's own tslab with the repository root as working directory, so notebook cells
// can `import ... from "./src/..."` (tslab makes the kernel's cwd its TypeScript rootDir).
const path = require("path");

const root = path.resolve(__dirname, "..", "..", "..", "..");
const connectionFile = process.argv[2];
if (!connectionFile) {
  console.error("launch.cjs: missing the Jupyter connection file argument");
  process.exit(2);
}
process.chdir(root);
const { startKernel } = require(path.join(root, "node_modules", "tslab", "dist", "main.js"));
startKernel({ configPath: connectionFile, enableFindLocal: false, jsKernel: false });
