/**
 * The expression tree stepgrad's own parser produces and its printers read: plain data, small,
 * with only the node kinds a gradient formula needs. Sums and products are n-ary, so a long sum
 * is one node with many terms (no deep left-leaning chains).
 *
 * @module
 */
import {
  DERIVATIVE_FUNCTION_NAMES,
  type DerivativeFunctionName,
  FUNCTION_OP_NAMES,
  type FunctionName,
  type FunctionOpName,
} from "../graph/ops.ts";

/** The functions a user may write, each of one argument: the op table's functions. */
export const USER_FUNCTIONS: readonly FunctionOpName[] = FUNCTION_OP_NAMES;

/**
 * Functions that appear in derivatives: `step` (the Heaviside step, step(0) = 0, relu's
 * derivative) and `sign` (abs's derivative, sign(0) = 0), from the op table's
 * `DERIVATIVE_FUNCTION_SPECS`. A claim may use them too.
 */
export const DERIVATIVE_FUNCTIONS: readonly DerivativeFunctionName[] = DERIVATIVE_FUNCTION_NAMES;

/** A function name in an expression tree. */
export type { FunctionName };

/** The named constants: π and Euler's number. */
export type ConstantName = "pi" | "e";

/** One term of a sum, with its sign. */
export interface Term {
  /** +1 for an added term, −1 for a subtracted one. */
  sign: 1 | -1;
  /** The term. */
  expr: Expr;
}

/** One factor of a product; `inverse` marks a divisor. */
export interface Factor {
  /** True when the factor divides (`a / b` has factors a and b, b inverse). */
  inverse: boolean;
  /** The factor. */
  expr: Expr;
}

/**
 * A node of an expression tree. `pos` is the 1-based column where the node starts in the text it
 * was parsed from (absent for trees built by program, such as derivatives).
 */
export type Expr =
  | { kind: "num"; value: number; pos?: number }
  | { kind: "sym"; name: string; pos?: number }
  | { kind: "const"; name: ConstantName; pos?: number }
  | { kind: "neg"; arg: Expr; pos?: number }
  | { kind: "add"; terms: Term[]; pos?: number }
  | { kind: "mul"; factors: Factor[]; pos?: number }
  | { kind: "pow"; base: Expr; exponent: Expr; pos?: number }
  | { kind: "call"; fn: FunctionName; arg: Expr; pos?: number };

/** Node constructors, for building trees by program. */
export const E = {
  num: (value: number): Expr => ({ kind: "num", value }),
  sym: (name: string): Expr => ({ kind: "sym", name }),
  neg: (arg: Expr): Expr => ({ kind: "neg", arg }),
  add: (...exprs: Expr[]): Expr => ({
    kind: "add",
    terms: exprs.map((expr) => ({ sign: 1 as const, expr })),
  }),
  sub: (a: Expr, b: Expr): Expr => ({
    kind: "add",
    terms: [{ sign: 1, expr: a }, { sign: -1, expr: b }],
  }),
  mul: (...exprs: Expr[]): Expr => ({
    kind: "mul",
    factors: exprs.map((expr) => ({ inverse: false, expr })),
  }),
  div: (a: Expr, b: Expr): Expr => ({
    kind: "mul",
    factors: [{ inverse: false, expr: a }, { inverse: true, expr: b }],
  }),
  pow: (base: Expr, exponent: Expr): Expr => ({ kind: "pow", base, exponent }),
  call: (fn: FunctionName, arg: Expr): Expr => ({ kind: "call", fn, arg }),
};

/** The distinct symbols of a tree, in the order they first appear. */
export function symbolsOf(expr: Expr): string[] {
  const seen = new Set<string>();
  const walk = (e: Expr): void => {
    switch (e.kind) {
      case "sym":
        seen.add(e.name);
        return;
      case "neg":
      case "call":
        return walk(e.arg);
      case "add":
        return e.terms.forEach((t) => walk(t.expr));
      case "mul":
        return e.factors.forEach((f) => walk(f.expr));
      case "pow":
        walk(e.base);
        return walk(e.exponent);
    }
  };
  walk(expr);
  return [...seen];
}

/** The number of nodes in a tree. */
export function sizeOf(expr: Expr): number {
  switch (expr.kind) {
    case "num":
    case "sym":
    case "const":
      return 1;
    case "neg":
    case "call":
      return 1 + sizeOf(expr.arg);
    case "add":
      return expr.terms.reduce((n, t) => n + sizeOf(t.expr), 1);
    case "mul":
      return expr.factors.reduce((n, f) => n + sizeOf(f.expr), 1);
    case "pow":
      return 1 + sizeOf(expr.base) + sizeOf(expr.exponent);
  }
}
