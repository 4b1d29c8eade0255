// Reads the imports of every source file under a folder and checks them against the workbook's layering rule:
// which folder may import which, no cycles, and the few rules a layer alone cannot say. Used by test/layering.test.ts.
import * as fs from "fs";
import * as path from "path";

/** One import: the file that imports, the file it names, and whether only types cross (import type). */
export interface ImportEdge {
  from: string;
  to: string;
  typeOnly: boolean;
}

/** Lists .ts and .cjs files below `dir`, as paths relative to `root`. */
export function sourceFiles(root: string, dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const entry of fs.readdirSync(path.join(root, d), { withFileTypes: true })) {
      const rel = path.join(d, entry.name);
      if (entry.isDirectory()) walk(rel);
      else if (/\.(ts|cjs)$/.test(entry.name)) out.push(rel.split(path.sep).join("/"));
    }
  };
  walk(dir);
  return out.sort();
}

/** Drops comments, so an example in a comment is not read as an import. Strings are left alone. */
function withoutComments(text: string): string {
  return text.replace(/\/\*[\s\S]*?\*\//g, "").replace(/^\s*\/\/.*$/gm, "");
}

const PATTERNS: { re: RegExp; typeOnly: (m: RegExpExecArray) => boolean }[] = [
  // import x from "a"; import { x } from "a"; import type { x } from "a"; export { x } from "a"; export * from "a"
  { re: /(?:^|[;\n])\s*(import|export)\s+(type\s+)?[^;'"]*?\bfrom\s+["']([^"']+)["']/g, typeOnly: (m) => Boolean(m[2]) },
  // import "a" (side effects)
  { re: /(?:^|[;\n])\s*import\s+["']([^"']+)["']/g, typeOnly: () => false },
  // require("a"), import("a")
  { re: /\b(?:require|import)\(\s*["']([^"']+)["']\s*\)/g, typeOnly: () => false },
];

/** The relative specifiers a file imports, each with whether it is type-only. */
export function importsOf(text: string): { spec: string; typeOnly: boolean }[] {
  const clean = withoutComments(text);
  const found: { spec: string; typeOnly: boolean }[] = [];
  for (const { re, typeOnly } of PATTERNS) {
    for (const m of clean.matchAll(re)) {
      const spec = m[m.length - 1];
      if (spec.startsWith(".")) found.push({ spec, typeOnly: typeOnly(m as RegExpExecArray) });
    }
  }
  return found;
}

/** Resolves a relative specifier from `fromFile` to a file under `root`, or null when no such file exists. */
export function resolveImport(root: string, fromFile: string, spec: string): string | null {
  const base = path.join(path.dirname(fromFile), spec);
  for (const candidate of [base, `${base}.ts`, `${base}.cjs`, path.join(base, "index.ts")]) {
    const full = path.join(root, candidate);
    if (fs.existsSync(full) && fs.statSync(full).isFile()) return candidate.split(path.sep).join("/");
  }
  return null;
}

/** Every import edge between the files under `dir`; unresolved relative imports are reported as errors. */
export function importGraph(root: string, dir: string): { files: string[]; edges: ImportEdge[]; unresolved: string[] } {
  const files = sourceFiles(root, dir);
  const edges: ImportEdge[] = [];
  const unresolved: string[] = [];
  for (const file of files) {
    for (const { spec, typeOnly } of importsOf(fs.readFileSync(path.join(root, file), "utf8"))) {
      const to = resolveImport(root, file, spec);
      if (to) edges.push({ from: file, to, typeOnly });
      else unresolved.push(`${file} imports "${spec}", which is no file`);
    }
  }
  return { files, edges, unresolved };
}

/** The cycles of the graph (strongly connected components with more than one file, or a file importing itself). */
export function cycles(files: string[], edges: ImportEdge[]): string[][] {
  const next = new Map<string, string[]>(files.map((f) => [f, []]));
  for (const e of edges) next.get(e.from)?.push(e.to);
  // Tarjan's algorithm: one pass, each component reported once.
  let index = 0;
  const indexOf = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const visit = (v: string) => {
    indexOf.set(v, index);
    low.set(v, index++);
    stack.push(v);
    onStack.add(v);
    for (const w of next.get(v) ?? []) {
      if (!indexOf.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) {
        low.set(v, Math.min(low.get(v)!, indexOf.get(w)!));
      }
    }
    if (low.get(v) === indexOf.get(v)) {
      const component: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      if (component.length > 1 || (next.get(v) ?? []).includes(v)) found.push(component.sort());
    }
  };
  for (const f of files) if (!indexOf.has(f)) visit(f);
  return found;
}
