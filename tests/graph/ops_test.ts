import assert from "node:assert/strict";
import { centralDifference, OP_NAMES, OPS, seededRandom, Value } from "../../mod.ts";

// Points inside each op's domain, away from kinks, spread over signs and magnitudes.
const rng = seededRandom(2024);
const spread = (lo: number, hi: number, n = 40) =>
  Array.from({ length: n }, () => rng.uniform(lo, hi));
const POINTS: Record<string, [number, number][]> = {
  add: spread(-50, 50).map((a) => [a, rng.uniform(-50, 50)]),
  sub: spread(-50, 50).map((a) => [a, rng.uniform(-50, 50)]),
  mul: spread(-20, 20).map((a) => [a, rng.uniform(-20, 20)]),
  div: spread(-20, 20).map((a) => [a, rng.uniform(0.5, 20) * (rng.next() < 0.5 ? -1 : 1)]),
  pow: [
    ...spread(0.1, 5).map((a): [number, number] => [a, rng.uniform(-3, 3)]),
    ...spread(-3, 3).map((a): [number, number] => [a, Math.floor(rng.uniform(1, 5))]),
  ],
  neg: spread(-100, 100).map((a) => [a, 0]),
  exp: spread(-20, 20).map((a) => [a, 0]),
  log: spread(1e-3, 100).map((a) => [a, 0]),
  sqrt: spread(1e-2, 100).map((a) => [a, 0]),
  tanh: spread(-4, 4).map((a) => [a, 0]),
  sigmoid: spread(-10, 10).map((a) => [a, 0]),
  relu: spread(-10, 10).filter((a) => Math.abs(a) > 1e-3).map((a) => [a, 0]),
  softplus: spread(-30, 30).map((a) => [a, 0]),
  abs: spread(-10, 10).filter((a) => Math.abs(a) > 1e-3).map((a) => [a, 0]),
  sin: spread(-10, 10).map((a) => [a, 0]),
  cos: spread(-10, 10).map((a) => [a, 0]),
  sinh: spread(-5, 5).map((a) => [a, 0]),
  cosh: spread(-5, 5).map((a) => [a, 0]),
  sech: spread(-8, 8).map((a) => [a, 0]),
};

function call(name: string, a: Value, b: Value): Value {
  const method = (a as unknown as Record<string, (b?: Value) => Value>)[name];
  return OPS.find((o) => o.name === name)!.arity === 1 ? method.call(a) : method.call(a, b);
}

Deno.test("every op: backprop matches central differences across its domain", () => {
  for (const name of OP_NAMES) {
    const points = POINTS[name];
    assert.ok(points && points.length >= 20, `test points for ${name}`);
    const arity = OPS.find((o) => o.name === name)!.arity;
    for (const [x, y] of points) {
      const a = new Value(x, "a");
      const b = new Value(y, "b");
      const out = call(name, a, b);
      out.backward();
      const fa = (t: number) => call(name, new Value(t), new Value(y)).data;
      const fb = (t: number) => call(name, new Value(x), new Value(t)).data;
      const h = 1e-5 * Math.max(1, Math.abs(x));
      const na = centralDifference(fa, x, h);
      const tol = 1e-6 * Math.max(1, Math.abs(na), Math.abs(out.data));
      assert.ok(
        Math.abs(a.grad - na) <= tol,
        `${name}(${x}, ${y}): ∂/∂a backprop ${a.grad}, numeric ${na}`,
      );
      if (arity === 2 && !(name === "pow" && x <= 0)) { // a^b·ln a needs a > 0
        const nb = centralDifference(fb, y, 1e-5 * Math.max(1, Math.abs(y)));
        const tolb = 1e-6 * Math.max(1, Math.abs(nb), Math.abs(out.data));
        assert.ok(
          Math.abs(b.grad - nb) <= tolb,
          `${name}(${x}, ${y}): ∂/∂b backprop ${b.grad}, numeric ${nb}`,
        );
      }
    }
  }
});

Deno.test("forward values are the textbook formulas", () => {
  const v = (x: number) => new Value(x);
  assert.equal(v(0).sigmoid().data, 0.5);
  assert.equal(v(-800).sigmoid().data, 0); // no overflow in the negative branch
  assert.equal(v(800).sigmoid().data, 1);
  assert.equal(v(0).softplus().data, Math.LN2);
  assert.equal(v(1000).softplus().data, 1000); // stays finite and exact
  assert.equal(v(-1000).softplus().data, 0);
  assert.equal(v(-3).relu().data, 0);
  assert.equal(v(2.5).relu().data, 2.5);
  assert.equal(v(-2).abs().data, 2);
  assert.equal(v(9).sqrt().data, 3);
  assert.equal(v(6).div(4).data, 1.5);
  assert.equal(v(Math.PI / 2).sin().data, 1);
  assert.equal(v(0).cos().data, 1);
  assert.equal(v(Math.log(2)).sinh().data, 0.75); // (2 − 1/2) / 2
  assert.equal(v(Math.log(2)).cosh().data, 1.25); // (2 + 1/2) / 2
  assert.equal(v(Math.log(2)).sech().data, 0.8);
  assert.equal(v(1000).sech().data, 0); // cosh overflows to ∞, sech stays 0
});

Deno.test("the op table is consistent: codes, arity, symbolic slots", () => {
  OPS.forEach((op, code) => {
    assert.equal(op.code, code);
    assert.equal(op.name, OP_NAMES[code]);
    assert.equal(op.symbolicGrad.length, op.arity, `${op.name}: one symbolic derivative per input`);
    assert.equal(typeof op.latex("a", "b"), "string");
  });
});
