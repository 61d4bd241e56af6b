/**
 * stepgrad resolves without this repository's deno.json: every npm import is written in full
 * (`npm:name@version`, one version per package, the version deno.json pins), and a script kept
 * anywhere can import mod.ts by URL and use it with no config and no import map.
 */
import assert from "node:assert/strict";

const root = new URL("../../", import.meta.url);

/** Every .ts file under the given folders (fixtures included: they are lessons too). */
function tsFiles(...folders: string[]): string[] {
  const out: string[] = [];
  const walk = (rel: string) => {
    for (const entry of Deno.readDirSync(new URL(rel, root))) {
      const path = `${rel}/${entry.name}`;
      if (entry.isDirectory) walk(path);
      else if (entry.name.endsWith(".ts")) out.push(path);
    }
  };
  for (const folder of folders) walk(folder);
  return out;
}

/** The module specifiers a file imports or re-exports, statically or dynamically. */
export function importSpecifiers(source: string): string[] {
  const found: string[] = [];
  const patterns = [
    /^\s*(?:import|export)\b[^"'`;]*?\bfrom\s*["']([^"']+)["']/gm, // import … from "x", export … from "x"
    /^\s*import\s*["']([^"']+)["']/gm, // import "x"
    /(?<![\w'"`.])import\(\s*["']([^"']+)["']\s*\)/g, // import("x"), also in type positions
    /\bimport\.meta\.resolve\(\s*["']([^"']+)["']\s*\)/g, // import.meta.resolve("x")
  ];
  for (const re of patterns) for (const m of source.matchAll(re)) found.push(m[1]);
  return found;
}

Deno.test("importSpecifiers finds every form of import", () => {
  const src = [
    `import { a } from "./a.ts";`,
    `import type {`,
    `  B,`,
    `} from "npm:b@1.0.0";`,
    `export { c } from "../c.ts";`,
    `import "npm:d@2.0.0";`,
    `const e = await import("npm:e@3.0.0/sub");`,
    `type F = import("npm:f@4.0.0").F;`,
    `const g = import.meta.resolve("npm:g@5.0.0/x.css");`,
  ].join("\n");
  assert.deepEqual(importSpecifiers(src).sort(), [
    "../c.ts",
    "./a.ts",
    "npm:b@1.0.0",
    "npm:d@2.0.0",
    "npm:e@3.0.0/sub",
    "npm:f@4.0.0",
    "npm:g@5.0.0/x.css",
  ]);
});

Deno.test("every import is relative, node: or a full npm:name@version that deno.json pins", async () => {
  const config = JSON.parse(await Deno.readTextFile(new URL("deno.json", root)));
  const pins = new Map<string, string>();
  for (const [name, target] of Object.entries(config.imports as Record<string, string>)) {
    const m = target.match(/^npm:(@?[^@]+)@(\d+\.\d+\.\d+)$/);
    assert.ok(m, `deno.json pins ${name} exactly (npm:name@x.y.z), got ${target}`);
    assert.equal(m[1], name, `deno.json maps ${name} to its own package`);
    pins.set(name, m[2]);
  }
  const versions = new Map<string, Set<string>>();
  const files = ["mod.ts", ...tsFiles("lib", "lessons", "tests", "bench")];
  let npmImports = 0;
  for (const file of files) {
    if (file === "tests/package/portable_test.ts") continue; // its examples are strings
    const source = await Deno.readTextFile(new URL(file, root));
    for (const spec of importSpecifiers(source)) {
      if (spec.startsWith("./") || spec.startsWith("../") || spec.startsWith("node:")) continue;
      const m = spec.match(/^npm:(@[^/@]+\/[^/@]+|[^/@]+)@([^/]+)(\/.*)?$/);
      assert.ok(m, `${file}: "${spec}" needs this repo's deno.json; write npm:name@version`);
      const [, name, version] = m;
      assert.ok(pins.has(name), `${file}: ${name} is not pinned in deno.json's imports`);
      assert.equal(version, pins.get(name), `${file}: ${spec} differs from deno.json's pin`);
      if (!versions.has(name)) versions.set(name, new Set());
      versions.get(name)!.add(version);
      npmImports++;
    }
  }
  assert.ok(files.length > 100 && npmImports >= 10, `read ${files.length} files`);
  for (const [name, set] of versions) assert.equal(set.size, 1, `one version of ${name}`);
  // Every pin is used somewhere, so deno.json lists no dependency the code has dropped.
  assert.deepEqual([...versions.keys()].sort(), [...pins.keys()].sort());
});

async function run(cwd: string, args: string[]) {
  const out = await new Deno.Command(Deno.execPath(), {
    args,
    cwd,
    stdout: "piped",
    stderr: "piped",
    env: { NO_COLOR: "1" },
  }).output();
  return {
    code: out.code,
    stdout: new TextDecoder().decode(out.stdout),
    stderr: new TextDecoder().decode(out.stderr),
  };
}

Deno.test("a script in a folder with no deno.json imports mod.ts by URL, steps Adam, renders the trace", async () => {
  const dir = await Deno.makeTempDir({ prefix: "stepgrad-outside-" });
  try {
    const mod = new URL("mod.ts", root).href;
    await Deno.writeTextFile(
      `${dir}/outside.ts`,
      `import { Adam, traceToHtml, traceToText, Value } from ${JSON.stringify(mod)};
const w = new Value(0.5, "w"), b = new Value(0, "b");
const loss = w.mul(2).add(b).sub(3).pow(2); // (2w + b − 3)²
loss.backward();
const trace = new Adam([w, b], { lr: 0.1 }).step();
console.log(JSON.stringify({ w: w.data, b: b.data, gw: w.grad, gb: b.grad }));
console.log(traceToText(trace));
const html = await traceToHtml(trace);
console.log(html.includes('class="katex"') ? "katex html" : "no katex");
`,
    );
    // No config (none in the folder, and --no-config so none above it), no import map, no lock.
    const r = await run(dir, ["run", "--no-config", "--no-lock", "--allow-read", "outside.ts"]);
    assert.equal(r.code, 0, r.stderr);
    const [json, ...rest] = r.stdout.split("\n");
    const got = JSON.parse(json);
    // Adam's first step moves every parameter with a nonzero gradient by lr against its sign
    // (m̂ = g, v̂ = g², so the step is lr·g/(|g| + ε)): ∂L/∂w = 2·(2·0.5 − 3)·2 = −8, ∂L/∂b = −4.
    assert.equal(got.gw, -8);
    assert.equal(got.gb, -4);
    assert.ok(Math.abs(got.w - 0.6) < 1e-9, `w = ${got.w}`);
    assert.ok(Math.abs(got.b - 0.1) < 1e-9, `b = ${got.b}`);
    const text = rest.join("\n");
    assert.match(text, /mₜ/);
    assert.match(text, /w +← w − α·m̂ₜ\/\(√v̂ₜ \+ ε\)/);
    assert.match(text, /katex html/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a lesson runs by URL from another folder, with no config", async () => {
  const dir = await Deno.makeTempDir({ prefix: "stepgrad-lesson-" });
  try {
    const lesson = new URL("lessons/01-the-update-rule.ts", root).href;
    const r = await run(dir, ["run", "--no-config", "--no-lock", lesson]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout.split("\n")[0], /^Lesson 01 · The update rule/);
    assert.match(r.stdout, /W ← W − α·dW/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
