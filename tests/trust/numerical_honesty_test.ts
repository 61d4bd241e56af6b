/**
 * Numerical honesty: a step too small is blamed on rounding, not on backprop; kinks are named;
 * NaN on both sides never passes. Through gradcheck and the three-way check alike.
 */
import assert from "node:assert/strict";
import { gradcheck, threeWayCheck, Value } from "../../mod.ts";

Deno.test("a step h far too small: cancellation is said, backprop is not blamed", () => {
  for (const eps of [1e-14, 1e-15]) {
    const w = new Value(1.7, "w");
    const x = new Value(-0.4, "x");
    const loss = w.mul(x).tanh().add(w.exp()).mul(1e3); // large loss, tiny step: cancellation
    const g = gradcheck(loss, [w, x], { eps });
    const failed = g.rows.filter((r) => !r.pass);
    assert.ok(failed.length > 0, `at h = ${eps} rounding should spoil finite differences`);
    for (const r of failed) {
      assert.match(r.note!, /lost precision|rounding/, `h = ${eps}: ${r.note}`);
      assert.doesNotMatch(r.note!, /backward rule/);
    }
    const t = threeWayCheck(loss, [w, x], { eps });
    for (const r of t.rows.filter((r) => !r.pass)) {
      assert.match(r.verdict, /lost precision|rounding/);
      assert.doesNotMatch(r.verdict, /backward pass is wrong|backward rule/);
      assert.ok(r.relErrorSymbolic < 1e-12, "symbolic and backprop still agree");
    }
  }
});

Deno.test("the same check with a sensible step passes: the failure above was the step's", () => {
  const w = new Value(1.7, "w");
  const x = new Value(-0.4, "x");
  const loss = w.mul(x).tanh().add(w.exp()).mul(1e3);
  assert.ok(gradcheck(loss, [w, x], { eps: 1e-6 }).ok);
  assert.ok(threeWayCheck(loss, [w, x], { eps: 1e-6 }).ok);
});

Deno.test("kinks are named in both checks", () => {
  const w = new Value(0, "w");
  const loss = w.relu().add(w.mul(0.5));
  assert.match(gradcheck(loss, [w]).rows[0].note!, /kink/);
  const row = threeWayCheck(loss, [w]).rows[0];
  assert.equal(row.kink, true);
  assert.match(row.verdict, /kink/);
});

Deno.test("NaN on both sides never passes", () => {
  const b = new Value(-2, "b");
  const n = new Value(3, "n");
  const y = b.pow(n); // ∂/∂n = b^n·ln b: NaN for a negative base, in backprop and symbolically
  const g = gradcheck(y, [n]);
  assert.equal(g.rows[0].pass, false);
  assert.equal(g.ok, false);
  const t = threeWayCheck(y, [n]);
  assert.equal(t.rows[0].pass, false);
  assert.ok(Number.isNaN(t.rows[0].backprop));
});
