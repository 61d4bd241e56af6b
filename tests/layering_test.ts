// The layering of lib/: every import statement (static, `export … from`, and dynamic `import("…")`
// with a literal specifier) read from the source, the file graph checked for circles, and every
// import between folders checked to point down the order below, the one CONTRIBUTING.md documents.
// The checker is tested on synthetic graphs too, so it is known to fail on what it must refuse;
// and its reading of the imports is compared with Deno's own module graph (`deno info --json`).
import assert from "node:assert/strict";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath as fromFileUrl, pathToFileURL as toFileUrl } from "node:url";

/**
 * lib/'s folders, lowest first. A folder may import itself and the folders before it, never one
 * after it. (Keep in step with CONTRIBUTING.md, "The folders, in order".)
 */
export const LAYERS = [
  "graph",
  "text",
  "nn",
  "symbolic",
  "check",
  "optim",
  "doc",
  "render",
  "figures",
  "handout",
  "lesson",
  "diagnose",
  "explore",
  "jupyter",
  "cli",
] as const;

const LIB = fromFileUrl(new URL("../lib/", import.meta.url));

/** The module specifiers a TypeScript source imports: static, re-exports and literal dynamic ones. */
export function importSpecifiers(source: string): string[] {
  const out: string[] = [];
  // Top-level statements start a line (deno fmt keeps them there); a JSDoc example's lines start
  // with ` * `, so they are not read. `[^;"]` keeps a match inside one statement.
  for (const m of source.matchAll(/^(?:import|export)\s[^;"]*?\bfrom\s*"([^"]+)"/gm)) {
    out.push(m[1]);
  }
  for (const m of source.matchAll(/^import\s*"([^"]+)"/gm)) out.push(m[1]);
  for (const line of source.split("\n")) {
    const t = line.trimStart();
    if (t.startsWith("*") || t.startsWith("//") || t.startsWith("/*")) continue;
    for (const m of line.matchAll(/\bimport\(\s*"([^"]+)"\s*\)/g)) out.push(m[1]);
  }
  return out;
}

/** The import graph of the `.ts` files under `root`: file → files it imports (paths relative to root). */
export function importGraph(root: string): Map<string, Set<string>> {
  const graph = new Map<string, Set<string>>();
  const walk = (dir: string) => {
    for (const e of Deno.readDirSync(dir)) {
      const path = join(dir, e.name);
      if (e.isDirectory) walk(path);
      else if (e.name.endsWith(".ts")) {
        const from = relative(root, path);
        const to = new Set<string>();
        for (const spec of importSpecifiers(Deno.readTextFileSync(path))) {
          if (!spec.startsWith("./") && !spec.startsWith("../")) continue;
          to.add(relative(root, resolve(dirname(path), spec)));
        }
        graph.set(from, to);
      }
    }
  };
  walk(root);
  return graph;
}

/** A circle in the graph as the files along it (first = last), or undefined when there is none. */
export function findCircle(graph: ReadonlyMap<string, ReadonlySet<string>>): string[] | undefined {
  const state = new Map<string, "open" | "done">();
  const path: string[] = [];
  const visit = (node: string): string[] | undefined => {
    if (state.get(node) === "done") return undefined;
    if (state.get(node) === "open") return [...path.slice(path.indexOf(node)), node];
    state.set(node, "open");
    path.push(node);
    for (const next of [...(graph.get(node) ?? [])].sort()) {
      const circle = visit(next);
      if (circle) return circle;
    }
    path.pop();
    state.set(node, "done");
    return undefined;
  };
  for (const node of [...graph.keys()].sort()) {
    const circle = visit(node);
    if (circle) return circle;
  }
  return undefined;
}

/** Every import that runs up the order, or touches a folder the order does not name. */
export function layerViolations(
  graph: ReadonlyMap<string, ReadonlySet<string>>,
  layers: readonly string[],
): string[] {
  const out: string[] = [];
  const folder = (file: string) => file.split(/[\\/]/)[0];
  for (const [from, tos] of graph) {
    const a = layers.indexOf(folder(from));
    if (a < 0) out.push(`${from}: folder ${folder(from)}/ is not in the layer order`);
    for (const to of tos) {
      const b = layers.indexOf(folder(to));
      if (b < 0) out.push(`${from} → ${to}: folder ${folder(to)}/ is not in the layer order`);
      else if (a >= 0 && b > a) {
        out.push(
          `${from} → ${to}: ${folder(from)}/ may not import ${folder(to)}/, which is above it`,
        );
      }
    }
  }
  return out.sort();
}

const g = (edges: Record<string, string[]>) =>
  new Map(Object.entries(edges).map(([k, v]) => [k, new Set(v)]));

Deno.test("lib/ has no import circle", () => {
  assert.equal(findCircle(importGraph(LIB))?.join(" → "), undefined);
});

Deno.test("every import in lib/ points down the documented folder order", () => {
  const graph = importGraph(LIB);
  assert.deepEqual(layerViolations(graph, LAYERS), []);
  // Every folder of lib/ is placed in the order, and the order names no folder that is gone.
  const folders = [...Deno.readDirSync(LIB)].filter((e) => e.isDirectory).map((e) => e.name);
  assert.deepEqual(folders.sort(), [...LAYERS].sort());
  // The graph is the real one: it has the imports every layer is known to make.
  assert.ok(graph.get("optim/adam.ts")?.has("optim/optimizer.ts"));
  assert.ok(graph.get("cli/main.ts")?.has("cli/lesson.ts"), "main.ts's dynamic imports are read");
});

Deno.test("the checker finds a circle, an upward import and an unplaced folder", () => {
  assert.deepEqual(
    findCircle(g({ "a/x.ts": ["a/y.ts"], "a/y.ts": ["b/z.ts"], "b/z.ts": ["a/x.ts"] })),
    [
      "a/x.ts",
      "a/y.ts",
      "b/z.ts",
      "a/x.ts",
    ],
  );
  assert.deepEqual(findCircle(g({ "a/x.ts": ["a/x.ts"] })), ["a/x.ts", "a/x.ts"]);
  assert.equal(findCircle(g({ "a/x.ts": ["a/y.ts", "b/z.ts"], "a/y.ts": ["b/z.ts"] })), undefined);

  const layers = ["graph", "text", "render"];
  assert.deepEqual(layerViolations(g({ "render/r.ts": ["text/t.ts", "graph/v.ts"] }), layers), []);
  assert.deepEqual(layerViolations(g({ "graph/v.ts": ["render/r.ts"] }), layers), [
    "graph/v.ts → render/r.ts: graph/ may not import render/, which is above it",
  ]);
  assert.deepEqual(layerViolations(g({ "extra/e.ts": ["text/t.ts"] }), layers), [
    "extra/e.ts: folder extra/ is not in the layer order",
  ]);
  // The real graph with one upward import added, as someone might write it, fails.
  const real = importGraph(LIB);
  real.get("text/format.ts")!.add("render/terminal.ts");
  assert.deepEqual(layerViolations(real, LAYERS), [
    "text/format.ts → render/terminal.ts: text/ may not import render/, which is above it",
  ]);
});

Deno.test("importSpecifiers reads static, re-exported and dynamic imports, and skips doc examples", () => {
  const source = [
    "/**",
    " * @example",
    " * ```ts",
    ' * import { wrap } from "./example.ts";',
    ' * await import("./example_dynamic.ts");',
    " * ```",
    " */",
    'import assert from "node:assert/strict";',
    "import {",
    "  a,",
    "  type B,",
    '} from "./multi.ts";',
    'import type { C } from "../up/c.ts";',
    'export { d } from "./d.ts";',
    'export * from "./star.ts";',
    'import "./side_effect.ts";',
    'export const VERSION = "./not_an_import.ts";',
    "async function f() {",
    '  const m = await import("./lazy.ts");',
    '  // await import("./commented.ts");',
    // Spelled in two pieces so tests/package/portable_test.ts does not read it as a real import.
    '  return [m, await import( "npm:' + 'pkg@1.0.0" )];',
    "}",
  ].join("\n");
  assert.deepEqual(importSpecifiers(source).sort(), [
    "../up/c.ts",
    "./d.ts",
    "./lazy.ts",
    "./multi.ts",
    "./side_effect.ts",
    "./star.ts",
    "node:assert/strict",
    "npm:pkg@1.0.0",
  ]);
});

Deno.test("the imports read from the source are Deno's own module graph of lib/", async () => {
  // A second method: `deno info --json` on a module that imports every file of lib/ lists each
  // file's dependencies (dynamic ones included) as Deno resolves them.
  const graph = importGraph(LIB);
  const dir = await Deno.makeTempDir();
  try {
    const entry = join(dir, "all.ts");
    await Deno.writeTextFile(
      entry,
      [...graph.keys()].map((f) => `import "${toFileUrl(join(LIB, f)).href}";`).join("\n"),
    );
    const out = await new Deno.Command(Deno.execPath(), {
      args: ["info", "--json", entry],
      cwd: fromFileUrl(new URL("..", import.meta.url)),
      stdout: "piped",
      stderr: "piped",
    }).output();
    assert.ok(out.success, new TextDecoder().decode(out.stderr));
    const info = JSON.parse(new TextDecoder().decode(out.stdout)) as {
      modules: {
        specifier: string;
        dependencies?: {
          specifier: string;
          code?: { specifier: string };
          type?: { specifier: string };
        }[];
      }[];
    };
    const libUrl = toFileUrl(LIB).href;
    const deno = new Map<string, Set<string>>();
    for (const m of info.modules) {
      if (!m.specifier.startsWith(libUrl)) continue;
      const deps = new Set<string>();
      for (const d of m.dependencies ?? []) {
        for (const r of [d.code?.specifier, d.type?.specifier]) {
          if (r?.startsWith(libUrl)) deps.add(r.slice(libUrl.length));
        }
      }
      deno.set(m.specifier.slice(libUrl.length), deps);
    }
    assert.equal(deno.size, graph.size, "deno info saw every file of lib/");
    for (const [file, deps] of graph) {
      assert.deepEqual([...deps].sort(), [...(deno.get(file) ?? [])].sort(), file);
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
