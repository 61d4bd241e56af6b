/**
 * Lessons 01, 02 and 06: what each claims, checked against values derived by hand or by a
 * second method.
 */
import assert from "node:assert/strict";
import { Collector } from "../../lib/doc/doc.ts";
import type { Block } from "../../lib/doc/doc.ts";
import { renderBlock } from "../../lib/render/terminal.ts";
import lesson01, { probe, RULES, runRule } from "../../lessons/01-the-update-rule.ts";
import lesson02, { curvatures, descend } from "../../lessons/02-the-learning-rate.ts";
import lesson06, {
  ADAM_LR,
  firstPerfect,
  scoreGrid,
  setup,
  trainAdam,
  trainSGD,
} from "../../lessons/06-training-an-mlp.ts";
import { Adam } from "../../lib/optim/adam.ts";

async function text(
  lesson: { run: (s: Collector, o?: { seed?: number }) => unknown },
  seed?: number,
) {
  const sink = new Collector();
  await lesson.run(sink, seed === undefined ? {} : { seed });
  return { blocks: sink.blocks, text: sink.blocks.map((b: Block) => renderBlock(b)).join("\n") };
}

Deno.test("lesson 01: backprop's gradients equal the formulas at the start", () => {
  // L = (1/3)Σ(0.5x − y)² over (1,3), (2,5), (3,7): residuals −2.5, −4, −5.5
  const p = probe(0.5, 0);
  assert.equal(p.loss, (6.25 + 16 + 30.25) / 3);
  assert.equal(p.dW, (2 / 3) * (-2.5 * 1 + -4 * 2 + -5.5 * 3));
  assert.equal(p.db, (2 / 3) * (-2.5 - 4 - 5.5));
});

Deno.test("lesson 01: adding climbs, multiplying keeps b at 0, subtracting descends", () => {
  const add = runRule(RULES.add, 10);
  for (let k = 1; k <= 10; k++) assert.ok(add[k].loss > add[k - 1].loss, `add, step ${k}`);
  const mul = runRule(RULES.multiply, 5);
  for (const p of mul) assert.ok(p.b === 0, `b = ${p.b}`); // 0 or −0: 0 · db
  const sub = runRule(RULES.subtract, 1000);
  for (let k = 1; k <= 1000; k++) assert.ok(sub[k].loss <= sub[k - 1].loss, `subtract, step ${k}`);
  // the flat direction shrinks by 1 − 0.05·0.2404 per step: 1000 steps leave ~10⁻⁵
  assert.ok(Math.abs(sub[1000].w - 2) < 1e-4 && Math.abs(sub[1000].b - 1) < 1e-4);
});

Deno.test("lesson 01: updating b with dW stalls at the hand-derived point (1.85, 1.35)", () => {
  // w − b stays 0.5, so the run stops where dW = 0 on that line: 20w − 37 = 0.
  const slip = runRule(RULES["b with dW"], 300);
  const last = slip[300];
  assert.ok(Math.abs(last.w - 1.85) < 1e-12 && Math.abs(last.b - 1.35) < 1e-12);
  assert.ok(Math.abs(last.loss - 0.0175) < 1e-12);
  assert.ok(Math.abs(last.db - 0.1) < 1e-12, "the bias's own gradient is not 0");
});

Deno.test("lesson 01: the terminal narrative shows the first step with its numbers", async () => {
  const { text: out } = await text(lesson01);
  assert.ok(out.includes("w ← 0.5 − 0.05 · (−18) = 1.4"));
  assert.ok(out.includes("b ← 0 − 0.05 · (−8) = 0.4"));
  assert.match(out, /w ← w · dW +9\.05859×10⁶¹ +overflows/);
  // multiplying does overflow: w·dW runs to ±∞ within 200 steps
  let w = 0.5, b = 0, overflowed = false;
  for (let k = 0; k < 200 && !overflowed; k++) {
    const p = probe(w, b);
    [w, b] = [w * p.dW, b * p.db];
    overflowed = !Number.isFinite(w);
  }
  assert.ok(overflowed);
});

Deno.test("lesson 02: the curvatures are the eigenvalues of (2/3)·[[14, 6], [6, 3]]", () => {
  const { max, min } = curvatures();
  assert.ok(Math.abs(max - (17 + Math.sqrt(265)) / 3) < 1e-12);
  assert.ok(Math.abs(min - (17 - Math.sqrt(265)) / 3) < 1e-12);
});

Deno.test("lesson 02: below 2/λ_max it converges, above it diverges", () => {
  const edge = 2 / curvatures().max;
  const below = descend(edge * 0.97, 400), above = descend(edge * 1.03, 2000);
  assert.equal(below.divergedAt, undefined);
  assert.ok(below.probes[400].loss < 1e-6);
  assert.ok(above.divergedAt !== undefined, "a rate just above the edge diverges");
  const large = descend(0.2);
  assert.ok(large.divergedAt !== undefined);
  // oscillation: dW changes sign at every one of the first steps
  for (let k = 1; k < 6; k++) assert.ok(large.probes[k].dW * large.probes[k - 1].dW < 0);
});

Deno.test("lesson 02: the divergence is reported with its step, and the chart ends there", async () => {
  const { blocks, text: out } = await text(lesson02);
  const at = descend(0.2).divergedAt!;
  assert.ok(out.includes(`Diverged at step ${at}:`), out);
  const chart = blocks.find((b) => b.kind === "chart");
  assert.ok(chart && chart.kind === "chart");
  const large = chart.series.find((s) => s.name === "α = 0.2")!;
  assert.equal(large.points.length, at + 1);
});

Deno.test("lesson 06: micrograd's demo learns the moons; the same seed gives the same run", () => {
  const a = trainSGD(1337), b = trainSGD(1337);
  assert.deepEqual(a.records, b.records);
  assert.equal(a.records[0].lr, 1);
  assert.ok(Math.abs(a.records[99].lr - 0.109) < 1e-15);
  assert.ok(a.records[99].loss < a.records[0].loss / 10);
  assert.ok(a.records[99].accuracy >= 0.95);
  const other = trainSGD(7);
  assert.notEqual(other.records[0].loss, a.records[0].loss, "another seed, another start");
});

Deno.test("lesson 06: the boundary grid agrees with the model's own predictions", () => {
  const { model, X } = trainSGD(1337);
  const grid = scoreGrid(model, X, 8);
  assert.equal(grid.score.length, 8);
  for (const [j, y] of grid.ys.entries()) {
    for (const [i, x] of grid.xs.entries()) {
      assert.equal(grid.score[j][i], model.forwardScalar([x, y]).data);
    }
  }
  assert.ok(grid.xs[0] < Math.min(...X.map((p) => p[0])));
  assert.ok(grid.ys.at(-1)! > Math.max(...X.map((p) => p[1])));
});

Deno.test("lesson 06: --seed reaches the data", async () => {
  const one = await text(lesson06, 1337), two = await text(lesson06, 2);
  assert.ok(one.text.includes("seed 1337") && two.text.includes("seed 2"));
  assert.notEqual(one.text, two.text);
  assert.ok(one.blocks.some((b) => b.kind === "boundary"));
});

Deno.test("lesson 06: Adam from the same start learns too; its first step is Adam's", () => {
  const adam = trainAdam(1337).records;
  const sgd = trainSGD(1337).records;
  assert.equal(adam[0].loss, sgd[0].loss, "the same data, weights and loss at step 0");
  assert.ok(adam[99].accuracy >= 0.95);
  assert.ok(firstPerfect(adam) !== undefined);
  // Adam's first step moves every parameter by lr·g/(|g| + ε): about 0.05 each
  const { model, loss } = setup(1337);
  const before = model.parameters().map((p) => p.data);
  const { total } = loss();
  model.zeroGrad();
  total.backward();
  const grads = model.parameters().map((p) => p.grad);
  const opt = new Adam(model.parameters(), { lr: ADAM_LR });
  opt.step({ trace: false });
  model.parameters().forEach((p, i) => {
    const g = grads[i];
    const expected = g === 0 ? 0 : ADAM_LR * g / (Math.abs(g) + 1e-8 * Math.sqrt(1));
    assert.ok(Math.abs(before[i] - p.data - expected) < 1e-12, `${p.label}`);
  });
});
