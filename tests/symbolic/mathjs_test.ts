import assert from "node:assert/strict";
import { differentiate, loadSymbolic, parseExpression, toText } from "../../mod.ts";

Deno.test("importing mod.ts does not load mathjs: it is reached only through dynamic imports", async () => {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["info", "--json", new URL("../../mod.ts", import.meta.url).pathname],
    stdout: "piped",
    stderr: "null",
  }).output();
  const info = JSON.parse(new TextDecoder().decode(out.stdout));
  const redirects: Record<string, string> = info.redirects ?? {};
  const modules = new Map<string, { dependencies?: unknown[] }>(
    info.modules.map((m: { specifier: string }) => [m.specifier, m]),
  );
  const seen = new Set<string>();
  const stack: string[] = [...info.roots];
  while (stack.length > 0) {
    const s = stack.pop()!;
    const spec = redirects[s] ?? s;
    if (seen.has(spec)) continue;
    seen.add(spec);
    const deps = (modules.get(spec)?.dependencies ?? []) as {
      code?: { specifier: string };
      isDynamic?: boolean;
    }[];
    for (const d of deps) if (!d.isDynamic && d.code) stack.push(d.code.specifier);
  }
  assert.ok(seen.size > 10, "walked the static graph");
  assert.ok([...seen].some((s) => s.endsWith("/lib/symbolic/parse.ts")));
  const mathjs = [...seen].filter((s) => s.startsWith("npm:") && s.includes("mathjs"));
  assert.deepEqual(mathjs, [], "mathjs must only be imported dynamically");
});

Deno.test("the mathjs instance is locked down; stepgrad's own functions still work", async () => {
  const m = await loadSymbolic();
  for (
    const name of [
      "import",
      "createUnit",
      "evaluate",
      "parse",
      "compile",
      "simplify",
      "derivative",
      "resolve",
    ]
  ) {
    assert.throws(
      () => m.instance[name]("1 + 1"),
      /disabled in stepgrad's locked-down instance/,
      name,
    );
  }
  // derivatives still work, and a person's names never reach mathjs (they are renamed)
  const d = await differentiate(parseExpression("t*m^2 + g").expr, "m");
  assert.equal(toText(d), "2·t·m");
  assert.strictEqual(await loadSymbolic(), m); // created once
});
