/**
 * Expression trees as plain Unicode text (`2·(w·x + b − y)·x`), parenthesised only where needed.
 * The text reads back through the restricted parser (numbers written in scientific notation
 * aside).
 *
 * @module
 */
import { FUNCTION_PRECEDENCE, FUNCTIONS, OP_BY_NAME } from "../graph/ops.ts";
import { formatNumber } from "../text/format.ts";
import type { Expr } from "./ast.ts";

/**
 * The binding strengths the printers parenthesise by, read from the op table: sums (`add`,
 * `sub`), products (`mul`, `div`), signs (`neg`), powers (`pow`), and atoms and calls, which bind
 * like functions.
 */
export const PRECEDENCE: Readonly<
  { sum: number; product: number; sign: number; power: number; atom: number }
> = Object.freeze({
  sum: OP_BY_NAME.add.precedence,
  product: OP_BY_NAME.mul.precedence,
  sign: OP_BY_NAME.neg.precedence,
  power: OP_BY_NAME.pow.precedence,
  atom: FUNCTION_PRECEDENCE,
});

/** A node's binding strength ({@linkcode PRECEDENCE}); a negative number binds like a sign. */
export function precedence(e: Expr): number {
  switch (e.kind) {
    case "add":
      return PRECEDENCE.sum;
    case "mul":
      return PRECEDENCE.product;
    case "neg":
      return PRECEDENCE.sign;
    case "num":
      return e.value < 0 || Object.is(e.value, -0) ? PRECEDENCE.sign : PRECEDENCE.atom;
    case "pow":
      return PRECEDENCE.power;
    case "call":
      return FUNCTIONS[e.fn].precedence;
    default:
      return PRECEDENCE.atom;
  }
}

/**
 * Writes an expression as text.
 *
 * @example
 * ```ts
 * import { parseExpression, toText } from "../../mod.ts";
 * import assert from "node:assert/strict";
 * assert.equal(toText(parseExpression("2*(w*x+b-y)*x").expr), "2·(w·x + b − y)·x");
 * assert.equal(toText(parseExpression("-(a+b)^2/c").expr), "−(a + b)^2/c");
 * ```
 */
export function toText(e: Expr): string {
  const p = (x: Expr, min: number): string => precedence(x) < min ? `(${toText(x)})` : toText(x);
  const { sum, product, power, atom } = PRECEDENCE;
  switch (e.kind) {
    case "num":
      return formatNumber(e.value, { exact: true });
    case "sym":
      return e.name;
    case "const":
      return e.name === "pi" ? "π" : "e";
    case "neg":
      return `−${p(e.arg, product)}`;
    case "add":
      return e.terms.map((t, i) =>
        i === 0
          ? (t.sign < 0 ? `−${p(t.expr, product)}` : p(t.expr, sum))
          : `${t.sign > 0 ? " + " : " − "}${p(t.expr, product)}`
      ).join("");
    case "mul":
      return e.factors.map((f, i) =>
        i === 0
          ? (f.inverse ? `1/${p(f.expr, power)}` : p(f.expr, product))
          : `${f.inverse ? "/" : "·"}${p(f.expr, power)}`
      ).join("");
    case "pow":
      return `${p(e.base, atom)}^${p(e.exponent, atom)}`;
    case "call":
      return `${e.fn}(${toText(e.arg)})`;
  }
}
