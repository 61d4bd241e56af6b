/**
 * `Layer`: neurons side by side, each seeing the same inputs.
 *
 * @module
 */
import type { Value } from "../graph/value.ts";
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
 * @example
 * ```ts
 * import { Layer } from "../../mod.ts";
 * import assert from "node:assert/strict";
 * const layer = new Layer(2, 3, { name: "1" });
 * assert.equal(layer.forward([1, -1]).length, 3);
 * assert.deepEqual(layer.parameters().slice(0, 3).map((p) => p.label), ["w1[0,0]", "w1[0,1]", "b1[0]"]);
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
}
