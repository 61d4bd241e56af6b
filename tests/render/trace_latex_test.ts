// Every formula any optimizer emits, with every option combination of the fixture grids, renders
// in KaTeX strict mode (through renderTex, stepgrad's one KaTeX setup).
import assert from "node:assert/strict";
import {
  createOptimizer,
  type OptionValue,
  SGD,
  stepFormulas,
  traceFormulas,
  traceToLatex,
  Value,
} from "../../mod.ts";
import { renderTex } from "../../lib/render/katex.ts";

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
const SHOWN = new Set([1, 2, 6, 7]); // first step, second, and both sides of RAdam's switch

for (const name of NAMES) {
  Deno.test(`${name}: every formula, with every option combination, renders in KaTeX strict mode`, () => {
    const fixture = JSON.parse(
      Deno.readTextFileSync(
        new URL(`../fixtures/optim/${name.toLowerCase()}.json`, import.meta.url),
      ),
    ) as {
      cases: {
        options: Record<string, OptionValue>;
        steps: { grads: { x: number; y: number } }[];
      }[];
    };
    let rendered = 0;
    for (const c of fixture.cases) {
      // Labels that need care in TeX: a subscript-like name and one with brackets and an underscore.
      const x = new Value(-1.2, "w1"), y = new Value(1, "b_2[0,1]");
      const opt = createOptimizer(name, [x, y], c.options);
      for (let t = 1; t <= 7; t++) {
        x.grad = c.steps[t - 1].grads.x;
        y.grad = c.steps[t - 1].grads.y;
        const trace = opt.step();
        if (!SHOWN.has(t)) continue;
        for (const tex of traceFormulas(trace)) {
          renderTex(tex, { displayMode: true });
          rendered++;
        }
      }
    }
    assert.ok(rendered >= fixture.cases.length * 4);
  });
}

Deno.test("extreme numbers (tiny, huge, negative, non-finite) render too", () => {
  const w = new Value(1e-30, "w"), v = new Value(-3e25, "v");
  const opt = createOptimizer("adam", [w, v], { lr: 1e-12, amsgrad: true, weightDecay: 1e-20 });
  w.grad = -5e-300;
  v.grad = Infinity;
  for (const tex of traceFormulas(opt.step())) renderTex(tex, { displayMode: true });
});

Deno.test("the LaTeX rows: lhs &op rule = substituted = result", () => {
  const w = new Value(0.5, "w");
  w.grad = 0.23;
  const [g] = stepFormulas(new SGD([w], { lr: 0.1 }).step());
  assert.equal(
    g.tex,
    [
      "\\begin{aligned}",
      "\\frac{\\partial L}{\\partial w} &= 0.23 \\\\",
      "w &\\leftarrow w - \\alpha \\cdot \\frac{\\partial L}{\\partial w} = 0.5 - 0.1 \\cdot 0.23 = 0.477",
      "\\end{aligned}",
    ].join("\n"),
  );
  const doc = traceToLatex(new SGD([w], { lr: 0.1 }).step());
  assert.match(doc, /\\paragraph\{Step 1\} \$\\alpha = 0\.1\$\./);
  assert.match(
    doc,
    /\\textbf\{SGD\}: \$\\alpha = 0\.1\\ \(\\text\{lr\}\)\$, \$\\mu = 0\\ \(\\text\{momentum\}\)\$/,
  );
});

Deno.test("any parameter label renders: Greek, subscript digits, TeX and HTML specials", () => {
  const labels = ["θ", "w₁", "β_2", "é", "x y", "<b>", "a\\b{c}", "w1[0,1]", "ΣΔ", "_"];
  const params = labels.map((l, i) => new Value(i + 1, l));
  const opt = createOptimizer("sgd", params, { lr: 0.1, momentum: 0.9 });
  params.forEach((p) => p.grad = 1);
  const formulas = traceFormulas(opt.step());
  assert.equal(formulas.length, labels.length);
  for (const tex of formulas) renderTex(tex, { displayMode: true });
  assert.match(formulas[0], /^\\begin\{aligned\}\n\\frac\{\\partial L\}\{\\partial \{\\theta\}\}/);
});
