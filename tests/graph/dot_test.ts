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

Deno.test("toDot escapes record syntax in labels", () => {
  const v = new Value(1, 'a|b{c}<d>"e"');
  assert.match(toDot(v), /a\\\|b\\\{c\\\}\\<d\\>\\"e\\"/);
});
