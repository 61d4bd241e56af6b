/**
 * Finite differences: the derivative estimated from the function alone, the independent check
 * on backprop.
 *
 * @module
 */
import { OP_BY_NAME, type OpName } from "../graph/ops.ts";
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
  /**
   * True when the step reaches a kink of an op (the op table's `kinks`: relu and abs at 0, sqrt
   * at 0): an input crosses or touches it between x − h and x + h, or comes as close to it as the
   * step moves it.
   */
  crossesKink: boolean;
  /** The domain error raised at x ± h, if one was. */
  domainError?: string;
}

/** The nodes whose op has kinks (op table's `kinks`), with their first input's value now. */
function kinkInputs(order: readonly Value[]): { v: Value; k: readonly number[]; a: number }[] {
  const out: { v: Value; k: readonly number[]; a: number }[] = [];
  for (const v of order) {
    if (v.isLeaf) continue;
    const k = OP_BY_NAME[v.op as OpName]?.kinks;
    if (k) out.push({ v, k, a: v.inputs[0].data });
  }
  return out;
}

/**
 * True when a step from the values `at` to `plus` and `minus` reaches a kink: an input crosses
 * or touches one, or comes as close to it as the step moves it (sqrt(x²) near x = 0).
 */
function reachesKink(
  at: readonly { k: readonly number[]; a: number }[],
  plus: readonly number[],
  minus: readonly number[],
): boolean {
  return at.some(({ k, a }, i) =>
    k.some((kink) => {
      const lo = Math.min(plus[i], minus[i]), hi = Math.max(plus[i], minus[i]);
      if (lo <= kink && kink <= hi) return true;
      const moved = Math.max(Math.abs(plus[i] - a), Math.abs(minus[i] - a));
      return Math.abs(a - kink) <= 2 * moved;
    })
  );
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
  let plus = NaN, minus = NaN, domainError: string | undefined;
  const kinked = kinkInputs(order);
  let kPlus: number[] = [], kMinus: number[] = [];
  try {
    leaf.data = x + h;
    plus = recompute(order);
    kPlus = kinked.map(({ v }) => v.inputs[0].data);
    leaf.data = x - h;
    minus = recompute(order);
    kMinus = kinked.map(({ v }) => v.inputs[0].data);
  } catch (e) {
    if (!(e instanceof RangeError)) throw e;
    domainError = e.message;
  } finally {
    leaf.data = x;
    recompute(order);
  }
  const numeric = domainError ? NaN : (plus - minus) / (2 * h);
  const crossesKink = domainError === undefined && reachesKink(kinked, kPlus, kMinus);
  return { numeric, plus, minus, crossesKink, domainError };
}
