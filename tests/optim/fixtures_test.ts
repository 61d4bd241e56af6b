// Trajectories against the reference implementation in tests/fixtures/optim/generate.py, a
// line-by-line transcription of PyTorch 2.x's _single_tensor_* functions (float64). Every option
// combination of each grid, 30 steps on Rosenbrock's function; the gradients are the fixture's,
// so each step compares the optimizer's arithmetic alone. Tolerance 1e-12 relative.
import assert from "node:assert/strict";
import { createOptimizer, type OptionValue, Value } from "../../mod.ts";

interface Fixture {
  optimizer: string;
  start: { x: number; y: number };
  cases: {
    options: Record<string, OptionValue>;
    steps: { grads: { x: number; y: number }; params: { x: number; y: number } }[];
  }[];
}

const NAMES = [
  "SGD",
  "RMSprop",
  "Adagrad",
  "Adadelta",
  "Adam",
  "AdamW",
  "Adamax",
  "NAdam",
  "RAdam",
];

function load(name: string): Fixture {
  const url = new URL(`../fixtures/optim/${name.toLowerCase()}.json`, import.meta.url);
  return JSON.parse(Deno.readTextFileSync(url));
}

for (const name of NAMES) {
  Deno.test(`${name}: every option combination matches the PyTorch transcription to 1e-12`, () => {
    const fixture = load(name);
    assert.equal(fixture.optimizer, name);
    assert.ok(fixture.cases.length >= 16, "the grid covers the options");
    let worst = 0;
    for (const c of fixture.cases) {
      const x = new Value(fixture.start.x, "x"), y = new Value(fixture.start.y, "y");
      const opt = createOptimizer(name, [x, y], c.options);
      c.steps.forEach((s, i) => {
        x.grad = s.grads.x;
        y.grad = s.grads.y;
        const trace = opt.step();
        for (const [p, want] of [[x, s.params.x], [y, s.params.y]] as const) {
          const rel = Math.abs(p.data - want) / Math.max(Math.abs(want), 1e-300);
          worst = Math.max(worst, rel);
          assert.ok(
            rel <= 1e-12,
            `${name} ${JSON.stringify(c.options)} step ${i + 1} ${p.label}: ${p.data} vs ${want}`,
          );
        }
        assert.equal(trace.params[0].after, x.data);
        assert.equal(trace.step, i + 1);
      });
    }
    // Same order of float64 operations as the transcription: agreement is (nearly) exact.
    assert.ok(worst < 1e-14, `worst relative difference ${worst}`);
  });
}

Deno.test("maximize on −f walks the same path as minimizing f (fixture invariant)", () => {
  for (const name of NAMES) {
    const { cases } = load(name);
    for (const c of cases.filter((c) => c.options.maximize === true)) {
      const twin = cases.find((d) =>
        d.options.maximize === false &&
        Object.keys(c.options).every((k) =>
          k === "maximize" || JSON.stringify(d.options[k]) === JSON.stringify(c.options[k])
        )
      );
      assert.ok(twin, `${name}: a minimizing twin of ${JSON.stringify(c.options)}`);
      // Weight decay breaks the symmetry (it is added to −∇f, not to ∇f); without it, equal.
      if (c.options.weightDecay === 0) {
        assert.deepEqual(c.steps.map((s) => s.params), twin.steps.map((s) => s.params));
      }
    }
  }
});
