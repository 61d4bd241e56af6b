import assert from "node:assert/strict";
import { toDot, Value } from "../../mod.ts";

Deno.test("toDot: a record per value, an op node per operation, repeated inputs as two edges", () => {
  const x = new Value(3, "x");
  const w = new Value(-0.5, "w");
  const y = x.mul(x).add(w).tanh();
  y.label = "y";
  y.backward();
  const dot = toDot(y);
  const records = dot.match(/^ {2}n\d+ \[label="\{.*\}"\];$/gm) ?? [];
  assert.equal(records.length, 5); // x, x·x, w, +, tanh
  assert.equal((dot.match(/shape=ellipse/g) ?? []).length, 3);
  assert.equal((dot.match(/^ {2}n0 -> op1;$/gm) ?? []).length, 2);
  assert.match(dot, /n4 \[label="\{ y \| data 1 \| grad 1 \}"\]/);
  assert.ok(dot.startsWith("digraph G {") && dot.trimEnd().endsWith("}"));
  assert.equal(toDot(y), dot); // deterministic
});

Deno.test("toDot: constants show their value only, numbers through a chosen formatter", () => {
  const x = new Value(-3, "x");
  const y = x.pow(2); // d/d(exponent) at a negative base is NaN: not shown for a constant
  y.backward();
  const dot = toDot(y, { format: (v) => v.toFixed(1).replace("-", "−") });
  assert.match(dot, /n0 \[label="\{ x \| data −3\.0 \| grad −6\.0 \}"\]/);
  assert.match(dot, /n1 \[label="\{ data 2\.0 \}"\]/);
  assert.doesNotMatch(dot, /NaN/);
});

Deno.test("toDot escapes record syntax in labels", () => {
  const v = new Value(1, 'a|b{c}<d>"e"');
  assert.match(toDot(v), /a\\\|b\\\{c\\\}\\<d\\>\\"e\\"/);
});
