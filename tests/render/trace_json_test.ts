import assert from "node:assert/strict";
import { buildGraph, NAdam, runOptimizer, SGD, traceToJson, Value } from "../../mod.ts";

Deno.test("JSON: steps with loss, params after the step, grads; exact float64 numbers", () => {
  const { root, leaves } = buildGraph("(1 - x)^2 + 100 * (y - x^2)^2", { x: -1.2, y: 1 });
  const run = runOptimizer(root, new SGD([leaves.x, leaves.y], { lr: 0.001 }), { steps: 2 });
  const doc = JSON.parse(traceToJson(run));
  assert.equal(doc.optimizer, "SGD");
  assert.deepEqual(doc.start, { loss: run.initialLoss, params: { x: -1.2, y: 1 } });
  assert.equal(doc.steps.length, 2);
  const [s1, s2] = doc.steps;
  assert.equal(s1.step, 1);
  assert.equal(s1.lr, 0.001);
  assert.ok(Math.abs(s1.loss - 24.2) < 1e-12);
  assert.ok(Math.abs(s1.grads.x - -215.6) < 1e-12 && Math.abs(s1.grads.y - -88) < 1e-12);
  assert.ok(Math.abs(s1.params.x - -0.9844) < 1e-12 && Math.abs(s1.params.y - 1.088) < 1e-12);
  assert.equal(s2.params.x, run.steps[1].params[0].after, "exact numbers, not rounded ones");
  assert.equal(s1.lossAfter, s2.loss);
  assert.equal(s1.equations.x.at(-1).shown, "−0.9844");
  assert.equal(s1.equations.x.at(-1).rule, "x − α·∂L/∂x");
  assert.equal(doc.divergence, undefined);
});

Deno.test("JSON: non-finite numbers as strings, divergence recorded; equations optional", () => {
  const w = new Value(1e10, "w");
  const run = runOptimizer(w.mul(w), new SGD([w], { lr: 1e300 }), { steps: 3 });
  const doc = JSON.parse(traceToJson(run, { equations: false, indent: 0 }));
  assert.equal(doc.steps[0].params.w, "-Infinity");
  assert.equal(doc.divergence.kind, "non-finite-parameter");
  assert.equal(doc.steps[0].equations, undefined);
  const v = new Value(1, "v");
  v.grad = 2;
  const one = JSON.parse(traceToJson(new NAdam([v]).step()));
  assert.deepEqual(one.steps[0].shared.map((e: { lhs: string }) => e.lhs), [
    "bc₂",
    "μₜ",
    "μₜ₊₁",
    "Πₜ",
  ]);
  assert.equal(one.options.lr, 0.002);
});
