import assert from "node:assert/strict";
import {
  Adam,
  buildGraph,
  ExponentialLR,
  GROWTH_LIMIT,
  runOptimizer,
  SGD,
  Value,
} from "../../mod.ts";

const rosenbrock = () => buildGraph("(1 - x)^2 + 100 * (y - x^2)^2", { x: -1.2, y: 1 });

Deno.test("one SGD step on Rosenbrock's function: gradient (−215.6, −88), new point (−0.9844, 1.088)", () => {
  const { root, leaves } = rosenbrock();
  const run = runOptimizer(root, new SGD([leaves.x, leaves.y], { lr: 0.001 }), { steps: 1 });
  const [step] = run.steps;
  // ∂f/∂x = −2(1 − x) − 400x(y − x²) = −4.4 − 400·(−1.2)·(−0.44) = −215.6; ∂f/∂y = 200(y − x²) = −88
  assert.ok(Math.abs(step.params[0].grad - -215.6) < 1e-12);
  assert.ok(Math.abs(step.params[1].grad - -88) < 1e-12);
  assert.ok(Math.abs(leaves.x.data - -0.9844) < 1e-12);
  assert.ok(Math.abs(leaves.y.data - 1.088) < 1e-12);
  assert.ok(Math.abs(step.loss! - 24.2) < 1e-12); // (2.2)² + 100·(0.44)²
  assert.equal(run.initialLoss, step.loss);
  assert.deepEqual(run.initialParams, { x: -1.2, y: 1 });
  assert.equal(run.divergence, undefined);
});

Deno.test("divergence: lr beyond 2/curvature on w² is stopped at the step the loss passes the bound", () => {
  // f = w², curvature 2: w ← w(1 − 2α); with α = 1.5, w is multiplied by −2 each step, the loss by 4.
  const w = new Value(1, "w");
  const run = runOptimizer(w.mul(w), new SGD([w], { lr: 1.5 }), { steps: 100 });
  // 4ᵗ − 1 > 10⁶ first at t = 10 (4¹⁰ = 1048576)
  assert.equal(run.divergence?.step, 10);
  assert.equal(run.divergence?.kind, "loss-bound");
  assert.equal(run.steps.length, 10);
  assert.equal(run.steps[9].divergence, run.divergence);
  assert.match(
    run.divergence!.message,
    /^step 10: the loss grew from 1 to 1\.04858×10⁶ \(more than 1×10⁶ times its start\); the learning rate α = 1\.5 is likely too large for the curvature here; try a smaller lr$/,
  );
  assert.equal(GROWTH_LIMIT, 1e6);
});

Deno.test("divergence: a parameter or the loss turning non-finite stops the run", () => {
  const w = new Value(1, "w");
  // w ← 1 − 10²⁰⁰·2 = −2×10²⁰⁰ is finite, but w² overflows to ∞ (growth bound off to see it).
  const run = runOptimizer(w.mul(w), new SGD([w], { lr: 1e200 }), {
    steps: 10,
    growthLimit: Infinity,
  });
  assert.equal(run.divergence?.kind, "non-finite-loss");
  assert.equal(run.steps[0].params[0].after, -2e200);
  assert.match(
    run.divergence!.message,
    /^step 1: the loss became ∞; the learning rate α = 1×10²⁰⁰ is likely too large/,
  );
  // w = 10¹⁰, g = 2×10¹⁰, α = 10³⁰⁰: the step itself overflows, w becomes −∞.
  const v = new Value(1e10, "v");
  const run2 = runOptimizer(v.mul(v), new SGD([v], { lr: 1e300 }), { steps: 10 });
  assert.equal(run2.divergence?.kind, "non-finite-parameter");
  assert.match(run2.divergence!.message, /^step 1: v became −∞; /);
});

Deno.test("divergence: a step out of the function's domain says so", () => {
  const { root, leaves } = buildGraph("log(x) + (x - 3)^2", { x: 1 });
  // from x = 5: ∂/∂x = 1/x + 2(x − 3) = 0.2 + 4 = 4.2; lr 2 → x = 5 − 8.4 = −3.4, log undefined.
  leaves.x.data = 5;
  const run = runOptimizer(root, new SGD([leaves.x], { lr: 2 }), { steps: 3 });
  assert.equal(run.divergence?.kind, "domain");
  assert.match(run.divergence!.message, /^step 1 left the function's domain \(x = −3\.4\): log/);
});

Deno.test("a scheduler's lr appears in each step's trace", () => {
  const w = new Value(1, "w");
  const opt = new Adam([w], { lr: 0.1 });
  const run = runOptimizer(w.mul(w), opt, {
    steps: 4,
    scheduler: new ExponentialLR(opt, { gamma: 0.5 }),
  });
  assert.deepEqual(run.steps.map((s) => s.lr), [0.1, 0.05, 0.025, 0.0125]);
});

Deno.test("runOptimizer refuses bad input", () => {
  const w = new Value(1, "w");
  assert.throws(
    () => runOptimizer(w, new SGD([w]), { steps: -1 }),
    /steps must be a whole number ≥ 0, got -1/,
  );
  assert.throws(() => runOptimizer(w, new SGD([w]), { steps: 1.5 }), RangeError);
});

Deno.test("maximize: the bound watches the loss falling instead", () => {
  const w = new Value(1, "w");
  const run = runOptimizer(w.mul(w).neg(), new SGD([w], { lr: 1.5, maximize: true }), {
    steps: 50,
  });
  assert.equal(run.divergence?.step, 10);
  assert.match(run.divergence!.message, /the loss fell from −1 to/);
});

Deno.test("a run stopped before its first step still says which optimizer and why", () => {
  const { root, leaves } = buildGraph("sqrt(x) + y^2", { x: 0, y: 1 });
  const run = runOptimizer(root, new SGD([leaves.x, leaves.y], { lr: 0.1 }), { steps: 5 });
  assert.equal(run.steps.length, 0);
  assert.equal(run.divergence?.kind, "non-finite-gradient");
  assert.equal(
    run.divergence?.message,
    "step 1: the gradient ∂L/∂x is ∞ at x = 0; the loss has no usable slope there",
  );
  assert.equal(run.options?.lr, 0.1);
});
