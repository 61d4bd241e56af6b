/**
 * Small data sets for lessons and benchmarks, made from a seed (nothing is downloaded).
 *
 * @module
 */
import { seededRandom } from "./random.ts";

/** Points with ±1 labels. */
export interface Dataset {
  /** The points, one `[x, y]` pair each. */
  X: number[][];
  /** The labels, 1 or −1. */
  y: number[];
}

/**
 * Two interleaving half circles, as scikit-learn's `make_moons`: the first half of the points on
 * the upper moon (label −1), the rest on the lower one (label 1), plus Gaussian noise.
 *
 * @example
 * ```ts
 * import { makeMoons } from "../../mod.ts";
 * import assert from "node:assert/strict";
 * const { X, y } = makeMoons(100, { noise: 0.1, seed: 1 });
 * assert.equal(X.length, 100);
 * assert.equal(y.filter((l) => l === 1).length, 50);
 * ```
 */
export function makeMoons(n: number, options: { noise?: number; seed?: number } = {}): Dataset {
  if (!Number.isInteger(n) || n < 2) {
    throw new RangeError(`makeMoons needs at least 2 points, got ${n}`);
  }
  const rng = seededRandom(options.seed ?? 1337);
  const noise = options.noise ?? 0.1;
  const nOut = Math.floor(n / 2);
  const nIn = n - nOut;
  const X: number[][] = [];
  const y: number[] = [];
  for (let i = 0; i < nOut; i++) {
    const t = (Math.PI * i) / Math.max(1, nOut - 1);
    X.push([Math.cos(t), Math.sin(t)]);
    y.push(-1);
  }
  for (let i = 0; i < nIn; i++) {
    const t = (Math.PI * i) / Math.max(1, nIn - 1);
    X.push([1 - Math.cos(t), 1 - Math.sin(t) - 0.5]);
    y.push(1);
  }
  for (const p of X) {
    p[0] += rng.normal(0, noise);
    p[1] += rng.normal(0, noise);
  }
  return { X, y };
}
