/**
 * Learning-rate sweeps against independent truth: on a quadratic bowl, plain gradient descent's
 * losses, arrival steps, divergence and best rate from the closed form (the Hessian's eigenvalues);
 * on Rosenbrock's valley, the same numbers as runOptimizer (the uncompiled path), bit for bit.
 */
import assert from "node:assert/strict";
import {
  bestRun,
  createOptimizer,
  logRates,
  rateBand,
  runAt,
  runOptimizer,
  StepLR,
  sweep,
  sweepProblem,
  type SweepRun,
  Value,
} from "../../mod.ts";

// f(x, y) = ½·(a·x² + 2b·x·y + c·y²): a bowl whose axes are turned away from x and y.
const A = 7, B = 3, C = 4;
const START = [1.5, -2] as const;

function bowl() {
  const x = new Value(START[0], "x"), y = new Value(START[1], "y");
  const loss = x.mul(x).mul(A).add(x.mul(y).mul(2 * B)).add(y.mul(y).mul(C)).mul(0.5);
  return { x, y, loss };
}

// The closed form: H's eigenvalues h and unit eigenvectors u; the start's coordinates along u
// shrink by (1 − α·h) per step, and f = ½·Σ h·(coordinate)².
const mean = (A + C) / 2, radius = Math.hypot((A - C) / 2, B);
const H_MAX = mean + radius, H_MIN = mean - radius;
const modes = [H_MAX, H_MIN].map((h) => {
  const v = [B, h - A], len = Math.hypot(v[0], v[1]);
  const u = [v[0] / len, v[1] / len];
  return { h, c: u[0] * START[0] + u[1] * START[1] };
});
const closedLoss = (lr: number, t: number) =>
  modes.reduce((s, { h, c }) => s + 0.5 * h * (c * (1 - lr * h) ** t) ** 2, 0);

Deno.test("sweep: the closed form checks itself (the bowl's start loss, eigen-decomposed)", () => {
  const f0 = 0.5 * (A * START[0] ** 2 + 2 * B * START[0] * START[1] + C * START[1] ** 2);
  assert.ok(Math.abs(closedLoss(0, 0) - f0) < 1e-12);
  assert.ok(Math.abs(H_MAX * H_MIN - (A * C - B * B)) < 1e-12); // det H
});

Deno.test("sweep: SGD on a bowl gives the closed form's losses, arrivals and divergence", () => {
  const problem = sweepProblem(bowl().loss);
  const steps = 200, tolerance = 1e-8, limit = 1e6;
  const rates = logRates(1e-3, 1, 20);
  const s = sweep(problem, "SGD", rates, { steps, tolerance });
  assert.equal(s.runs.length, rates.length);
  const f0 = closedLoss(0, 0);
  for (const r of s.runs) {
    // The closed form, step by step: arrival, and the step where the loss passes the bound.
    let arrival: number | undefined, stop: number | undefined;
    for (let t = 1; t <= steps && stop === undefined; t++) {
      const f = closedLoss(r.lr, t);
      if (f - f0 > limit * Math.max(1, f0)) stop = t;
      else if (arrival === undefined && f < tolerance) arrival = t;
    }
    assert.equal(r.divergence?.step, stop, `α = ${r.lr}`);
    if (stop !== undefined) {
      assert.equal(r.divergence?.kind, "loss-bound");
      assert.ok(r.lr > 2 / H_MAX, `α = ${r.lr} diverged below 2/h_max`);
      continue;
    }
    assert.equal(r.stepsToTolerance, arrival, `α = ${r.lr}`);
    const want = closedLoss(r.lr, steps);
    assert.ok(
      Math.abs(r.finalLoss - want) <= 1e-9 * want + 1e-300,
      `α = ${r.lr}: ${r.finalLoss} vs ${want}`,
    );
  }
  // Every rate below 2/h_max converges; those far enough above it pass the bound within 200 steps.
  assert.ok(s.runs.filter((r) => r.lr < 2 / H_MAX).every((r) => r.divergence === undefined));
  assert.ok(s.runs.filter((r) => r.lr > 2.2 / H_MAX).every((r) => r.divergence !== undefined));
});

Deno.test("sweep: SGD's best rate on a bowl is the grid's nearest to 2/(h_max + h_min)", () => {
  const problem = sweepProblem(bowl().loss);
  const rates = logRates(1e-3, 1, 40);
  const s = sweep(problem, "SGD", rates, { steps: 500, tolerance: 1e-12 });
  // Independently: the rate that minimises max |1 − α·h| over the bowl's curvatures.
  const optimal = 2 / (H_MAX + H_MIN);
  const contraction = (lr: number) => Math.max(...[H_MAX, H_MIN].map((h) => Math.abs(1 - lr * h)));
  const nearest = rates.reduce((a, b) => contraction(a) <= contraction(b) ? a : b);
  assert.equal(s.best?.lr, nearest);
  assert.ok(Math.abs(Math.log10(nearest / optimal)) <= 0.5 / 40 + 1e-12);
  // The arrival the closed form predicts at that rate.
  let t = 1;
  while (closedLoss(nearest, t) >= 1e-12) t++;
  assert.equal(s.best?.stepsToTolerance, t);
});

function rosenbrock() {
  const x = new Value(-1.2, "x"), y = new Value(1, "y");
  const loss = new Value(1).sub(x).pow(2).add(y.sub(x.pow(2)).pow(2).mul(100));
  return { x, y, loss };
}

Deno.test("sweep: on Rosenbrock, every optimizer's run equals runOptimizer's, bit for bit", () => {
  const problem = sweepProblem(rosenbrock().loss);
  const steps = 300, tolerance = 1e-3;
  const cases: [string, Record<string, number | boolean>, number[]][] = [
    ["SGD", {}, [1e-4, 1e-3, 3e-3, 1e-2]],
    ["SGD", { momentum: 0.9, nesterov: true }, [1e-4, 1e-3, 3e-3]],
    ["Adam", {}, [1e-3, 0.05, 0.5]],
    ["AdamW", { weightDecay: 0.1 }, [0.05]],
    ["RMSprop", {}, [0.01, 0.178, 1]],
    ["Adagrad", {}, [0.5]],
    ["Adadelta", {}, [1]],
    ["Adamax", {}, [0.05]],
    ["NAdam", {}, [0.05]],
    ["RAdam", {}, [0.05]],
  ];
  let diverged = 0, passedThrough = 0;
  for (const [name, options, rates] of cases) {
    const s = sweep(problem, name, rates, { steps, tolerance, options });
    s.runs.forEach((r, i) => {
      const { x, y, loss } = rosenbrock();
      const opt = createOptimizer(name, [x, y], { ...options, lr: rates[i] });
      const run = runOptimizer(loss, opt, { steps, trace: false });
      const what = `${name} ${JSON.stringify(options)} α = ${rates[i]}`;
      assert.equal(r.divergence?.step, run.divergence?.step, what);
      assert.equal(r.divergence?.kind, run.divergence?.kind, what);
      if (run.divergence) {
        diverged++;
        return;
      }
      assert.equal(r.finalLoss, run.steps.at(-1)?.lossAfter, what);
      // The step from which on every loss is below the tolerance.
      const losses = run.steps.map((st) => st.lossAfter ?? Infinity);
      const last = losses.findLastIndex((l) => !(l < tolerance));
      const settled = last === losses.length - 1 ? undefined : last + 2;
      assert.equal(r.stepsToTolerance, settled, what);
      const first = losses.findIndex((l) => l < tolerance);
      if (first >= 0 && first + 1 !== settled) passedThrough++;
    });
  }
  assert.ok(diverged >= 2, "some of these runs diverge (SGD at 0.01, RMSprop at 1)");
  assert.ok(passedThrough >= 1, "some pass below the tolerance before they stay below it");
});

Deno.test("sweep: a scheduler and recorded losses match runOptimizer's", () => {
  const problem = sweepProblem(rosenbrock().loss);
  const scheduler = (o: { lr: number }) => new StepLR(o, { stepSize: 50, gamma: 0.5 });
  const r = runAt(problem, "SGD", 1e-3, {
    steps: 200,
    tolerance: 1e-3,
    options: { momentum: 0.9 },
    scheduler,
    record: true,
  });
  const { x, y, loss } = rosenbrock();
  const opt = createOptimizer("SGD", [x, y], { lr: 1e-3, momentum: 0.9 });
  const run = runOptimizer(loss, opt, { steps: 200, trace: false, scheduler: scheduler(opt) });
  assert.deepEqual(r.losses, [run.initialLoss, ...run.steps.map((s) => s.lossAfter)]);
  assert.equal(r.lr, 1e-3);
});

Deno.test("sweep: the parameters are back at the start after a sweep", () => {
  const { x, y, loss } = rosenbrock();
  const problem = sweepProblem(loss);
  sweep(problem, "Adam", [0.01, 0.1], { steps: 20, tolerance: 0 });
  assert.deepEqual([x.data, y.data], [-1.2, 1]);
  assert.deepEqual(problem.start, [-1.2, 1]);
  assert.ok(Math.abs(problem.initialLoss - (2.2 ** 2 + 100 * 0.44 ** 2)) < 1e-12); // f(−1.2, 1) = 24.2
});

Deno.test("sweep: logRates are exact powers of ten on the decades, and checked", () => {
  const r = logRates(1e-4, 1, 4);
  assert.equal(r.length, 17);
  assert.deepEqual([r[0], r[4], r[8], r[12], r[16]], [1e-4, 1e-3, 1e-2, 1e-1, 1]);
  for (let i = 1; i < r.length; i++) assert.ok(Math.abs(r[i] / r[i - 1] - 10 ** 0.25) < 1e-12);
  assert.deepEqual(logRates(0.002, 0.5, 1), [0.01, 0.1]);
  assert.throws(() => logRates(0, 1, 2), RangeError);
  assert.throws(() => logRates(1, 0.1, 2), RangeError);
  assert.throws(() => logRates(0.1, 1, 1.5), RangeError);
});

Deno.test("sweep: bestRun prefers fewer steps to tolerance, then lower loss, never a diverged run", () => {
  const run = (
    lr: number,
    finalLoss: number,
    stepsToTolerance?: number,
    diverged = false,
  ): SweepRun => ({
    lr,
    finalLoss,
    stepsToTolerance,
    divergence: diverged ? { step: 3, kind: "loss-bound", message: "" } : undefined,
  });
  assert.equal(bestRun([run(1, 1e-9, 40), run(2, 1e-5, 30), run(3, 0, 2, true)])?.lr, 2);
  assert.equal(bestRun([run(1, 1e-9, 30), run(2, 1e-12, 30)])?.lr, 2);
  assert.equal(bestRun([run(1, 0.5), run(2, 0.25), run(3, 0.125, undefined, true)])?.lr, 2);
  assert.equal(bestRun([run(3, 0.125, undefined, true)]), undefined);
});

Deno.test("sweep: rateBand is the unbroken band within a factor of the lowest loss", () => {
  const run = (lr: number, finalLoss: number, diverged = false): SweepRun => ({
    lr,
    finalLoss,
    stepsToTolerance: undefined,
    divergence: diverged ? { step: 3, kind: "loss-bound", message: "" } : undefined,
  });
  const runs = [
    run(1e-4, 5),
    run(1e-3, 0.9),
    run(1e-2, 0.1),
    run(1e-1, 0.5),
    run(1, 0.01, true),
    run(10, 0.2),
  ];
  assert.deepEqual(rateBand(runs), { low: 1e-3, high: 0.1, decades: 2, count: 3 });
  const wide = rateBand(runs, { factor: 100 });
  assert.deepEqual([wide?.low, wide?.high, wide?.count], [1e-4, 0.1, 4]); // stops at the diverged run
  assert.equal(rateBand([run(1, 1, true)]), undefined);
  assert.deepEqual(rateBand(runs, { below: 1 }), { low: 1e-3, high: 0.1, decades: 2, count: 3 });
  assert.equal(rateBand(runs, { below: 0.1 }), undefined); // strictly below
  assert.deepEqual(rateBand(runs, { below: 0.2 })?.count, 1);
});
