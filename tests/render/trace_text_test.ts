import assert from "node:assert/strict";
import {
  Adam,
  alignEquations,
  buildGraph,
  createOptimizer,
  formatNumber,
  NAdam,
  parseFormatted,
  runOptimizer,
  SGD,
  traceToText,
  Value,
} from "../../mod.ts";
import { textWidth } from "../../lib/render/trace_text.ts";

Deno.test("the issue's example line: w ← w − α·∂L/∂w = 0.5 − 0.1 · 0.23 = 0.477", () => {
  const w = new Value(0.5, "w");
  w.grad = 0.23;
  const text = traceToText(new SGD([w], { lr: 0.1 }).step());
  assert.ok(text.includes("w     ← w − α·∂L/∂w = 0.5 − 0.1 · 0.23 = 0.477\n"), text);
  assert.ok(text.includes("∂L/∂w = 0.23\n"));
});

Deno.test("text traces line up: the op, the rule's = and the substitution's = share columns", () => {
  const { root, leaves } = buildGraph("(1 - x)^2 + 100 * (y - x^2)^2", { x: -1.2, y: 1 });
  const opt = new Adam([leaves.x, leaves.y], { lr: 0.01, amsgrad: true, weightDecay: 0.1 });
  const run = runOptimizer(root, opt, { steps: 3 });
  for (const step of run.steps) {
    const lines = alignEquations([...step.shared, ...step.params.flatMap((p) => p.equations)]);
    const opCol = new Set(lines.map((l) => textWidth(l.slice(0, l.search(/ [=←] /)))));
    assert.equal(opCol.size, 1, `one column for = and ←: ${lines.join("\n")}`);
    // The = after the rule: the same column on every line whose rule is not overlong.
    const ruled = lines.filter((l) => (l.match(/ = /g) ?? []).length >= 3);
    const eqCols = ruled.map((l) => {
      const first = l.indexOf(" = ", l.search(/ [=←] /) + 3);
      return textWidth(l.slice(0, first));
    });
    assert.ok(eqCols.length > 5);
    const common = eqCols.filter((c) => c === eqCols[0]).length;
    assert.ok(common >= eqCols.length - 1, `rule columns: ${eqCols}`);
  }
});

Deno.test("numbers: the one formatter, Unicode minus, enough digits to see a tiny step", () => {
  const w = new Value(1, "w");
  w.grad = 1;
  const trace = new SGD([w], { lr: 1e-9 }).step();
  const line = traceToText(trace).split("\n").find((l) => l.includes("←"))!;
  // w goes from 1 to 0.999999999: ten digits are needed to tell them apart
  assert.match(line, /= 1 − 1×10⁻⁹ · 1 += 0\.999999999$/);
  assert.equal(parseFormatted(line.split(" = ").at(-1)!), 0.999999999);
  // every result shown is formatNumber's rendering of the exact result
  const { root, leaves } = buildGraph("(1 - x)^2 + 100 * (y - x^2)^2", { x: -1.2, y: 1 });
  const run = runOptimizer(root, new NAdam([leaves.x, leaves.y], { weightDecay: 0.1 }), {
    steps: 2,
  });
  const text = traceToText(run);
  for (const e of run.steps[1].params[0].equations) {
    const shown = formatNumber(e.result, { digits: e.digits });
    assert.ok(text.includes(`= ${shown}\n`), `${e.lhs.text} = ${shown}`);
  }
  assert.doesNotMatch(text, /(^|[\s(])-\d/m, "negative numbers use the Unicode minus");
  assert.match(text, /√/);
  assert.match(text, /β₁/);
});

Deno.test("a run's text: header, start, each step, the end point, and divergence when it happens", () => {
  const w = new Value(1, "w");
  const text = traceToText(runOptimizer(w.mul(w), new SGD([w], { lr: 1.5 }), { steps: 20 }));
  const lines = text.split("\n");
  assert.equal(
    lines[0],
    "SGD: α = 1.5 (lr) · μ = 0 (momentum) · τ = 0 (dampening) · λ = 0 (weightDecay) · nesterov off · maximize off",
  );
  assert.equal(lines[1], "start: w = 1, loss = 1");
  assert.ok(text.includes("\nstep 10   α = 1.5   loss = 262144\n"));
  assert.match(text, /\nafter 10 steps: w = 1024, loss = 1\.04858×10⁶\n/);
  assert.match(text, /\ndiverged: step 10: the loss grew from 1 to 1\.04858×10⁶/);
});

Deno.test("text output is deterministic, and trace: false still prints the updates", () => {
  const make = () => {
    const a = new Value(0.3, "a"), b = new Value(-2, "b");
    const opt = createOptimizer("rmsprop", [a, b], { centered: true, momentum: 0.5 });
    const out: string[] = [];
    for (let t = 0; t < 3; t++) {
      a.grad = Math.cos(a.data);
      b.grad = 2 * b.data;
      out.push(traceToText(opt.step()));
    }
    return out.join("");
  };
  assert.equal(make(), make());
  const w = new Value(1, "w");
  w.grad = 2;
  assert.match(
    traceToText(new SGD([w], { lr: 0.1 }).step({ trace: false })),
    /w ← 0\.8 +\(∂L\/∂w = 2\)/,
  );
});

Deno.test("a run stopped before its first step: the header, the start and the reason", () => {
  const { root, leaves } = buildGraph("sqrt(x) + y^2", { x: 0, y: 1 });
  const text = traceToText(
    runOptimizer(root, new SGD([leaves.x, leaves.y], { lr: 0.1 }), { steps: 5 }),
  );
  assert.equal(
    text,
    "SGD: α = 0.1 (lr) · μ = 0 (momentum) · τ = 0 (dampening) · λ = 0 (weightDecay) · nesterov off · maximize off\n" +
      "start: x = 0, y = 1, loss = 1\n\n" +
      "diverged: step 1: the gradient ∂L/∂x is ∞ at x = 0; the loss has no usable slope there\n",
  );
});
