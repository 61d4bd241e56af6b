/**
 * Losses: mean squared error, micrograd's max-margin loss with L2, binary cross-entropy.
 *
 * @module
 */
import { toValue, type Value } from "../graph/value.ts";

function sameLength(what: string, a: readonly unknown[], b: readonly unknown[]): void {
  if (a.length !== b.length) {
    throw new RangeError(`${what}: ${a.length} predictions but ${b.length} targets`);
  }
  if (a.length === 0) throw new RangeError(`${what}: no predictions (an empty batch)`);
}

/**
 * Σ values, added left to right from `start` (Python's `sum(values, start)`).
 *
 * @example
 * ```ts
 * import { sum, Value } from "../../mod.ts";
 * import assert from "node:assert/strict";
 * assert.equal(sum([new Value(1), new Value(2)]).data, 3);
 * ```
 */
export function sum(values: readonly (Value | number)[], start: Value | number = 0): Value {
  let acc = toValue(start);
  for (const v of values) acc = acc.add(v);
  return acc;
}

/**
 * Mean squared error: (1/n) Σ (predᵢ − targetᵢ)².
 *
 * @example
 * ```ts
 * import { mse, Value } from "../../mod.ts";
 * import assert from "node:assert/strict";
 * assert.equal(mse([new Value(1), new Value(3)], [0, 1]).data, (1 + 4) / 2);
 * ```
 */
export function mse(preds: readonly Value[], targets: readonly (Value | number)[]): Value {
  sameLength("mse", preds, targets);
  return sum(preds.map((p, i) => p.sub(targets[i]).pow(2))).mul(1 / preds.length);
}

/** Options for {@linkcode maxMarginLoss}. */
export interface MaxMarginOptions {
  /** Parameters for the L2 penalty α·Σp² (none by default). */
  params?: readonly Value[];
  /** The L2 strength α (default 1e-4, micrograd's demo). */
  alpha?: number;
}

/**
 * micrograd demo's loss: the SVM max-margin loss (1/n) Σ relu(1 − yᵢ·scoreᵢ) with labels ±1,
 * plus α·Σp² over `params`. Built with the demo's exact operation order.
 *
 * @example
 * ```ts
 * import { maxMarginLoss, Value } from "../../mod.ts";
 * import assert from "node:assert/strict";
 * const loss = maxMarginLoss([new Value(2), new Value(0.5)], [1, -1]);
 * assert.equal(loss.data, (0 + 1.5) / 2);
 * ```
 */
export function maxMarginLoss(
  scores: readonly Value[],
  labels: readonly number[],
  options: MaxMarginOptions = {},
): Value {
  sameLength("maxMarginLoss", scores, labels);
  for (const [i, y] of labels.entries()) {
    if (y !== 1 && y !== -1) {
      throw new RangeError(`maxMarginLoss: label ${i} is ${y}; expected 1 or −1`);
    }
  }
  const losses = scores.map((s, i) => s.mul(-labels[i]).add(1).relu());
  const dataLoss = sum(losses).mul(1 / losses.length);
  if (!options.params || options.params.length === 0) return dataLoss;
  const reg = sum(options.params.map((p) => p.mul(p))).mul(options.alpha ?? 1e-4);
  return dataLoss.add(reg);
}

/**
 * Binary cross-entropy on probabilities: −(1/n) Σ [tᵢ·log pᵢ + (1 − tᵢ)·log(1 − pᵢ)]. A
 * probability of exactly 0 or 1 against the opposite target is an infinite loss and throws a
 * `RangeError` (use {@linkcode binaryCrossEntropyWithLogits} for stability).
 *
 * @example
 * ```ts
 * import { binaryCrossEntropy, Value } from "../../mod.ts";
 * import assert from "node:assert/strict";
 * const loss = binaryCrossEntropy([new Value(0.8)], [1]);
 * assert.ok(Math.abs(loss.data - -Math.log(0.8)) < 1e-15);
 * ```
 */
export function binaryCrossEntropy(probs: readonly Value[], targets: readonly number[]): Value {
  sameLength("binaryCrossEntropy", probs, targets);
  const terms = probs.map((p, i) => {
    const t = checkTarget("binaryCrossEntropy", targets[i], i);
    if (t === 1) return p.log();
    if (t === 0) return p.neg().add(1).log();
    return p.log().mul(t).add(p.neg().add(1).log().mul(1 - t));
  });
  return sum(terms).mul(-1 / probs.length);
}

/**
 * Binary cross-entropy on logits z (before the sigmoid): (1/n) Σ [softplus(zᵢ) − tᵢ·zᵢ], the
 * same loss as `binaryCrossEntropy(z.sigmoid())`, finite for any z.
 *
 * @example
 * ```ts
 * import { binaryCrossEntropyWithLogits, Value } from "../../mod.ts";
 * import assert from "node:assert/strict";
 * const z = new Value(0.3);
 * const p = 1 / (1 + Math.exp(-0.3));
 * assert.ok(Math.abs(binaryCrossEntropyWithLogits([z], [1]).data + Math.log(p)) < 1e-15);
 * ```
 */
export function binaryCrossEntropyWithLogits(
  logits: readonly Value[],
  targets: readonly number[],
): Value {
  sameLength("binaryCrossEntropyWithLogits", logits, targets);
  const terms = logits.map((z, i) => {
    const t = checkTarget("binaryCrossEntropyWithLogits", targets[i], i);
    return t === 0 ? z.softplus() : z.softplus().sub(z.mul(t));
  });
  return sum(terms).mul(1 / logits.length);
}

function checkTarget(what: string, t: number, i: number): number {
  if (typeof t !== "number" || !(t >= 0 && t <= 1)) {
    throw new RangeError(`${what}: target ${i} is ${t}; expected a number in [0, 1]`);
  }
  return t;
}

/**
 * The fraction of scores whose sign matches the ±1 label (micrograd's accuracy).
 *
 * @example
 * ```ts
 * import { accuracy, Value } from "../../mod.ts";
 * import assert from "node:assert/strict";
 * assert.equal(accuracy([new Value(2), new Value(-1)], [1, 1]), 0.5);
 * ```
 */
export function accuracy(scores: readonly Value[], labels: readonly number[]): number {
  sameLength("accuracy", scores, labels);
  let right = 0;
  for (let i = 0; i < scores.length; i++) if ((labels[i] > 0) === (scores[i].data > 0)) right++;
  return right / scores.length;
}
