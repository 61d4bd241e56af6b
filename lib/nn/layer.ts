/**
 * `Layer`: neurons side by side, each seeing the same inputs.
 *
 * @module
 */
import type { Value } from "../graph/value.ts";
import type { Matrix, Shape } from "./matrix.ts";
import { type Activation, Neuron } from "./neuron.ts";
import { type Rng, seededRandom } from "./random.ts";

/** Options for {@linkcode Layer}. */
export interface LayerOptions {
  /** Applied by every neuron (default `"relu"`). */
  activation?: Activation;
  /** Draws the initial weights; default `seededRandom(seed)`. */
  rng?: Rng;
  /** Seed for the default generator (default 1337). */
  seed?: number;
  /** Parameter names: weights `w${name}[j,i]`, biases `b${name}[j]` (default `""`). */
  name?: string;
}

/**
 * A layer of `nout` neurons over `nin` inputs. Neuron j's weight from input i is labelled
 * `w<name>[j,i]` and its bias `b<name>[j]`, indices from 0.
 *
 * Seen as matrices, the layer computes z = W·a + b and a′ = f(z): `weightMatrix()` is W with one
 * row per neuron and one column per input (PyTorch's `nn.Linear.weight`), `biasVector()` is b,
 * and `gradMatrix()`/`biasGrad()` are dW and db after `backward()`. These are views of the
 * scalar parameters, read when called: the parameters stay `Value`s.
 *
 * @example
 * ```ts
 * import { Layer } from "../../mod.ts";
 * import assert from "node:assert/strict";
 * const layer = new Layer(2, 3, { name: "1" });
 * assert.equal(layer.forward([1, -1]).length, 3);
 * assert.deepEqual(layer.parameters().slice(0, 3).map((p) => p.label), ["w1[0,0]", "w1[0,1]", "b1[0]"]);
 * assert.deepEqual(layer.shape(), [3, 2]); // W is 3×2: a row per neuron, a column per input
 * assert.equal(layer.weightMatrix()[2][1], layer.neurons[2].w[1].data);
 * ```
 */
export class Layer {
  /** The neurons, in order. */
  readonly neurons: Neuron[];

  /** `nout` neurons over `nin` inputs, drawing weights from one generator in order. */
  constructor(nin: number, nout: number, options: LayerOptions = {}) {
    if (!Number.isInteger(nout) || nout < 1) {
      throw new RangeError(`a layer needs a whole number of neurons ≥ 1, got ${nout}`);
    }
    const rng = options.rng ?? seededRandom(options.seed ?? 1337);
    const name = options.name ?? "";
    this.neurons = Array.from({ length: nout }, (_, j) => {
      const n = new Neuron(nin, { activation: options.activation, rng });
      n.w.forEach((w, i) => (w.label = `w${name}[${j},${i}]`));
      n.b.label = `b${name}[${j}]`;
      return n;
    });
  }

  /** Every neuron's output for one input vector. */
  forward(x: readonly (Value | number)[]): Value[] {
    return this.neurons.map((n) => n.forward(x));
  }

  /** Neuron by neuron, weights then bias. */
  parameters(): Value[] {
    return this.neurons.flatMap((n) => n.parameters());
  }

  /** W's shape, `[neurons, inputs]`: `[16, 2]` for a layer of 16 neurons over 2 inputs. */
  shape(): Shape {
    return [this.neurons.length, this.neurons[0].w.length];
  }

  /** The weight `Value`s as a matrix: row j is neuron j, column i its weight from input i. */
  weights(): Value[][] {
    return this.neurons.map((n) => [...n.w]);
  }

  /** The bias `Value`s, one per neuron. */
  biases(): Value[] {
    return this.neurons.map((n) => n.b);
  }

  /** W as numbers: rows = neurons, columns = inputs (PyTorch's `nn.Linear.weight`). */
  weightMatrix(): Matrix {
    return this.neurons.map((n) => n.w.map((w) => w.data));
  }

  /** dW = ∂L/∂W as numbers after `backward()`, the shape of W. */
  gradMatrix(): Matrix {
    return this.neurons.map((n) => n.w.map((w) => w.grad));
  }

  /** b as numbers, one per neuron. */
  biasVector(): number[] {
    return this.neurons.map((n) => n.b.data);
  }

  /** db = ∂L/∂b as numbers after `backward()`, one per neuron. */
  biasGrad(): number[] {
    return this.neurons.map((n) => n.b.grad);
  }
}
