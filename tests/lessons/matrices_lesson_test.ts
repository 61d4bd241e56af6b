/**
 * Lesson 09 against the published figures of the 2-2-2 worked example (Mazur, 2015), typed in
 * here from shared/reference/worked-example.md, and against lesson 03's scalar network.
 */
import assert from "node:assert/strict";
import { Collector } from "../../lib/doc/doc.ts";
import type { Block } from "../../lib/doc/doc.ts";
import { renderTex } from "../../lib/render/katex.ts";
import { displayTex } from "../../lib/doc/blocks.ts";
import lesson, { worked } from "../../lessons/09-from-numbers-to-matrices.ts";
import { buildNetwork } from "../../lessons/03-backprop-by-hand.ts";

const within = (x: number, figure: number) => {
  const decimals = String(figure).split(".")[1]?.length ?? 0;
  return Math.abs(x - figure) <= 0.5 * 10 ** -decimals * (1 + 1e-9);
};

Deno.test("lesson 09: Mazur's figures in matrix form match the published ones", () => {
  const w = worked();
  assert.ok(within(w.a1[0][0], 0.593269992));
  assert.ok(within(w.a1[1][0], 0.596884378));
  assert.ok(within(w.a2[0][0], 0.75136507));
  assert.ok(within(w.a2[1][0], 0.772928465));
  assert.ok(within(w.E, 0.298371109));
  assert.ok(within(w.L2.dW[0][0], 0.082167041)); // ∂E/∂w5
  assert.ok(within(w.L1.dW[0][0], 0.000438568)); // ∂E/∂w1
  const published = [
    [[0.149780716, 0.19956143], [0.24975114, 0.29950229]],
    [[0.35891648, 0.408666186], [0.51130127, 0.561370121]],
  ];
  w.fixed.forEach((step, l) =>
    step.after.forEach((row, j) =>
      row.forEach((x, i) => assert.ok(within(x, published[l][j][i]), `W${l + 1}[${j},${i}] = ${x}`))
    )
  );
  // Biases trained too: the weights move as before, the biases by −α·db.
  assert.deepEqual(w.all[0].after, w.fixed[0].after);
  assert.deepEqual(w.all[2].after, w.fixed[1].after);
  w.all[1].after.forEach((row, j) => assert.equal(row[0], 0.35 - 0.5 * w.L1.db[j]));
});

Deno.test("lesson 09: the matrix numbers are lesson 03's scalars, entry by entry", () => {
  const net = buildNetwork();
  net.loss.backward();
  const w = worked();
  const grads = net.w.map((v) => v.grad);
  assert.deepEqual(w.L1.dW.flat(), grads.slice(0, 4));
  assert.deepEqual(w.L2.dW.flat(), grads.slice(4));
  assert.equal(w.a1[0][0], net.node.out_h1.data);
  assert.equal(w.a2[1][0], net.node.out_o2.data);
  assert.equal(w.E, net.node.E_total.data);
  assert.equal(w.r.maxBackpropError, 0);
});

Deno.test("lesson 09: every ✓ is earned, every formula renders in strict KaTeX, text fits 60 columns", async () => {
  const sink = new Collector();
  await lesson.run(sink);
  const blocks: Block[] = sink.blocks;
  const ticks = blocks.flatMap((b) => (b.kind === "table" ? b.rows.map((r) => r.at(-1)) : []))
    .filter((c) => c === "✓" || c === "✗");
  assert.equal(ticks.length, 13);
  assert.ok(ticks.every((t) => t === "✓"));
  for (const b of blocks) {
    if (b.kind !== "math") continue;
    assert.doesNotThrow(() => renderTex(displayTex(b.lines), { displayMode: true }));
    for (const l of b.lines.flatMap((f) => f.text.split("\n"))) {
      assert.ok([...l].length <= 56, `too wide for a 60-column terminal: ${l}`);
    }
  }
  const verdicts = blocks.find((b) => b.kind === "table" && b.columns[0].header === "--of");
  assert.ok(verdicts && verdicts.kind === "table");
  assert.deepEqual(verdicts.rows.map((r) => r[2]), [
    "wrong: transposed",
    "wrong: missing-fprime",
    "wrong: wrong-layer",
    "right",
  ]);
});

Deno.test("lesson 06: micrograd's demo network is W1 16×2, W2 16×16, W3 1×16, and its first W3 update is W3 − 1·dW3", async () => {
  const { firstStep, setup } = await import("../../lessons/06-training-an-mlp.ts");
  const { model, loss } = setup(1337);
  assert.deepEqual(model.shapes().map((s) => [s.weight, s.bias]), [[[16, 2], 16], [[16, 16], 16], [[
    1,
    16,
  ], 1]]);
  loss().total.backward();
  const step = firstStep(1337);
  assert.deepEqual(step.shape, [1, 16]);
  assert.deepEqual(step.before, model.layers[2].weightMatrix());
  assert.deepEqual(step.grad, model.layers[2].gradMatrix());
  step.after[0].forEach((w, i) => assert.equal(w, step.before[0][i] - 1.0 * step.grad[0][i]));
});

Deno.test("lesson 09: Adam's first step moves each weight by α·g/(|g| + ε), its m and v matrices of W's shape", () => {
  const w = worked();
  for (const step of w.adam) {
    const [m, v] = [step.equations[1], step.equations[2]];
    assert.deepEqual([m.result.length, m.result[0].length], step.shape);
    assert.deepEqual([v.result.length, v.result[0].length], step.shape);
    step.after.forEach((row, j) =>
      row.forEach((x, i) => {
        const g = step.grad[j][i];
        const expected = step.before[j][i] - 0.5 * g / (Math.abs(g) + 1e-8);
        assert.ok(Math.abs(x - expected) <= 1e-15, `${step.group.name.text}[${j},${i}]`);
      })
    );
  }
});
