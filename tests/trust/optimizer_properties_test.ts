/**
 * Properties of every optimizer on random quadratics, and of every trace of random numbers: it
 * renders in KaTeX strict mode and its text reads back to the same numbers at the shown precision.
 */
import assert from "node:assert/strict";
import fc from "npm:fast-check@4.11.0";
import {
  alignEquations,
  createOptimizer,
  type OptimizerName,
  OPTIMIZERS,
  parseFormatted,
  traceFormulas,
  Value,
} from "../../mod.ts";
import { renderTex } from "../../lib/render/katex.ts";
import { runs, seed } from "./arbitraries.ts";

const NAMES = Object.keys(OPTIMIZERS) as OptimizerName[];

/** f(x) = Σ aᵢ(xᵢ − cᵢ)², aᵢ > 0: convex, minimum 0 at c. */
const quadratic = fc.array(
  fc.record({
    a: fc.double({ min: 0.1, max: 10, noNaN: true }),
    c: fc.double({ min: -5, max: 5, noNaN: true }),
    x: fc.double({ min: -5, max: 5, noNaN: true }),
  }),
  { minLength: 1, maxLength: 4 },
);

type Quad = { a: number; c: number; x: number }[];

function lossOf(q: Quad, params: Value[], sign = 1): Value {
  let loss: Value = new Value(0);
  q.forEach(({ a, c }, i) => (loss = loss.add(params[i].sub(c).pow(2).mul(a))));
  return sign === 1 ? loss : loss.neg();
}

function gradStep(q: Quad, params: Value[], opt: { step(): unknown; zeroGrad(): void }, sign = 1) {
  opt.zeroGrad();
  lossOf(q, params, sign).backward();
  return opt.step();
}

const params = (q: Quad) => q.map((t, i) => new Value(t.x, `x${i}`));

Deno.test("property: every optimizer's first step moves each parameter against its gradient", () => {
  fc.assert(
    fc.property(quadratic, fc.double({ min: 1e-4, max: 0.5, noNaN: true }), (q, lr) => {
      for (const name of NAMES) {
        const ps = params(q);
        const opt = createOptimizer(name, ps, { lr, weightDecay: 0 });
        gradStep(q, ps, opt);
        ps.forEach((p, i) => {
          const g = p.grad;
          const moved = p.data - q[i].x;
          if (g === 0) assert.equal(moved, 0, `${name}: moved with zero gradient`);
          else {assert.ok(
              Math.sign(moved) === -Math.sign(g) || moved === 0,
              `${name}: g ${g}, moved ${moved}`,
            );}
        });
      }
    }),
    { numRuns: runs(60), seed: seed() },
  );
});

Deno.test("property: maximize on f takes exactly the steps of minimising −f", () => {
  fc.assert(
    fc.property(quadratic, fc.double({ min: 1e-4, max: 0.2, noNaN: true }), (q, lr) => {
      for (const name of NAMES) {
        const a = params(q), b = params(q);
        const max = createOptimizer(name, a, { lr, maximize: true });
        const min = createOptimizer(name, b, { lr });
        for (let t = 0; t < 5; t++) {
          gradStep(q, a, max, -1); // maximize −f ...
          gradStep(q, b, min, 1); // ... is minimise f
        }
        assert.deepEqual(a.map((p) => p.data), b.map((p) => p.data), name);
      }
    }),
    { numRuns: runs(30), seed: seed() },
  );
});

Deno.test("property: Adam's step is bounded by α·(1 − β₁)/√(1 − β₂) (Kingma & Ba, §2.1)", () => {
  fc.assert(
    fc.property(quadratic, fc.double({ min: 1e-3, max: 1, noNaN: true }), (q, lr) => {
      const ps = params(q);
      const opt = createOptimizer("adam", ps, { lr });
      const bound = lr * (1 - 0.9) / Math.sqrt(1 - 0.999);
      for (let t = 0; t < 20; t++) {
        const before = ps.map((p) => p.data);
        gradStep(q, ps, opt);
        ps.forEach((p, i) => assert.ok(Math.abs(p.data - before[i]) <= bound * (1 + 1e-12)));
      }
    }),
    { numRuns: runs(40), seed: seed() },
  );
});

Deno.test("property: SGD with α < 1/max aᵢ lowers the loss of a convex quadratic at every step", () => {
  fc.assert(
    fc.property(quadratic, fc.double({ min: 0.01, max: 0.99, noNaN: true }), (q, fraction) => {
      const lr = fraction / Math.max(...q.map((t) => t.a));
      const ps = params(q);
      const opt = createOptimizer("sgd", ps, { lr });
      let last = lossOf(q, ps).data;
      for (let t = 0; t < 10; t++) {
        gradStep(q, ps, opt);
        const now = lossOf(q, ps).data;
        assert.ok(now <= last, `step ${t + 1}: ${last} → ${now}`);
        last = now;
      }
    }),
    { numRuns: runs(60), seed: seed() },
  );
});

/** Numbers across every scale, sign and zero. */
const anyNumber = fc.oneof(
  fc.constant(0),
  fc.double({ min: -1e3, max: 1e3, noNaN: true }),
  fc.double({ min: 1e-300, max: 1e-8, noNaN: true }),
  fc.double({ min: -1e-8, max: -1e-300, noNaN: true }),
  fc.double({ min: 1e8, max: 1e150, noNaN: true }),
  fc.double({ min: -1e150, max: -1e8, noNaN: true }),
);

Deno.test("property: traces of random numbers render in KaTeX strict mode and read back from text", () => {
  let formulas = 0, lines = 0;
  fc.assert(
    fc.property(
      fc.constantFrom(...NAMES),
      fc.array(fc.tuple(anyNumber, anyNumber), { minLength: 1, maxLength: 3 }),
      fc.boolean(),
      (name, values, options) => {
        const ps = values.map(([x], i) => new Value(x, i === 0 ? "w" : `θ${i}`));
        const extra: Record<string, number | boolean> = options
          ? { weightDecay: 0.01, ...(name === "SGD" ? { momentum: 0.9, nesterov: true } : {}) }
          : {};
        const opt = createOptimizer(name, ps, { lr: 0.01, ...extra });
        for (let t = 0; t < 2; t++) {
          values.forEach(([, g], i) => (ps[i].grad = g));
          const trace = opt.step() as Parameters<typeof traceFormulas>[0] & {
            params: { equations: Parameters<typeof alignEquations>[0] }[];
          };
          for (const tex of traceFormulas(trace)) {
            renderTex(tex, { displayMode: true });
            formulas++;
          }
          for (const p of trace.params) {
            // one line per equation; a note, when there is one, follows on its own line
            const text = alignEquations(p.equations).filter((l) => !/^\s+\(/.test(l));
            assert.equal(text.length, p.equations.length);
            p.equations.forEach((e, k) => {
              const line = text[k];
              const shown = line.slice(line.lastIndexOf("= ") + 2).trim();
              const back = parseFormatted(shown);
              const expected = Number.isFinite(e.result)
                ? Number(e.result.toPrecision(e.digits))
                : e.result;
              assert.ok(
                Object.is(back, expected),
                `${name}: "${text[k]}" reads back as ${back}, not ${expected}`,
              );
              lines++;
            });
          }
        }
      },
    ),
    { numRuns: runs(40), seed: seed() },
  );
  assert.ok(formulas > 100 && lines > 100, `${formulas} formulas, ${lines} lines`);
});
