import assert from "node:assert/strict";
import { centralDifference, gradcheck, graphDifference, relativeError, Value } from "../../mod.ts";

Deno.test("gradcheck reports every parameter with analytic, numeric and both errors", () => {
  const w = new Value(0.3, "w");
  const x = new Value(-1.2, "x");
  const b = new Value(0.1, "b");
  const loss = w.mul(x).add(b).sigmoid().sub(1).pow(2);
  const report = gradcheck(loss);
  assert.deepEqual(report.rows.map((r) => r.label), ["w", "x", "b"]);
  assert.equal(report.eps, 1e-6);
  assert.equal(report.atol, 1e-5);
  assert.equal(report.rtol, 1e-3);
  assert.ok(report.ok);
  // the analytic gradient by hand: 2(σ − 1)·σ(1 − σ)·x
  const s = 1 / (1 + Math.exp(-(0.3 * -1.2 + 0.1)));
  const dw = 2 * (s - 1) * s * (1 - s) * -1.2;
  assert.ok(Math.abs(report.rows[0].analytic - dw) < 1e-15);
  assert.ok(report.rows.every((r) => r.relError < 1e-7 && !r.kink && r.note === undefined));
  assert.equal(w.grad, report.rows[0].analytic); // leaves hold the analytic gradient afterwards
});

Deno.test("gradcheck catches a broken backward rule", () => {
  // A learner's hand-written backward for y = sigmoid(w·x) that forgets the inner factor x.
  const w = new Value(0.8, "w");
  const x = new Value(-2.5, "x");
  const y = w.mul(x).sigmoid();
  const s = y.data;
  const broken = [s * (1 - s), s * (1 - s) * 0.8]; // ∂y/∂w should be σ(1 − σ)·x
  const report = gradcheck(y, [w, x], { gradients: broken });
  assert.equal(report.ok, false);
  assert.equal(report.rows[0].pass, false);
  assert.match(report.rows[0].note!, /disagree: a backward rule is likely wrong/);
  assert.ok(report.rows[0].relError > 1e-2);
  assert.equal(report.rows[1].pass, true);
  assert.throws(
    () => gradcheck(y, [w, x], { gradients: [1] }),
    /1 gradients given for 2 parameters/,
  );
});

Deno.test("a parameter at a relu kink is flagged, as PyTorch's gradcheck fails there by design", () => {
  const x = new Value(0, "x");
  const report = gradcheck(x.relu());
  const row = report.rows[0];
  assert.equal(row.analytic, 0);
  assert.ok(Math.abs(row.numeric - 0.5) < 1e-9);
  assert.equal(row.pass, false);
  assert.equal(row.kink, true);
  assert.match(row.note!, /kink: finite differences average the two slopes/);
});

Deno.test("NaN never passes, and leaving the domain is said", () => {
  const x = new Value(0, "x");
  const r = gradcheck(x.sqrt()).rows[0];
  assert.equal(r.pass, false);
  assert.match(r.note!, /left the domain.*sqrt of a negative number/);
  const big = new Value(800, "big");
  const r2 = gradcheck(big.exp()).rows[0];
  assert.equal(r2.pass, false);
  assert.match(r2.note!, /not finite/);
});

Deno.test("cancellation: a step far too small is blamed on rounding, not on backprop", () => {
  const x = new Value(1e8, "x");
  const y = x.mul(1.5);
  const r = gradcheck(y, [x], { eps: 1e-9, atol: 0, rtol: 1e-9 }).rows[0];
  if (!r.pass) assert.match(r.note!, /lost precision/);
  const w = new Value(3, "w");
  const r2 = gradcheck(w.exp(), [w], { eps: 1e-13, atol: 0, rtol: 1e-6 }).rows[0];
  assert.equal(r2.pass, false);
  assert.match(r2.note!, /rounding error/);
});

Deno.test("graphDifference restores the graph and matches a plain central difference", () => {
  const a = new Value(0.4, "a");
  const y = a.tanh().mul(a).exp();
  const before = y.data;
  const d = graphDifference(y, a, 1e-6);
  assert.equal(y.data, before);
  assert.equal(a.data, 0.4);
  const plain = centralDifference((t) => Math.exp(Math.tanh(t) * t), 0.4, 1e-6);
  assert.equal(d.numeric, plain);
  assert.throws(() => graphDifference(y, y), /finite differences nudge leaves/);
  assert.throws(() => centralDifference((t) => t, 0, 0), /step h must be a positive number, got 0/);
});

Deno.test("relativeError follows CS231n", () => {
  assert.equal(relativeError(0, 0), 0);
  assert.equal(relativeError(1, -1), 2);
  assert.ok(Number.isNaN(relativeError(NaN, NaN)));
  assert.ok(Number.isNaN(relativeError(NaN, 1)));
});
