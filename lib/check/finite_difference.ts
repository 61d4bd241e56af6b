/**
 * Finite differences: the derivative estimated from the function alone, the independent check
 * on backprop.
 *
 * @module
 */
import { recompute, topoSort, type Value } from "../graph/value.ts";

/**
 * The central difference (f(x + h) − f(x − h)) / 2h of a plain function: error O(h²) from
 * truncation, plus roughly ε·|f|/h from rounding, so h ≈ 1e-5 to 1e-6 is best in float64.
 *
 * @example
 * ```ts
 * import { centralDifference } from "../../mod.ts";
 * import assert from "node:assert/strict";
 * const d = centralDifference((x) => x ** 3, 2); // exactly 12 + h²
 * assert.ok(Math.abs(d - 12) < 1e-8);
 * ```
 */
export function centralDifference(f: (x: number) => number, x: number, h = 1e-6): number {
  if (!(h > 0) || !Number.isFinite(h)) {
    throw new RangeError(`step h must be a positive number, got ${h}`);
  }
  return (f(x + h) - f(x - h)) / (2 * h);
}

/** One finite-difference estimate of ∂root/∂leaf, with what was seen on the way. */
export interface GraphDifference {
  /** (f(x + h) − f(x − h)) / 2h, or NaN when a side left the domain. */
  numeric: number;
  /** f(x + h) and f(x − h). */
  plus: number;
  /** See `plus`. */
  minus: number;
  /** True when a relu or abs changed branch between x − h and x + h (a kink inside the step). */
  crossesKink: boolean;
  /** The domain error raised at x ± h, if one was. */
  domainError?: string;
}

const KINK_OPS = new Set(["relu", "abs"]);

function kinkPattern(order: readonly Value[]): string {
  let s = "";
  for (const v of order) {
    if (KINK_OPS.has(v.op)) {
      const x = v.inputs[0].data;
      s += x > 0 ? "+" : x < 0 ? "-" : "0";
    }
  }
  return s;
}

/**
 * Estimates ∂root/∂leaf by nudging `leaf.data` by ±h and replaying the recorded graph (no
 * rebuilding). The leaf and every node are restored afterwards.
 *
 * @example
 * ```ts
 * import { graphDifference, Value } from "../../mod.ts";
 * import assert from "node:assert/strict";
 * const x = new Value(2, "x");
 * const y = x.mul(x).mul(x);
 * assert.ok(Math.abs(graphDifference(y, x).numeric - 12) < 1e-6);
 * assert.equal(y.data, 8); // restored
 * ```
 */
export function graphDifference(
  root: Value,
  leaf: Value,
  h = 1e-6,
  order: readonly Value[] = topoSort(root),
): GraphDifference {
  if (!(h > 0) || !Number.isFinite(h)) {
    throw new RangeError(`step h must be a positive number, got ${h}`);
  }
  if (!leaf.isLeaf) {
    throw new TypeError(
      `finite differences nudge leaves; "${leaf.label || leaf.op}" is an ${leaf.op} node`,
    );
  }
  const x = leaf.data;
  let plus = NaN, minus = NaN, domainError: string | undefined, pPlus = "", pMinus = "";
  try {
    leaf.data = x + h;
    plus = recompute(order);
    pPlus = kinkPattern(order);
    leaf.data = x - h;
    minus = recompute(order);
    pMinus = kinkPattern(order);
  } catch (e) {
    if (!(e instanceof RangeError)) throw e;
    domainError = e.message;
  } finally {
    leaf.data = x;
    recompute(order);
  }
  const numeric = domainError ? NaN : (plus - minus) / (2 * h);
  return { numeric, plus, minus, crossesKink: pPlus !== pMinus, domainError };
}
