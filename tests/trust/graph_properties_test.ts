import assert from "node:assert/strict";
import fc from "npm:fast-check@4.11.0";
import { graphDifference, topoSort } from "../../mod.ts";
import { ALL_OPS, build, recipe, runs, seed } from "./arbitraries.ts";

Deno.test("property: backprop equals central differences on random graphs over every op", () => {
  const seen = new Set<string>();
  fc.assert(
    fc.property(recipe, (r) => {
      const { root, leaves, ops } = build(r);
      ops.forEach((o) => seen.add(o));
      root.backward();
      const order = topoSort(root);
      for (const leaf of leaves) {
        if (leaf.grad === 0 && !order.includes(leaf)) continue;
        const h = 1e-6 * Math.max(1, Math.abs(leaf.data));
        const d = graphDifference(root, leaf, h, order);
        if (d.domainError || d.crossesKink) continue; // a nudge crossed a boundary: not comparable
        const scale = Math.max(1, Math.abs(leaf.grad), Math.abs(root.data));
        assert.ok(
          Math.abs(leaf.grad - d.numeric) <= 1e-5 * scale,
          `${leaf.label}: backprop ${leaf.grad}, finite differences ${d.numeric}`,
        );
      }
    }),
    { numRuns: runs(300), seed: seed() },
  );
  for (const op of ALL_OPS) assert.ok(seen.has(op), `no random graph exercised ${op}`);
});

Deno.test("property: backward twice doubles leaf gradients and leaves interior ones unchanged", () => {
  fc.assert(
    fc.property(recipe, (r) => {
      const { root, leaves } = build(r);
      root.backward();
      const once = leaves.map((l) => l.grad);
      const interior = topoSort(root).filter((v) => !v.isLeaf).map((v) => v.grad);
      root.backward();
      // Exactly 2g when one path reaches the leaf; a few ulps off when several contributions are summed.
      leaves.forEach((l, i) =>
        assert.ok(Math.abs(l.grad - 2 * once[i]) <= 1e-12 * Math.max(1, Math.abs(once[i])))
      );
      assert.deepEqual(topoSort(root).filter((v) => !v.isLeaf).map((v) => v.grad), interior);
    }),
    { numRuns: runs(200), seed: seed() },
  );
});

Deno.test("property: topoSort lists every node once, after all of its inputs", () => {
  fc.assert(
    fc.property(recipe, (r) => {
      const { root } = build(r);
      const order = topoSort(root);
      const position = new Map(order.map((v, i) => [v, i]));
      assert.equal(position.size, order.length);
      assert.equal(order[order.length - 1], root);
      for (const v of order) {
        for (const input of v.inputs) assert.ok(position.get(input)! < position.get(v)!);
      }
    }),
    { numRuns: runs(200), seed: seed() },
  );
});
