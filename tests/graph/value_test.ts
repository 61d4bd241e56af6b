import assert from "node:assert/strict";
import { OP_NAMES, topoSort, Value } from "../../mod.ts";

const close = (actual: number, expected: number, tol = 1e-12) =>
  assert.ok(
    Math.abs(actual - expected) <= tol * Math.max(1, Math.abs(expected)),
    `${actual} is not within ${tol} of ${expected}`,
  );

// micrograd's test_engine.py, test_sanity_check; figures from PyTorch.
Deno.test("micrograd sanity check: y = −20, x.grad = 46", () => {
  const x = new Value(-4.0);
  const z = x.mul(2).add(2).add(x);
  const q = z.relu().add(z.mul(x));
  const h = z.mul(z).relu();
  const y = h.add(q).add(q.mul(x));
  y.backward();
  close(y.data, -20);
  close(x.grad, 46);
});

// micrograd's test_engine.py, test_more_ops.
Deno.test("micrograd more ops: g, a.grad, b.grad match PyTorch", () => {
  const a = new Value(-4.0);
  const b = new Value(2.0);
  let c = a.add(b);
  let d = a.mul(b).add(b.pow(3));
  c = c.add(c.add(1));
  c = c.add(new Value(1).add(c).add(a.neg()));
  d = d.add(d.mul(2).add(b.add(a).relu()));
  d = d.add(d.mul(3).add(b.sub(a).relu()));
  const e = c.sub(d);
  const f = e.pow(2);
  let g = f.div(2.0);
  g = g.add(new Value(10.0).div(f));
  g.backward();
  close(g.data, 24.70408163265306);
  close(a.grad, 138.83381924198252);
  close(b.grad, 645.5772594752186);
});

Deno.test("inputs are ordered and repeated inputs are kept: x.mul(x) has inputs [x, x]", () => {
  const x = new Value(3, "x");
  const y = x.mul(x);
  assert.equal(y.op, "mul");
  assert.equal(y.inputs.length, 2);
  assert.equal(y.inputs[0], x);
  assert.equal(y.inputs[1], x);
  const z = x.sub(2);
  assert.equal(z.inputs[0], x);
  assert.equal(z.inputs[1].data, 2);
  assert.equal(z.inputs[1].label, "");
  assert.ok(z.inputs[1].isLeaf);
  assert.equal(x.op, "");
  assert.deepEqual(x.inputs, []);
});

Deno.test("reuse: a + a, b + b, x·x and a node feeding three others", () => {
  const a = new Value(3, "a");
  const b = a.add(a);
  const c = b.add(b);
  c.backward();
  assert.equal(a.grad, 4);
  assert.equal(b.grad, 2);

  const x = new Value(-1.5, "x");
  const sq = x.mul(x);
  sq.backward();
  assert.equal(x.grad, 2 * -1.5);

  // u feeds p, q and r; L = p + q·r with p = u², q = 3u, r = exp(u)
  const u = new Value(0.7, "u");
  const L = u.pow(2).add(u.mul(3).mul(u.exp()));
  L.backward();
  const expected = 2 * 0.7 + 3 * Math.exp(0.7) + 3 * 0.7 * Math.exp(0.7);
  close(u.grad, expected);
});

Deno.test("backward accumulates into leaves across calls and resets interior nodes", () => {
  const w = new Value(2, "w");
  const h = w.mul(3);
  const y = h.mul(h); // y = 9w², dy/dw = 18w = 36
  y.backward();
  assert.equal(w.grad, 36);
  assert.equal(h.grad, 12);
  y.backward();
  assert.equal(w.grad, 72); // accumulated, as PyTorch does
  assert.equal(h.grad, 12); // interior: this pass only
  assert.equal(y.grad, 1);
  const leaf = new Value(5);
  leaf.backward();
  leaf.backward();
  assert.equal(leaf.grad, 2);
});

Deno.test("a chain of 1,000,000 nodes: backward works without recursion", () => {
  const x = new Value(1, "x");
  let y = x;
  for (let i = 0; i < 1_000_000; i++) y = y.mul(1.0000001);
  y.backward();
  close(x.grad, Math.pow(1.0000001, 1_000_000), 1e-9);
  assert.equal(topoSort(y).length, 2_000_001); // each mul adds a node and its constant
});

Deno.test("pow takes a number or a Value exponent", () => {
  const a = new Value(2, "a");
  const n = new Value(3, "n");
  const y = a.pow(n);
  y.backward();
  assert.equal(y.data, 8);
  close(a.grad, 3 * 4);
  close(n.grad, 8 * Math.log(2));
  const z = new Value(-2, "z").pow(3); // a negative base to an integer power is fine
  assert.equal(z.data, -8);
  const zero = new Value(0, "zero");
  const p = zero.pow(2);
  p.backward();
  assert.equal(zero.grad, 0);
  const one = new Value(0, "k").pow(0); // 0^0 = 1, slope 0 as in PyTorch
  one.backward();
  assert.equal(one.data, 1);
  assert.equal(one.inputs[0].grad, 0);
});

Deno.test("kinks follow PyTorch: relu'(0) = 0, abs'(0) = 0, sqrt'(0) = ∞", () => {
  const r = new Value(0, "r");
  r.relu().backward();
  assert.equal(r.grad, 0);
  const a = new Value(0, "a");
  a.abs().backward();
  assert.equal(a.grad, 0);
  const s = new Value(0, "s");
  s.sqrt().backward();
  assert.equal(s.grad, Infinity);
});

Deno.test("domain errors are RangeErrors naming the op, the value and the node", () => {
  const cases: [() => Value, RegExp][] = [
    [
      () => new Value(-0.5, "h1").log(),
      /log of a non-positive number: log\(-0\.5\) with input "h1"/,
    ],
    [() => new Value(0, "p").log(), /log of a non-positive number: log\(0\) with input "p"/],
    [() => new Value(-4, "v").sqrt(), /sqrt of a negative number: sqrt\(-4\) with input "v"/],
    [
      () => new Value(1, "num").div(new Value(0, "den")),
      /division by zero: div\(1, 0\) with inputs "num" and "den"/,
    ],
    [
      () => new Value(3, "x").div(0),
      /division by zero: div\(3, 0\) with inputs "x" and \(constant\)/,
    ],
    [
      () => new Value(-8, "base").pow(1 / 3),
      /a negative base to a non-integer power: pow\(-8, 0\.333\d+\) with inputs "base"/,
    ],
    [() => new Value(0, "z").pow(-1), /division by zero \(0 to a negative power\): pow\(0, -1\)/],
    [() => new Value(2, "x").mul(-1).log(), /log\(-2\) with input \(a mul node\)/],
  ];
  for (const [make, message] of cases) {
    assert.throws(make, (e: unknown) => e instanceof RangeError && message.test(e.message));
  }
});

Deno.test("overflow from valid inputs is not an error: exp(1000) = ∞", () => {
  const x = new Value(1000, "x");
  const y = x.exp();
  assert.equal(y.data, Infinity);
  y.backward();
  assert.equal(x.grad, Infinity);
});

Deno.test("bad constructor input is refused with a clear error", () => {
  assert.throws(() => new Value(NaN, "w"), /Value "w": data is NaN/);
  assert.throws(() => new Value("3" as unknown as number), TypeError);
  assert.throws(
    () => new Value(1).add("2" as unknown as number),
    /expected a Value or a number as the second input of add, got string 2/,
  );
});

Deno.test("every op in the table is reachable as a method", () => {
  for (const name of OP_NAMES) {
    assert.equal(
      typeof (Value.prototype as unknown as Record<string, unknown>)[name],
      "function",
      name,
    );
  }
});

Deno.test("toString is readable", () => {
  const w = new Value(0.123456789, "w");
  assert.equal(w.toString(), "Value(w = 0.123457, grad 0)");
  assert.equal(w.tanh().toString().startsWith("Value(tanh(…) = 0.1228"), true);
});
