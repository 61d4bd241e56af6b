/**
 * The three-way check and gradcheck blame only what is wrong (issue 10, points 10–12): agreeing
 * non-finite values are agreement, the symbolic side takes the numeric rule's limits for powers
 * (and PyTorch's ∂(xʸ)/∂y = 0 at x = 0, y ≥ 0), a check after an optimizer step sees the new
 * values, and kinks come from the op table (sqrt at 0 too).
 */
import assert from "node:assert/strict";
import { gradcheck, SGD, threeWayCheck, Value } from "../../mod.ts";
import { OP_BY_NAME, OPS } from "../../lib/graph/ops.ts";

Deno.test("both ∞: backprop and the symbolic derivative agree, and the cause is named", () => {
  const cases: [(x: Value) => Value, number, RegExp][] = [
    [(x) => x.sqrt(), 0, /slope of sqrt at 0 is ∞/],
    [(x) => x.exp(), 710, /exp\(710\) is ∞/],
  ];
  for (const [make, at, cause] of cases) {
    const row = threeWayCheck(make(new Value(at, "x"))).rows[0];
    assert.equal(row.backprop, Infinity);
    assert.equal(row.symbolic, Infinity);
    assert.match(row.verdict, /agree: both ∞/);
    assert.match(row.verdict, cause);
    assert.doesNotMatch(row.verdict, /backward rule/);
  }
});

Deno.test("x^0 at x = 0 and ∂(x^y)/∂y at x = 0: the symbolic side takes the limits (0), as backprop", () => {
  const x = new Value(0, "x");
  const r0 = threeWayCheck(x.pow(0)).rows[0];
  assert.equal(r0.symbolic, 0);
  assert.equal(r0.backprop, 0);
  assert.ok(r0.pass, r0.verdict);
  for (const yv of [2, 0.5]) {
    const a = new Value(0, "x"), y = new Value(yv, "y");
    const rows = threeWayCheck(a.pow(y)).rows;
    assert.equal(rows[1].symbolic, 0, `y = ${yv}`);
    assert.equal(rows[1].backprop, 0);
    assert.ok(rows[1].pass, rows[1].verdict);
  }
  // PyTorch: torch.pow(0., y) has ∂/∂y = 0 for y ≥ 0, including y = 0 (0⁰·log 0 read as 0)
  const a = new Value(0, "x"), y = new Value(0, "y");
  const out = a.pow(y);
  out.backward();
  assert.equal(y.grad, 0);
  assert.equal(OP_BY_NAME.pow.grad(1, 0, 0, 1), 0);
  assert.ok(Number.isNaN(OP_BY_NAME.pow.grad(1, -1, 2, 1)), "a negative base has no ∂/∂y");
});

Deno.test("gradcheck and the three-way check after an optimizer step recompute the forward pass", () => {
  const w = new Value(0.5, "w");
  const loss = w.mul(w).mul(3).tanh();
  const opt = new SGD([w], { lr: 0.5 });
  loss.backward();
  opt.step();
  const before = loss.data; // stale: from w = 0.5
  const r = gradcheck(loss);
  assert.ok(r.ok, r.rows[0].note);
  // the gradient at the new w, by hand: d tanh(3w²)/dw = (1 − tanh²(3w²))·6w
  const t = Math.tanh(3 * w.data * w.data);
  assert.ok(Math.abs(r.rows[0].analytic - (1 - t * t) * 6 * w.data) < 1e-12);
  assert.notEqual(loss.data, before);
  assert.equal(loss.data, t);
  opt.step();
  const three = threeWayCheck(loss);
  assert.ok(three.ok, three.rows[0].verdict);
});

Deno.test("kinks come from the op table: sqrt(x²) near 0 is a kink, not a wrong backward rule", () => {
  assert.deepEqual(OPS.filter((o) => o.kinks).map((o) => o.name).sort(), ["abs", "relu", "sqrt"]);
  for (const xv of [0, 1e-7, -3e-7]) {
    const x = new Value(xv, "x");
    const row = threeWayCheck(x.mul(x).sqrt()).rows[0];
    assert.ok(row.kink, `x = ${xv}`);
    assert.doesNotMatch(row.verdict, /backward rule/);
    const g = gradcheck(x.mul(x).sqrt()).rows[0];
    assert.ok(g.kink);
    assert.doesNotMatch(g.note ?? "", /backward rule/);
  }
  // away from it, no kink is claimed
  const x = new Value(0.3, "x");
  assert.equal(threeWayCheck(x.mul(x).sqrt()).rows[0].kink, false);
  assert.equal(threeWayCheck(x.sqrt()).rows[0].kink, false);
});
