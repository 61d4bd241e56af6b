/**
 * Numbers from expression trees: evaluation at a point, with what a checker needs to know about
 * the evaluation (was a kink hit, how large were the numbers that cancelled in a sum).
 *
 * @module
 */
import { FUNCTIONS, type FunctionSpec } from "../graph/ops.ts";
import type { Expr, FunctionName } from "./ast.ts";

// f(x) for each function, NaN outside its domain (never an exception).
const FN = Object.fromEntries(
  Object.values(FUNCTIONS).map((f) => [
    f.name,
    f.domain === undefined
      ? (x: number) => f.forward(x, 0)
      : (x: number) => (f.domain!(x, 0) === undefined ? f.forward(x, 0) : NaN),
  ]),
) as Record<FunctionName, (x: number) => number>;

// The functions whose slope jumps at their kinks (relu, abs, step, sign): evaluated exactly at
// one, the derivative there is a convention.
const KINKED = new Set<string>(
  Object.values(FUNCTIONS).filter((f) => f.kinks && f.kinkJumps).map((f) => f.name),
);

/** An evaluation and what was seen on the way. */
export interface Evaluation {
  /** The value; NaN outside the domain (log of a negative number, 0/0, …). */
  value: number;
  /**
   * A bound on the rounding error of `value` (running error analysis: each operation's rounding
   * plus the inputs' errors scaled by the local derivative), so `1 − tanh(x)²` and `sech(x)²`
   * can be told apart from a genuinely different formula.
   */
  error: number;
  /** True when a relu, abs, step or sign was evaluated exactly at 0 (a kink). */
  kink: boolean;
}

const U = Number.EPSILON / 2;

/**
 * |f′| near a, given a and v = f(a), for propagating rounding errors: the op table's derivative,
 * and at a kink the steepest slope beside it (abs at 0: 1), since a rounding error may carry the
 * argument to either side.
 */
function slopeBound(f: FunctionSpec, a: number, v: number): number {
  const s = Math.abs(f.grad(0, a, 0, v));
  if (f.kinks === undefined || !f.kinks.includes(a)) return s;
  let steepest = s;
  for (const side of [nextDown(a), nextUp(a)]) {
    if (f.domain?.(side, 0) !== undefined) continue;
    const t = Math.abs(f.grad(0, side, 0, f.forward(side, 0)));
    if (t > steepest) steepest = t;
  }
  return steepest;
}

const F64 = new Float64Array(1);
const I64 = new BigInt64Array(F64.buffer);
/** The next float64 above x (x finite). */
function nextUp(x: number): number {
  if (x === 0) return Number.MIN_VALUE;
  F64[0] = x;
  I64[0] += x > 0 ? 1n : -1n;
  return F64[0];
}
/** The next float64 below x (x finite). */
function nextDown(x: number): number {
  return -nextUp(-x);
}

/**
 * Evaluates an expression at a point, with a bound on its rounding error. Unknown variables are
 * an error (a `RangeError` naming them); values outside a function's domain give NaN, never an
 * exception.
 *
 * @example
 * ```ts
 * import { evaluateExpr, parseExpression } from "../../mod.ts";
 * import assert from "node:assert/strict";
 * const e = parseExpression("2*(w*x + b - y)*x").expr;
 * assert.equal(evaluateExpr(e, { w: 0.5, x: 2, b: 0, y: 3 }).value, -8);
 * assert.ok(Number.isNaN(evaluateExpr(parseExpression("log(x)").expr, { x: -1 }).value));
 * ```
 */
export function evaluateExpr(e: Expr, env: Readonly<Record<string, number>>): Evaluation {
  let kink = false;
  // Returns [value, error bound].
  const go = (x: Expr): [number, number] => {
    switch (x.kind) {
      case "num":
        return [x.value, Number.isInteger(x.value) ? 0 : U * Math.abs(x.value)];
      case "const": {
        const v = x.name === "pi" ? Math.PI : Math.E;
        return [v, U * v];
      }
      case "sym": {
        const v = Object.hasOwn(env, x.name) ? env[x.name] : undefined;
        if (v === undefined) throw new RangeError(`no value for the variable "${x.name}"`);
        return [v, 0];
      }
      case "neg": {
        const [v, err] = go(x.arg);
        return [-v, err];
      }
      case "add": {
        let s = 0, err = 0, mag = 0;
        for (const t of x.terms) {
          const [v, ev] = go(t.expr);
          s += t.sign * v;
          err += ev;
          mag += Math.abs(v);
        }
        return [s, err + U * mag * x.terms.length];
      }
      case "mul": {
        const parts = x.factors.map((f) => go(f.expr));
        let p = 1;
        x.factors.forEach((f, i) => {
          const v = parts[i][0];
          p = f.inverse ? (v === 0 ? NaN : p / v) : p * v;
        });
        let err = U * Math.abs(p) * x.factors.length;
        parts.forEach(([v, ev], i) => {
          if (ev === 0) return;
          if (v !== 0) err += (ev / Math.abs(v)) * Math.abs(p);
          else {
            let others = 1;
            parts.forEach(([w], j) => {
              if (j !== i) others *= x.factors[j].inverse ? 1 / Math.abs(w) : Math.abs(w);
            });
            err += ev * others;
          }
        });
        return [p, err];
      }
      case "pow": {
        const [b, eb] = go(x.base);
        const [ex, ee] = go(x.exponent);
        if (b === 0 && ex < 0) return [NaN, 0];
        const v = Math.pow(b, ex);
        const rel = (b !== 0 ? Math.abs(ex) * eb / Math.abs(b) : 0) +
          (b > 0 ? Math.abs(Math.log(b)) * ee : 0);
        return [v, Math.abs(v) * (rel + U)];
      }
      case "call": {
        const [a, ea] = go(x.arg);
        if (a === 0 && KINKED.has(x.fn)) kink = true;
        const v = FN[x.fn](a);
        return [v, slopeBound(FUNCTIONS[x.fn], a, v) * ea + U * Math.abs(v)];
      }
    }
  };
  const [value, error] = go(e);
  return { value, error, kink };
}

/**
 * Compiles an expression to a function of its variables' values, given in the order of `names`,
 * for evaluating one formula many times.
 */
export function compileExpr(
  e: Expr,
  names: readonly string[],
): (values: ArrayLike<number>) => number {
  const index = new Map(names.map((n, i) => [n, i]));
  const go = (x: Expr): (v: ArrayLike<number>) => number => {
    switch (x.kind) {
      case "num": {
        const c = x.value;
        return () => c;
      }
      case "const": {
        const c = x.name === "pi" ? Math.PI : Math.E;
        return () => c;
      }
      case "sym": {
        const i = index.get(x.name);
        if (i === undefined) throw new RangeError(`no value for the variable "${x.name}"`);
        return (v) => v[i];
      }
      case "neg": {
        const a = go(x.arg);
        return (v) => -a(v);
      }
      case "add": {
        const fs = x.terms.map((t) => go(t.expr));
        const signs = x.terms.map((t) => t.sign);
        return (v) => {
          let s = 0;
          for (let i = 0; i < fs.length; i++) s += signs[i] * fs[i](v);
          return s;
        };
      }
      case "mul": {
        const fs = x.factors.map((f) => go(f.expr));
        const inv = x.factors.map((f) => f.inverse);
        return (v) => {
          let s = 1;
          for (let i = 0; i < fs.length; i++) s = inv[i] ? s / fs[i](v) : s * fs[i](v);
          return s;
        };
      }
      case "pow": {
        const b = go(x.base);
        const ex = go(x.exponent);
        return (v) => Math.pow(b(v), ex(v));
      }
      case "call": {
        const f = FN[x.fn];
        const a = go(x.arg);
        return (v) => f(a(v));
      }
    }
  };
  return go(e);
}
