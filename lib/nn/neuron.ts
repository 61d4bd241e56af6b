/**
 * `Neuron`: a weighted sum of its inputs plus a bias, through an activation.
 *
 * @module
 */
import { toValue, Value } from "../graph/value.ts";
import { type Rng, seededRandom } from "./random.ts";

/** The activations a neuron can apply to its weighted sum. */
export type Activation = "relu" | "tanh" | "sigmoid" | "linear";

const ACTIVATIONS: readonly Activation[] = ["relu", "tanh", "sigmoid", "linear"];

/** Checks an activation name, with an error that lists the choices. */
export function checkActivation(a: unknown): Activation {
  if (!ACTIVATIONS.includes(a as Activation)) {
    throw new RangeError(
      `unknown activation ${JSON.stringify(a)}; expected one of ${ACTIVATIONS.join(", ")}`,
    );
  }
  return a as Activation;
}

/** Options for {@linkcode Neuron}. */
export interface NeuronOptions {
  /** Applied to the weighted sum (default `"relu"`, micrograd's `nonlin=True`). */
  activation?: Activation;
  /** Draws the initial weights, uniform in [−1, 1]; default `seededRandom(seed)`. */
  rng?: Rng;
  /** Seed for the default generator (default 1337). */
  seed?: number;
  /** Labels the parameters: weights `${weightName}[i]`, bias `${biasName}` (default `w`, `b`). */
  weightName?: string;
  /** See `weightName`. */
  biasName?: string;
}

/**
 * One neuron: act(b + w₀x₀ + w₁x₁ + …), with weights drawn uniform in [−1, 1] and the bias 0,
 * as in micrograd. The sum starts from the bias and adds the terms in order, as micrograd's
 * `sum(..., self.b)` does, so the arithmetic is the same to the last bit.
 *
 * @example
 * ```ts
 * import { Neuron } from "../../mod.ts";
 * import assert from "node:assert/strict";
 * const n = new Neuron(2, { activation: "linear" });
 * n.w[0].data = 0.5; n.w[1].data = -1; n.b.data = 0.25;
 * assert.equal(n.forward([2, 1]).data, 0.25 + 1 - 1);
 * assert.deepEqual(n.parameters().map((p) => p.label), ["w[0]", "w[1]", "b"]);
 * ```
 */
export class Neuron {
  /** The weights, one per input. */
  readonly w: Value[];
  /** The bias. */
  readonly b: Value;
  /** The activation applied to the weighted sum. */
  readonly activation: Activation;

  /** A neuron over `nin` inputs, weights drawn uniform in [−1, 1], bias 0. */
  constructor(nin: number, options: NeuronOptions = {}) {
    if (!Number.isInteger(nin) || nin < 1) {
      throw new RangeError(`a neuron needs a whole number of inputs ≥ 1, got ${nin}`);
    }
    this.activation = checkActivation(options.activation ?? "relu");
    const rng = options.rng ?? seededRandom(options.seed ?? 1337);
    const wName = options.weightName ?? "w";
    this.w = Array.from({ length: nin }, (_, i) => new Value(rng.uniform(-1, 1), `${wName}[${i}]`));
    this.b = new Value(0, options.biasName ?? "b");
  }

  /** act(b + Σ wᵢxᵢ) for one input vector. */
  forward(x: readonly (Value | number)[]): Value {
    if (x.length !== this.w.length) {
      throw new RangeError(`this neuron takes ${this.w.length} inputs, got ${x.length}`);
    }
    let act = this.b;
    for (let i = 0; i < x.length; i++) act = act.add(this.w[i].mul(toValue(x[i], `input ${i}`)));
    switch (this.activation) {
      case "relu":
        return act.relu();
      case "tanh":
        return act.tanh();
      case "sigmoid":
        return act.sigmoid();
      default:
        return act;
    }
  }

  /** The weights, then the bias. */
  parameters(): Value[] {
    return [...this.w, this.b];
  }
}
