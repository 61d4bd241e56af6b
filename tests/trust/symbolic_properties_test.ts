/**
 * The three derivations agree on random graphs: backprop, the symbolic chain rule over the op
 * table's rules, and mathjs's derivative of the whole expression; and a chain-rule explanation
 * multiplies out to the gradient.
 */
import assert from "node:assert/strict";
import fc from "npm:fast-check@4.11.0";
import {
  chainRule,
  compile,
  differentiate,
  evaluateExpr,
  graphToExpr,
  symbolicGradients,
  topoSort,
} from "../../mod.ts";
import { build, recipe, runs, seed } from "./arbitraries.ts";

const close = (a: number, b: number, rel: number) =>
  Math.abs(a - b) <= rel * Math.max(1, Math.abs(a), Math.abs(b));

Deno.test("property: backprop = symbolic chain rule = mathjs's derivative (1e-10 relative)", async () => {
  await fc.assert(
    fc.asyncProperty(recipe, async (r) => {
      const { root, leaves } = build(r);
      root.backward();
      const order = topoSort(root);
      const symbolic = symbolicGradients(root, order);
      const whole = graphToExpr(root);
      const env = Object.fromEntries(leaves.map((l) => [l.label, l.data]));
      for (const leaf of leaves) {
        if (!order.includes(leaf)) continue;
        const s = symbolic.get(leaf)!;
        assert.ok(
          close(leaf.grad, s, 1e-10),
          `${leaf.label}: backprop ${leaf.grad}, symbolic ${s}`,
        );
        const d = evaluateExpr(await differentiate(whole, leaf.label), env).value;
        assert.ok(close(leaf.grad, d, 1e-10), `${leaf.label}: backprop ${leaf.grad}, mathjs ${d}`);
      }
    }),
    { numRuns: runs(120), seed: seed() },
  );
});

Deno.test("property: a chain-rule explanation multiplies out to the gradient", async () => {
  await fc.assert(
    fc.asyncProperty(recipe, fc.array(fc.boolean(), { maxLength: 30 }), async (r, names) => {
      const { root, leaves } = build(r);
      // name some intermediates, as a learner names net_h1, out_h1, …
      topoSort(root).filter((v) => !v.isLeaf && v !== root).forEach((v, i) => {
        if (names[i]) v.label = `n${i}`;
      });
      root.backward();
      const order = topoSort(root);
      for (const leaf of leaves) {
        if (!order.includes(leaf)) continue;
        const c = await chainRule(root, leaf);
        const product = c.factors.reduce((p, f) => p * f.value, 1);
        assert.ok(
          close(product, leaf.grad, 1e-10),
          `${leaf.label}: factors give ${product}, backprop ${leaf.grad}`,
        );
        assert.ok(close(c.value, leaf.grad, 1e-10));
        for (const f of c.factors) {
          if (f.contributions) {
            const total = f.contributions.reduce((s, k) => s + k.value, 0);
            assert.ok(
              close(total, f.value, 1e-10),
              `∂${f.of}/∂${f.wrt}: contributions ${total}, total ${f.value}`,
            );
          }
        }
      }
    }),
    { numRuns: runs(120), seed: seed() },
  );
});

Deno.test("property: compile() replays forward and backward exactly as the graph does", () => {
  fc.assert(
    fc.property(
      recipe,
      fc.array(fc.double({ min: -0.01, max: 0.01, noNaN: true }), { maxLength: 4 }),
      (r, nudges) => {
        const { root, leaves } = build(r);
        const compiled = compile(root);
        assert.equal(compiled.forward(), root.data);
        for (const l of leaves) l.grad = 0;
        compiled.backward();
        const fromCompiled = leaves.map((l) => l.grad);
        for (const l of leaves) l.grad = 0;
        root.backward();
        assert.deepEqual(fromCompiled, leaves.map((l) => l.grad));
        // after the leaves move, the replay follows them (the graph is not rebuilt): it must give
        // what a freshly built graph of the same shape gives
        leaves.forEach((l, i) => (l.data += nudges[i] ?? 0));
        const again = build({ ...r, leaves: leaves.map((l) => l.data) }).root;
        const shape = (v: typeof root) => topoSort(v).map((n) => n.op).join(" ");
        if (shape(again) !== shape(root)) return; // a guard in build() chose another op
        assert.equal(compiled.forward(), again.data);
      },
    ),
    { numRuns: runs(300), seed: seed() },
  );
});
