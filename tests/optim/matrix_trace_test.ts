import assert from "node:assert/strict";
import {
  Adam,
  layerGroups,
  matrixSteps,
  matrixStepTex,
  matrixStepText,
  matrixTextLines,
  MLP,
  parseFormatted,
  seededRandom,
  SGD,
  shownIndices,
  sum,
  type Value,
} from "../../mod.ts";
import { renderTex } from "../../lib/render/katex.ts";

/** Mazur's 2-2-2 network (shared/reference/worked-example.md), as an MLP with per-neuron biases. */
function mazur() {
  const model = new MLP(2, [2, 2], { activation: "sigmoid" });
  const W1 = [[0.15, 0.2], [0.25, 0.3]], W2 = [[0.4, 0.45], [0.5, 0.55]];
  model.layers[0].neurons.forEach((n, j) => {
    n.w.forEach((w, i) => (w.data = W1[j][i]));
    n.b.data = 0.35;
  });
  // The post's output layer is sigmoid too; MLP's last layer is linear, so squash by hand.
  model.layers[1].neurons.forEach((n, j) => {
    n.w.forEach((w, i) => (w.data = W2[j][i]));
    n.b.data = 0.6;
  });
  const [o1, o2] = (model.forward([0.05, 0.1]) as Value[]).map((v) => v.sigmoid());
  const loss = sum([o1.sub(0.01).pow(2).mul(0.5), o2.sub(0.99).pow(2).mul(0.5)]);
  return { model, loss };
}

Deno.test("Mazur in matrix form: W₂ ← W₂ − α·dW₂ gives the published w5⁺…w8⁺ (biases held fixed)", () => {
  const { model, loss } = mazur();
  loss.backward();
  const weights = model.layers.flatMap((l) => l.weights().flat());
  const groups = layerGroups(model).filter((g) => g.name.text.startsWith("W"));
  const [W1, W2] = matrixSteps(new SGD(weights, { lr: 0.5 }).step(), groups);
  // Published figures (worked-example.md), rounded as published.
  const w2 = [[0.35891648, 0.408666186], [0.511301270, 0.561370121]];
  const w1 = [[0.149780716, 0.19956143], [0.24975114, 0.29950229]];
  const places = (x: string) => (x.split(".")[1] ?? "").length;
  W2.after.forEach((row, j) =>
    row.forEach((x, i) => {
      const p = String(w2[j][i]);
      assert.equal(x.toFixed(places(p)), p, `W₂[${j},${i}]`);
    })
  );
  W1.after.forEach((row, j) =>
    row.forEach((x, i) => assert.equal(x.toFixed(places(String(w1[j][i]))), String(w1[j][i])))
  );
  assert.deepEqual(W2.shape, [2, 2]);
  assert.deepEqual(W2.before, [[0.4, 0.45], [0.5, 0.55]]);
  // The matrices are the layer's own after the step: the view and the trace agree.
  assert.deepEqual(W2.after, model.layers[1].weightMatrix());
  assert.deepEqual(W2.grad, W2.equations[0].result);
  assert.equal(W2.equations.at(-1)!.rule!.text, "W₂ − α·dW₂");
});

Deno.test("property: Adam's matrix steps hold the scalar trace's numbers in place, for random MLPs", () => {
  const rng = seededRandom(99);
  for (let trial = 0; trial < 20; trial++) {
    const sizes = [1 + Math.floor(rng.uniform(0, 5)), 1 + Math.floor(rng.uniform(0, 3))];
    const nin = 1 + Math.floor(rng.uniform(0, 4));
    const model = new MLP(nin, sizes, { seed: trial });
    for (const p of model.parameters()) p.grad = rng.uniform(-2, 2);
    const before = model.layers.map((l) => l.weightMatrix());
    const trace = new Adam(model.parameters(), { lr: 0.05 }).step();
    const byLabel = new Map(trace.params.map((p) => [p.label, p]));
    const steps = matrixSteps(trace, layerGroups(model));
    assert.equal(steps.length, 2 * sizes.length);
    steps.forEach((s, k) => {
      const layer = model.layers[Math.floor(k / 2)];
      const isW = k % 2 === 0;
      assert.deepEqual(s.shape, isW ? layer.shape() : [layer.neurons.length, 1]);
      if (isW) {
        assert.deepEqual(s.before, before[k / 2]);
        assert.deepEqual(s.after, layer.weightMatrix());
      } else assert.deepEqual(s.after.map((r) => r[0]), layer.biasVector());
      s.group.labels.forEach((row, r) =>
        row.forEach((label, c) => {
          const p = byLabel.get(label)!;
          s.equations.forEach((e, q) => assert.equal(e.result[r][c], p.equations[q].result));
        })
      );
      // Every line says what Adam says, in the group's symbols.
      assert.deepEqual(s.equations.map((e) => e.lhs.text).slice(1, 5), ["mₜ", "vₜ", "m̂ₜ", "v̂ₜ"]);
      assert.match(s.equations.at(-1)!.rule!.text, new RegExp(`^${s.group.name.text} − α·m̂ₜ`));
      assert.ok(!s.equations.some((e) => e.rule && /\[/.test(e.rule.text)), "no scalar label left");
    });
  }
});

Deno.test("matrix traces render in strict KaTeX, fit 80 (and 60) columns, and read back at the shown precision", () => {
  const model = new MLP(2, [16, 16, 1], { seed: 4 });
  const rng = seededRandom(5);
  for (const p of model.parameters()) {
    p.grad = rng.uniform(-1, 1) * 10 ** Math.floor(rng.uniform(-7, 3));
  }
  const steps = matrixSteps(new Adam(model.parameters(), { lr: 0.05 }).step(), layerGroups(model));
  for (const s of steps) {
    const tex = `\\begin{aligned} ${matrixStepTex(s).join(" \\\\ ")} \\end{aligned}`;
    assert.doesNotThrow(() => renderTex(tex, { displayMode: true }));
    for (const width of [80, 60]) {
      for (const line of matrixStepText(s, width).split("\n")) {
        assert.ok([...line.replace(/\p{M}/gu, "")].length <= width, `${width}: ${line}`);
      }
    }
  }
  // Read back: every shown entry of a matrix is the entry, to 6 significant digits.
  const m = Array.from(
    { length: 9 },
    () => Array.from({ length: 9 }, () => rng.uniform(-1, 1) * 10 ** rng.uniform(-9, 9)),
  );
  const lines = matrixTextLines(m);
  const rows = shownIndices(9, 6), cols = shownIndices(9, 6);
  assert.equal(lines.length, rows.length);
  lines.forEach((line, r) => {
    const cells = line.slice(2, -2).trim().split(/\s{2,}/);
    assert.equal(cells.length, cols.length);
    cells.forEach((cell, c) => {
      if (rows[r] < 0 || cols[c] < 0) return assert.match(cell, /^[⋮⋯⋱]$/);
      const x = m[rows[r]][cols[c]];
      assert.ok(Math.abs(parseFormatted(cell) - x) <= 5e-6 * Math.abs(x), `${cell} vs ${x}`);
    });
  });
  // The corners are always shown.
  assert.deepEqual(shownIndices(16, 6), [0, 1, 2, 3, -1, 15]);
  assert.deepEqual(shownIndices(3, 6), [0, 1, 2]);
});

Deno.test("matrixSteps names a grouped parameter the step does not hold", () => {
  const model = new MLP(2, [2]);
  for (const p of model.parameters()) p.grad = 1;
  const trace = new SGD(model.layers[0].weights().flat(), { lr: 0.1 }).step();
  assert.throws(
    () => matrixSteps(trace, layerGroups(model)),
    /parameter "b1\[0\]" is not in this SGD step/,
  );
});
