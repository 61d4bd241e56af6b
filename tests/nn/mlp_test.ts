import assert from "node:assert/strict";
import {
  accuracy,
  binaryCrossEntropy,
  binaryCrossEntropyWithLogits,
  gradcheck,
  Layer,
  makeMoons,
  maxMarginLoss,
  MLP,
  mse,
  Neuron,
  seededRandom,
  Value,
} from "../../mod.ts";

Deno.test("MLP shapes: 337 parameters for MLP(2, [16, 16, 1]); array output for wide last layers", () => {
  const m = new MLP(2, [16, 16, 1]);
  assert.equal(m.parameters().length, (2 + 1) * 16 + (16 + 1) * 16 + (16 + 1) * 1);
  assert.equal(m.layers.length, 3);
  assert.ok(m.forward([1, 2]) instanceof Value);
  const wide = new MLP(3, [4, 2]).forward([1, 2, 3]);
  assert.ok(Array.isArray(wide) && wide.length === 2);
  assert.throws(
    () => new MLP(3, [4, 2]).forwardScalar([1, 2, 3]),
    /forwardScalar needs one output neuron; this MLP has 2/,
  );
  assert.throws(() => m.forward([1]), /this MLP takes 2 inputs, got 1/);
  assert.throws(() => new MLP(0, [1]), RangeError);
  assert.throws(() => new MLP(2, []), /at least one layer size/);
  assert.throws(
    () => new MLP(2, [3], { activation: "gelu" as "relu" }),
    /unknown activation "gelu"; expected one of relu, tanh, sigmoid, linear/,
  );
});

Deno.test("parameter order: layer by layer, neuron by neuron, weights then bias, with labels", () => {
  const m = new MLP(2, [3, 1]);
  const labels = m.parameters().map((p) => p.label);
  assert.deepEqual(labels, [
    "w1[0,0]",
    "w1[0,1]",
    "b1[0]",
    "w1[1,0]",
    "w1[1,1]",
    "b1[1]",
    "w1[2,0]",
    "w1[2,1]",
    "b1[2]",
    "w2[0,0]",
    "w2[0,1]",
    "w2[0,2]",
    "b2[0]",
  ]);
  const n0 = m.layers[0].neurons[0];
  assert.deepEqual(m.parameters().slice(0, 3), [...n0.w, n0.b]);
});

Deno.test("micrograd defaults: weights uniform in [−1, 1], biases 0, ReLU hidden, linear last", () => {
  const m = new MLP(4, [32, 32, 1], { seed: 5 });
  const ws = m.parameters().filter((p) => p.label.startsWith("w"));
  assert.ok(ws.every((w) => w.data >= -1 && w.data < 1));
  assert.ok(ws.some((w) => w.data < -0.9) && ws.some((w) => w.data > 0.9));
  assert.ok(m.parameters().filter((p) => p.label.startsWith("b")).every((b) => b.data === 0));
  assert.deepEqual(m.layers.map((l) => l.neurons[0].activation), ["relu", "relu", "linear"]);
  const t = new MLP(2, [3, 1], { activation: "tanh" });
  assert.deepEqual(t.layers.map((l) => l.neurons[0].activation), ["tanh", "linear"]);
});

Deno.test("seeding: the same seed gives the same network, another seed another one", () => {
  const a = new MLP(2, [8, 1], { seed: 42 }).parameters().map((p) => p.data);
  const b = new MLP(2, [8, 1], { seed: 42 }).parameters().map((p) => p.data);
  const c = new MLP(2, [8, 1], { seed: 43 }).parameters().map((p) => p.data);
  assert.deepEqual(a, b);
  assert.notDeepEqual(a, c);
  // The generator is integer arithmetic only, so its numbers are fixed on every machine.
  const r = seededRandom(1);
  assert.deepEqual([r.next(), r.next()], [0.6270739405881613, 0.002735721180215478]);
});

Deno.test("Neuron computes act(b + Σ wᵢxᵢ) in micrograd's order", () => {
  const n = new Neuron(3, { activation: "tanh" });
  [0.1, -0.2, 0.3].forEach((w, i) => (n.w[i].data = w));
  n.b.data = 0.05;
  const out = n.forward([1, 2, 3]);
  assert.equal(out.data, Math.tanh(((0.05 + 0.1 * 1) + -0.2 * 2) + 0.3 * 3));
  assert.equal(out.op, "tanh");
  const layer = new Layer(3, 2, { activation: "sigmoid" });
  assert.equal(layer.forward([1, 2, 3])[1].op, "sigmoid");
});

Deno.test("zeroGrad clears every parameter's gradient", () => {
  const m = new MLP(2, [4, 1]);
  m.forwardScalar([0.5, -0.5]).backward();
  assert.ok(m.parameters().some((p) => p.grad !== 0));
  m.zeroGrad();
  assert.ok(m.parameters().every((p) => p.grad === 0));
});

Deno.test("losses: values by hand", () => {
  assert.equal(mse([new Value(2), new Value(-1)], [1, 1]).data, (1 + 4) / 2);
  const ps = [new Value(0.9), new Value(0.2)];
  const bce = binaryCrossEntropy(ps, [1, 0]).data;
  assert.ok(Math.abs(bce - -(Math.log(0.9) + Math.log(0.8)) / 2) < 1e-15);
  const soft = binaryCrossEntropy([new Value(0.7)], [0.25]).data;
  assert.ok(Math.abs(soft - -(0.25 * Math.log(0.7) + 0.75 * Math.log(0.3))) < 1e-15);
  const z = new Value(-1.3);
  const p = 1 / (1 + Math.exp(1.3));
  assert.ok(Math.abs(binaryCrossEntropyWithLogits([z], [0]).data + Math.log(1 - p)) < 1e-15);
  const w = new Value(0.5);
  const mm = maxMarginLoss([new Value(0.2), new Value(-3)], [1, -1], { params: [w], alpha: 0.1 });
  assert.ok(Math.abs(mm.data - ((0.8 + 0) / 2 + 0.1 * 0.25)) < 1e-15);
  assert.equal(accuracy([new Value(0.2), new Value(-3), new Value(1)], [1, -1, -1]), 2 / 3);
});

Deno.test("losses refuse mismatched or invalid input", () => {
  assert.throws(() => mse([new Value(1)], [1, 2]), /mse: 1 predictions but 2 targets/);
  assert.throws(() => mse([], []), /empty batch/);
  assert.throws(() => maxMarginLoss([new Value(1)], [0]), /label 0 is 0; expected 1 or −1/);
  assert.throws(
    () => binaryCrossEntropy([new Value(0.5)], [2]),
    /target 0 is 2; expected a number in \[0, 1\]/,
  );
  assert.throws(() => binaryCrossEntropy([new Value(0)], [1]), /log of a non-positive number/);
});

Deno.test("losses backprop correctly through a whole MLP (gradcheck)", () => {
  const { X, y } = makeMoons(6, { seed: 3 });
  const m = new MLP(2, [4, 4, 1], { activation: "tanh", seed: 11 });
  const scores = X.map((x) => m.forwardScalar(x));
  const loss = maxMarginLoss(scores, y, { params: m.parameters() });
  const report = gradcheck(loss, m.parameters());
  assert.ok(report.ok, JSON.stringify(report.rows.filter((r) => !r.pass)));
  const bce = binaryCrossEntropyWithLogits(
    X.map((x) => m.forwardScalar(x)),
    y.map((l) => (l + 1) / 2),
  );
  assert.ok(gradcheck(bce, m.parameters()).ok);
});

Deno.test("makeMoons: 100 points, two labelled halves near the two moons, reproducible", () => {
  const { X, y } = makeMoons(100, { noise: 0, seed: 1 });
  assert.equal(X.length, 100);
  for (const [i, [a, b]] of X.entries()) {
    const r = y[i] === -1 ? Math.hypot(a, b) : Math.hypot(a - 1, b - 0.5);
    assert.ok(Math.abs(r - 1) < 1e-12);
  }
  assert.deepEqual(makeMoons(10, { seed: 9 }), makeMoons(10, { seed: 9 }));
});
