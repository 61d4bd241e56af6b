/**
 * Numbers from expression trees: evaluation at a point, with what a checker needs to know about
 * the evaluation (was a kink hit, how large were the numbers that cancelled in a sum).
 *
 * @module
 */
import { OP_BY_NAME } from "../graph/ops.ts";
import type { Expr, FunctionName } from "./ast.ts";

const FN: Record<FunctionName, (x: number) => number> = {
  exp: Math.exp,
  log: (x) => (x > 0 ? Math.log(x) : NaN),
  sqrt: (x) => (x >= 0 ? Math.sqrt(x) : NaN),
  abs: Math.abs,
  tanh: Math.tanh,
  sinh: Math.sinh,
  cosh: Math.cosh,
  sech: (x) => OP_BY_NAME.sech.forward(x, 0),
  sin: Math.sin,
  cos: Math.cos,
  sigmoid: (x) => OP_BY_NAME.sigmoid.forward(x, 0),
  relu: (x) => (x > 0 ? x : 0),
  softplus: (x) => OP_BY_NAME.softplus.forward(x, 0),
  step: (x) => (x > 0 ? 1 : 0),
  sign: (x) => (x > 0 ? 1 : x < 0 ? -1 : 0),
};
const KINKED = new Set<FunctionName>(["relu", "abs", "step", "sign"]);

/** An evaluation and what was seen on the way. */
export interface Evaluation {
  /** The value; NaN outside the domain (log of a negative number, 0/0, …). */
  value: number;
  /** The largest magnitude added or subtracted on the way: the scale of rounding error. */
  scale: number;
  /** True when a relu, abs, step or sign was evaluated exactly at 0 (a kink). */
  kink: boolean;
}

/**
 * Evaluates an expression at a point. Unknown variables are an error (a `RangeError` naming
 * them); values outside a function's domain give NaN, never an exception.
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
  const seen: Evaluation = { value: NaN, scale: 0, kink: false };
  const go = (x: Expr): number => {
    switch (x.kind) {
      case "num":
        return x.value;
      case "const":
        return x.name === "pi" ? Math.PI : Math.E;
      case "sym": {
        const v = Object.hasOwn(env, x.name) ? env[x.name] : undefined;
        if (v === undefined) throw new RangeError(`no value for the variable "${x.name}"`);
        return v;
      }
      case "neg":
        return -go(x.arg);
      case "add": {
        let s = 0;
        for (const t of x.terms) {
          const v = go(t.expr);
          const a = Math.abs(v);
          if (a > seen.scale) seen.scale = a;
          s += t.sign * v;
        }
        return s;
      }
      case "mul": {
        let s = 1;
        for (const f of x.factors) {
          const v = go(f.expr);
          if (f.inverse) s = v === 0 ? NaN : s / v;
          else s *= v;
        }
        return s;
      }
      case "pow": {
        const b = go(x.base);
        const ex = go(x.exponent);
        if (b === 0 && ex < 0) return NaN;
        return Math.pow(b, ex);
      }
      case "call": {
        const a = go(x.arg);
        if (a === 0 && KINKED.has(x.fn)) seen.kink = true;
        return FN[x.fn](a);
      }
    }
  };
  seen.value = go(e);
  return seen;
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
