import assert from "node:assert/strict";
import { Adam, runOptimizer, SGD, traceFormulas, traceToHtml, Value } from "../../mod.ts";
import { renderTex } from "../../lib/render/katex.ts";

Deno.test("HTML: KaTeX display math for each formula group, text escaped, divergence as an alert", async () => {
  const a = new Value(2, "<img src=x onerror=alert(1)>"), b = new Value(-1, "b&c");
  const loss = a.mul(a).add(b.mul(b));
  const run = runOptimizer(loss, new SGD([a, b], { lr: 1.5 }), { steps: 20 });
  const html = await traceToHtml(run);
  assert.ok(!html.includes("<img"), "labels are escaped");
  assert.match(html, /&lt;img src=x onerror=alert\(1\)&gt;/);
  assert.match(html, /data-param="b&amp;c"/);
  assert.match(
    html,
    /<p class="stepgrad-divergence" role="alert"><strong>Stopped\.<\/strong> step \d+: /,
  );
  const formulas = traceFormulas(run);
  assert.equal((html.match(/class="katex-display"/g) ?? []).length, formulas.length);
  // the fragments are exactly KaTeX's output for the LaTeX renderer's formulas
  assert.ok(html.includes(renderTex(formulas[0], { displayMode: true })));
  assert.equal(html, await traceToHtml(run), "deterministic");
});

Deno.test("HTML: one step: the options line, the step heading", async () => {
  const w = new Value(1, "w");
  w.grad = 2;
  const html = await traceToHtml(new Adam([w]).step());
  assert.match(
    html,
    /^<section class="stepgrad-trace">\n<p class="stepgrad-options"><strong>Adam<\/strong>: α = 0\.001 \(lr\)/,
  );
  assert.match(html, /<h3>Step 1<\/h3>/);
});
