/**
 * A small seeded random number generator, so the same seed gives the same network on every
 * machine (Math.random cannot be seeded).
 *
 * @module
 */

/** A source of uniform numbers in [0, 1), made by {@linkcode seededRandom}. */
export interface Rng {
  /** The next number, uniform in [0, 1). */
  next(): number;
  /** The next number, uniform in [lo, hi). */
  uniform(lo: number, hi: number): number;
  /** The next number from the normal distribution N(mean, sd²) (Box–Muller). */
  normal(mean?: number, sd?: number): number;
}

/**
 * Mulberry32: a 32-bit generator built from integer arithmetic only, so its sequence is the same
 * in every JavaScript engine. Good enough to initialise weights and shuffle data; not for
 * cryptography.
 *
 * @param seed any integer (it is reduced to 32 bits)
 *
 * @example
 * ```ts
 * import { seededRandom } from "./random.ts";
 * import assert from "node:assert/strict";
 * const a = seededRandom(42), b = seededRandom(42);
 * assert.equal(a.next(), b.next());
 * const u = a.uniform(-1, 1);
 * assert.ok(u >= -1 && u < 1);
 * ```
 */
export function seededRandom(seed: number): Rng {
  if (!Number.isFinite(seed)) throw new RangeError(`seed must be a finite number, got ${seed}`);
  let state = Math.trunc(seed) >>> 0;
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    uniform: (lo, hi) => lo + (hi - lo) * next(),
    normal: (mean = 0, sd = 1) => {
      const u1 = 1 - next(); // in (0, 1], so log is finite
      const u2 = next();
      return mean + sd * Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
    },
  };
}
