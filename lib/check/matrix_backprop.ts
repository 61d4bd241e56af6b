/**
 * Backprop in matrix form, derived from the scalar graph's numbers and checked against it.
 *
 * A dense layer computes z = W·a + b and a′ = f(z). With δ = ∂E/∂z, the chain rule written for
 * the whole layer at once is
 *
 * - δ_L = ∂E/∂a_L ⊙ f′(z_L) at the output layer,
 * - δ_l = (W_{l+1}ᵀ·δ_{l+1}) ⊙ f′(z_l) for each layer below,
 * - dW_l = δ_l·a_{l−1}ᵀ (an outer product, so dW has W's shape) and db_l = δ_l.
 *
 * For a batch the examples are the columns: Z = W·A + b·1ᵀ, dW = Δ·Aᵀ, db = Δ·1 (each gradient
 * is summed over the examples, as the scalar graph sums them). {@linkcode matrixBackprop} runs
 * the network once as scalars, backpropagates, then computes every δ, dW and db with these
 * formulas and compares them entry by entry with what backprop put in each `.grad` (and,
 * optionally, with finite differences), so a learner sees that the matrix formulas and the
 * scalar chain rule give the same numbers.
 *
 * @module
 */
import { opSpec } from "../graph/ops.ts";
import { topoSort, type Value } from "../graph/value.ts";
import type { Activation } from "../nn/neuron.ts";
import type { MLP } from "../nn/mlp.ts";
import { hadamard, matmul, type Matrix, transpose } from "../nn/matrix.ts";
import { graphDifference } from "./finite_difference.ts";

/** One layer's quantities in matrix form; examples are columns. */
export interface MatrixLayer {
  /** The layer's number, 1 for the layer next to the inputs. */
  layer: number;
  /** Its activation f. */
  activation: Activation;
  /** W, rows = neurons, columns = inputs. */
  W: Matrix;
  /** b, one entry per neuron. */
  b: number[];
  /** The layer's input a_{l−1}: inputs × examples. */
  a: Matrix;
  /** z = W·a + b: neurons × examples. */
  z: Matrix;
  /** f′(z), from the op table's local derivative: neurons × examples. */
  fprime: Matrix;
  /** δ = ∂E/∂z by the matrix formulas: neurons × examples. */
  delta: Matrix;
  /** dW = δ·aᵀ by the matrix formula: W's shape. */
  dW: Matrix;
  /** db = δ·1 by the matrix formula: one entry per neuron. */
  db: number[];
  /** The same three as the scalar graph's backprop left them in `.grad`. */
  backprop: { delta: Matrix; dW: Matrix; db: number[] };
  /** Central differences of the loss for every weight and bias, when asked for. */
  finiteDifference?: { dW: Matrix; db: number[] };
}

/** What {@linkcode matrixBackprop} found. */
export interface MatrixBackprop {
  /** The loss at the current parameters. */
  loss: number;
  /** ∂E/∂a_L, the loss's gradient with respect to the network's outputs (outputs × examples). */
  dOutput: Matrix;
  /** Input side first. */
  layers: MatrixLayer[];
  /** The largest |matrix formula − backprop| over every δ, dW and db entry. */
  maxBackpropError: number;
  /** The largest |backprop − finite difference| over every dW and db entry, when computed. */
  maxFiniteDifferenceError?: number;
}

/** Options for {@linkcode matrixBackprop}. */
export interface MatrixBackpropOptions {
  /** Also estimate every dW and db entry by central differences (default false). */
  finiteDifferences?: boolean;
  /** The finite-difference step (default 1e-6, PyTorch gradcheck's). */
  h?: number;
}

const fprimeOf = (activation: Activation, out: Value): number => {
  if (activation === "linear") return 1;
  const z = out.inputs[0];
  return opSpec(out.op).grad(0, z.data, 0, out.data);
};

const maxAbsDiff = (a: Matrix, b: Matrix): number => {
  let m = 0;
  a.forEach((row, r) => row.forEach((x, c) => (m = Math.max(m, Math.abs(x - b[r][c])))));
  return m;
};

/**
 * Runs `model` on every row of `inputs`, builds `loss(outputs)` (one `Value[]` of the last
 * layer's outputs per example), zeroes the parameters' gradients and backpropagates, then derives
 * δ, dW and db for every layer with the matrix formulas and sets them beside backprop's numbers.
 *
 * @example
 * ```ts
 * import { matrixBackprop, MLP, mse } from "../../mod.ts";
 * import assert from "node:assert/strict";
 * const model = new MLP(2, [3, 1], { seed: 1 });
 * const r = matrixBackprop(model, [[0.5, -1], [1, 2]], (out) => mse(out.map((o) => o[0]), [1, 0]));
 * assert.deepEqual(r.layers.map((l) => [l.dW.length, l.dW[0].length]), [[3, 2], [1, 3]]);
 * assert.ok(r.maxBackpropError < 1e-12); // δ·aᵀ is exactly what backprop computed
 * ```
 */
export function matrixBackprop(
  model: MLP,
  inputs: readonly (readonly number[])[],
  loss: (outputs: Value[][]) => Value,
  options: MatrixBackpropOptions = {},
): MatrixBackprop {
  if (inputs.length === 0) throw new RangeError("matrixBackprop needs at least one input row");
  for (const [n, x] of inputs.entries()) {
    if (x.length !== model.nin) {
      throw new RangeError(
        `input row ${n} has ${x.length} entries; the network takes ${model.nin}`,
      );
    }
  }
  // Forward as scalars, keeping each layer's inputs and output nodes per example.
  const layerInputs: number[][][] = model.layers.map(() => []); // [layer][example][input]
  const layerOutputs: Value[][][] = model.layers.map(() => []); // [layer][example][neuron]
  const outputs = inputs.map((x) => {
    let h: readonly (Value | number)[] = x;
    model.layers.forEach((layer, l) => {
      layerInputs[l].push(h.map((v) => (typeof v === "number" ? v : v.data)));
      const out = layer.forward(h);
      layerOutputs[l].push(out);
      h = out;
    });
    return h as Value[];
  });
  const root = loss(outputs);
  model.zeroGrad();
  root.backward();

  const zNode = (
    out: Value,
    activation: Activation,
  ) => (activation === "linear" ? out : out.inputs[0]);
  const L = model.layers.length;
  const cols = (perExample: number[][]): Matrix => transpose(perExample); // examples → columns
  const dOutput = cols(outputs.map((o) => o.map((v) => v.grad)));

  const layers: MatrixLayer[] = new Array(L);
  let deltaAbove: Matrix | undefined;
  for (let l = L - 1; l >= 0; l--) {
    const layer = model.layers[l];
    const activation = layer.neurons[0].activation;
    const outs = layerOutputs[l];
    const a = cols(layerInputs[l]);
    const z = cols(outs.map((o) => o.map((v) => zNode(v, activation).data)));
    const fprime = cols(outs.map((o) => o.map((v) => fprimeOf(activation, v))));
    const upstream = deltaAbove === undefined
      ? dOutput
      : matmul(transpose(model.layers[l + 1].weightMatrix()), deltaAbove);
    const delta = hadamard(upstream, fprime);
    const dW = matmul(delta, transpose(a));
    const db = delta.map((row) => row.reduce((s, x) => s + x, 0));
    layers[l] = {
      layer: l + 1,
      activation,
      W: layer.weightMatrix(),
      b: layer.biasVector(),
      a,
      z,
      fprime,
      delta,
      dW,
      db,
      backprop: {
        delta: cols(outs.map((o) => o.map((v) => zNode(v, activation).grad))),
        dW: layer.gradMatrix(),
        db: layer.biasGrad(),
      },
    };
    deltaAbove = delta;
  }

  let maxBackpropError = 0;
  for (const m of layers) {
    maxBackpropError = Math.max(
      maxBackpropError,
      maxAbsDiff(m.delta, m.backprop.delta),
      maxAbsDiff(m.dW, m.backprop.dW),
      maxAbsDiff([m.db], [m.backprop.db]),
    );
  }
  const result: MatrixBackprop = { loss: root.data, dOutput, layers, maxBackpropError };

  if (options.finiteDifferences) {
    const order = topoSort(root);
    const h = options.h ?? 1e-6;
    let maxFd = 0;
    model.layers.forEach((layer, l) => {
      const fd = {
        dW: layer.weights().map((row) =>
          row.map((w) => graphDifference(root, w, h, order).numeric)
        ),
        db: layer.biases().map((b) => graphDifference(root, b, h, order).numeric),
      };
      layers[l].finiteDifference = fd;
      maxFd = Math.max(
        maxFd,
        maxAbsDiff(fd.dW, layers[l].backprop.dW),
        maxAbsDiff([fd.db], [layers[l].backprop.db]),
      );
    });
    result.maxFiniteDifferenceError = maxFd;
  }
  return result;
}
