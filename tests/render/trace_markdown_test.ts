import assert from "node:assert/strict";
import {
  buildGraph,
  RAdam,
  runOptimizer,
  SGD,
  traceFormulas,
  traceToMarkdown,
  Value,
} from "../../mod.ts";

Deno.test("Markdown: a heading per step, every formula in its own $$ block, text escaped", () => {
  const { root, leaves } = buildGraph("(1 - x)^2 + 100 * (y - x^2)^2", { x: -1.2, y: 1 });
  const run = runOptimizer(root, new RAdam([leaves.x, leaves.y]), { steps: 7 });
  const md = traceToMarkdown(run);
  const blocks = [...md.matchAll(/^\$\$\n([\s\S]*?)\n\$\$$/gm)].map((m) => m[1]);
  assert.deepEqual(blocks, traceFormulas(run));
  assert.equal((md.match(/^### Step \d+$/gm) ?? []).length, 7);
  assert.match(md, /^\*\*RAdam\*\*: α = 0\.001 \(lr\) · β₁ = 0\.9, β₂ = 0\.999 \(betas\)/);
  assert.match(md, /^Start: x = −1\.2, y = 1; loss = 24\.2$/m);
  const w = new Value(1, "w*_[1]");
  w.grad = 1;
  const escaped = traceToMarkdown(new SGD([w], { lr: 0.1 }).step());
  assert.match(escaped, /^\*\*w\\\*\\_\\\[1\\\]\*\*$/m);
});

Deno.test("Markdown: a diverged run ends with the reason, as a quote", () => {
  const w = new Value(1, "w");
  const md = traceToMarkdown(runOptimizer(w.mul(w), new SGD([w], { lr: 1.5 }), { steps: 20 }));
  assert.match(md, /\n> \*\*Stopped\.\*\* step 10: the loss grew from 1 to 1\.04858×10⁶/);
});
