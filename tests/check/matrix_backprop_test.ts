import assert from "node:assert/strict";
import {
  type Activation,
  matrixBackprop,
  MLP,
  mse,
  outer,
  seededRandom,
  shapeOf,
  sum,
  transpose,
  type Value,
} from "../../mod.ts";

const close = (a: number, b: number, rel: number) =>
  Math.abs(a - b) <= rel * Math.max(1, Math.abs(a), Math.abs(b));

Deno.test("property: on random MLPs of random shapes the matrix formulas equal backprop (1e-12) and finite differences", () => {
  const rng = seededRandom(20261201);
  const int = (lo: number, hi: number) => lo + Math.floor(rng.uniform(0, 1) * (hi - lo + 1));
  const activations: Activation[] = ["tanh", "sigmoid", "relu"];
  for (let trial = 0; trial < 40; trial++) {
    const nin = int(1, 4);
    const sizes = Array.from({ length: int(1, 3) }, () => int(1, 5));
    const activation = activations[trial % 3];
    const model = new MLP(nin, sizes, { activation, seed: 1000 + trial });
    const batch = int(1, 3);
    const inputs = Array.from(
      { length: batch },
      () => Array.from({ length: nin }, () => rng.uniform(-2, 2)),
    );
    const targets = inputs.map(() =>
      Array.from({ length: sizes.at(-1)! }, () => rng.uniform(-1, 1))
    );
    const loss = (outs: Value[][]) => sum(outs.map((o, n) => mse(o, targets[n])));
    const r = matrixBackprop(model, inputs, loss, { finiteDifferences: true });
    const where = `trial ${trial}: MLP(${nin}, [${sizes}]) ${activation}, batch ${batch}`;
    // Shapes: dW has W's shape, δ and z are neurons × examples, a is inputs × examples.
    r.layers.forEach((m, l) => {
      const [rows, cols] = model.shapes()[l].weight;
      assert.deepEqual(shapeOf(m.dW), [rows, cols], where);
      assert.deepEqual(shapeOf(m.delta), [rows, batch], where);
      assert.deepEqual(shapeOf(m.a), [cols, batch], where);
      assert.equal(m.db.length, rows, where);
      // Entry by entry against the scalar graph's .grad.
      m.dW.forEach((row, j) =>
        row.forEach((x, i) =>
          assert.ok(close(x, m.backprop.dW[j][i], 1e-12), `${where} dW${m.layer}[${j},${i}]`)
        )
      );
      m.db.forEach((x, j) =>
        assert.ok(close(x, m.backprop.db[j], 1e-12), `${where} db${m.layer}[${j}]`)
      );
      m.delta.forEach((row, j) =>
        row.forEach((x, n) =>
          assert.ok(close(x, m.backprop.delta[j][n], 1e-12), `${where} δ${m.layer}`)
        )
      );
      // And against central differences (PyTorch gradcheck's tolerance; relu kinks are
      // practically never hit by random inputs).
      m.finiteDifference!.dW.forEach((row, j) =>
        row.forEach((n, i) => {
          const a = m.backprop.dW[j][i];
          assert.ok(
            Math.abs(a - n) <= 1e-5 + 1e-3 * Math.abs(n),
            `${where} fd dW${m.layer}[${j},${i}] ${a} vs ${n}`,
          );
        })
      );
    });
    assert.ok(r.maxBackpropError < 1e-12, where);
    assert.ok(Number.isFinite(r.maxFiniteDifferenceError), where);
  }
});

Deno.test("one example: dW is the outer product δ·aᵀ, computed by hand for a 1-1 linear network", () => {
  // y = w·x + b, E = (y − t)²: δ = 2(y − t), dW = δ·x, db = δ.
  const model = new MLP(1, [1], { seed: 3 });
  const w = model.layers[0].neurons[0].w[0];
  w.data = 0.5;
  const r = matrixBackprop(model, [[2]], (o) => o[0][0].sub(3).pow(2));
  const delta = 2 * (0.5 * 2 - 3);
  assert.deepEqual(r.layers[0].delta, [[delta]]);
  assert.deepEqual(r.layers[0].dW, [[delta * 2]]);
  assert.deepEqual(r.layers[0].db, [delta]);
  assert.deepEqual(r.layers[0].dW, outer([delta], [2]));
  assert.deepEqual(transpose(r.dOutput), [[delta]]);
});

Deno.test("matrixBackprop refuses rows of the wrong width with a line that names both", () => {
  const model = new MLP(3, [2]);
  assert.throws(
    () => matrixBackprop(model, [[1, 2]], (o) => o[0][0]),
    /input row 0 has 2 entries; the network takes 3/,
  );
  assert.throws(() => matrixBackprop(model, [], (o) => o[0][0]), /at least one input row/);
});
