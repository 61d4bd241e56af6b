import assert from "node:assert/strict";
import {
  column,
  formatShape,
  hadamard,
  Layer,
  matmul,
  MLP,
  outer,
  shapeOf,
  transpose,
} from "../../mod.ts";

Deno.test("micrograd's demo network has W1 16×2, W2 16×16, W3 1×16 and biases of 16, 16, 1", () => {
  const model = new MLP(2, [16, 16, 1]);
  assert.deepEqual(
    model.shapes().map((s) => `${formatShape(s.weight)} + ${s.bias}`),
    ["16×2 + 16", "16×16 + 16", "1×16 + 1"],
  );
  model.layers.forEach((layer, l) => {
    assert.deepEqual(shapeOf(layer.weightMatrix()), model.shapes()[l].weight);
    assert.deepEqual(shapeOf(layer.gradMatrix()), model.shapes()[l].weight);
    assert.equal(layer.biasVector().length, model.shapes()[l].bias);
    assert.equal(layer.biasGrad().length, model.shapes()[l].bias);
  });
});

Deno.test("weightMatrix is a view: row j is neuron j, column i its weight from input i, read when called", () => {
  const layer = new Layer(3, 2, { name: "1" });
  const W = layer.weightMatrix();
  for (let j = 0; j < 2; j++) {
    for (let i = 0; i < 3; i++) {
      assert.equal(W[j][i], layer.neurons[j].w[i].data);
      assert.equal(layer.weights()[j][i].label, `w1[${j},${i}]`);
    }
  }
  layer.neurons[1].w[2].data = 42;
  layer.neurons[0].b.grad = -3;
  assert.equal(layer.weightMatrix()[1][2], 42);
  assert.equal(W[1][2] === 42, false); // a copy of the numbers, not the live Values
  assert.deepEqual(layer.biasGrad(), [-3, 0]);
});

Deno.test("the layer's outputs are W·a + b through f, as matrices (linear and relu)", () => {
  for (const activation of ["linear", "relu"] as const) {
    const layer = new Layer(3, 4, { activation, seed: 5 });
    layer.neurons.forEach((n, j) => (n.b.data = 0.1 * (j - 1)));
    const a = [0.5, -2, 1.5];
    const z = matmul(layer.weightMatrix(), column(a)).map((row, j) =>
      row[0] + layer.biasVector()[j]
    );
    const out = layer.forward(a).map((v) => v.data);
    z.forEach((zj, j) => {
      const expected = activation === "relu" ? Math.max(0, zj) : zj;
      assert.ok(Math.abs(out[j] - expected) <= 1e-15 * (1 + Math.abs(expected)));
    });
  }
});

Deno.test("matrix helpers: products by hand, shapes named in errors", () => {
  assert.deepEqual(matmul([[1, 2, 3]], [[1], [0], [-1]]), [[-2]]);
  assert.deepEqual(transpose([[1, 2, 3], [4, 5, 6]]), [[1, 4], [2, 5], [3, 6]]);
  assert.deepEqual(outer([1, 2], [3, 4, 5]), [[3, 4, 5], [6, 8, 10]]);
  assert.deepEqual(hadamard([[1, 2]], [[3, -1]]), [[3, -2]]);
  assert.throws(() => matmul([[1, 2]], [[1, 2]]), /1×2 matrix by a 1×2 one/);
  assert.throws(() => hadamard([[1, 2]], [[1], [2]]), /equal shapes, got 1×2 and 2×1/);
  assert.throws(() => shapeOf([[1, 2], [3]]), /row 1 has 1/);
});
