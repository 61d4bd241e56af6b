/**
 * `MLP`: layers in sequence, micrograd's multi-layer perceptron.
 *
 * @module
 */
import type { Value } from "../graph/value.ts";
import { Layer } from "./layer.ts";
import type { Shape } from "./matrix.ts";
import { type Activation, checkActivation } from "./neuron.ts";
import { seededRandom } from "./random.ts";

/** Options for {@linkcode MLP}. */
export interface MLPOptions {
  /** The hidden layers' activation (default `"relu"`); the last layer is always linear. */
  activation?: Activation;
  /** Seed for the weights, drawn uniform in [−1, 1] layer by layer (default 1337). */
  seed?: number;
}

/**
 * A multi-layer perceptron with micrograd's defaults: ReLU hidden layers, a linear last layer,
 * weights uniform in [−1, 1] from a seeded generator, biases 0.
 *
 * Parameters are labelled by layer (from 1), neuron j and input i (from 0): `w1[j,i]` and
 * `b1[j]` in the first layer, `w2[j,i]`, `b2[j]` in the second, and so on.
 *
 * @example
 * ```ts
 * import { MLP, Value } from "../../mod.ts";
 * import assert from "node:assert/strict";
 * const model = new MLP(2, [16, 16, 1], { seed: 7 });
 * assert.equal(model.parameters().length, 337);
 * const out = model.forward([0.5, -1]);
 * assert.ok(out instanceof Value); // one output neuron: a Value, not an array
 * assert.deepEqual(model.parameters().slice(0, 3).map((p) => p.label), ["w1[0,0]", "w1[0,1]", "b1[0]"]);
 * assert.deepEqual(model.shapes().map((s) => s.weight), [[16, 2], [16, 16], [1, 16]]);
 * ```
 */
export class MLP {
  /** The layers, input side first. */
  readonly layers: Layer[];
  /** Number of inputs. */
  readonly nin: number;

  /** An MLP over `nin` inputs with layers of the sizes in `nouts` (the last is the output). */
  constructor(nin: number, nouts: readonly number[], options: MLPOptions = {}) {
    if (!Number.isInteger(nin) || nin < 1) {
      throw new RangeError(`an MLP needs a whole number of inputs ≥ 1, got ${nin}`);
    }
    if (!Array.isArray(nouts) || nouts.length === 0) {
      throw new RangeError(
        `an MLP needs at least one layer size, e.g. [16, 16, 1]; got ${JSON.stringify(nouts)}`,
      );
    }
    const activation = checkActivation(options.activation ?? "relu");
    const rng = seededRandom(options.seed ?? 1337);
    const sizes = [nin, ...nouts];
    this.nin = nin;
    this.layers = nouts.map((nout, k) =>
      new Layer(sizes[k], nout, {
        activation: k === nouts.length - 1 ? "linear" : activation,
        rng,
        name: String(k + 1),
      })
    );
  }

  /** The network's output: a `Value` when the last layer has one neuron, else one per neuron. */
  forward(x: readonly (Value | number)[]): Value | Value[] {
    if (x.length !== this.nin) {
      throw new RangeError(`this MLP takes ${this.nin} inputs, got ${x.length}`);
    }
    let h: readonly (Value | number)[] = x;
    for (const layer of this.layers) h = layer.forward(h);
    return h.length === 1 ? (h[0] as Value) : (h as Value[]);
  }

  /** The output of a network whose last layer has one neuron, typed as a `Value`. */
  forwardScalar(x: readonly (Value | number)[]): Value {
    const out = this.forward(x);
    if (Array.isArray(out)) {
      throw new RangeError(`forwardScalar needs one output neuron; this MLP has ${out.length}`);
    }
    return out;
  }

  /** Layer by layer, neuron by neuron, weights then bias. */
  parameters(): Value[] {
    return this.layers.flatMap((l) => l.parameters());
  }

  /** Each layer's W and b shapes, input side first: W is neurons × inputs, b has a per neuron. */
  shapes(): { weight: Shape; bias: number }[] {
    return this.layers.map((l) => ({ weight: l.shape(), bias: l.neurons.length }));
  }

  /** Sets every parameter's gradient to 0. */
  zeroGrad(): void {
    for (const p of this.parameters()) p.grad = 0;
  }
}
