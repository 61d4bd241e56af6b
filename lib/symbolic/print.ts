/**
 * Expression trees as plain Unicode text (`2·(w·x + b − y)·x`), parenthesised only where needed.
 * The text reads back through the restricted parser (numbers written in scientific notation
 * aside).
 *
 * @module
 */
import { formatNumber } from "../text/format.ts";
import type { Expr } from "./ast.ts";

/** Binding strength: 1 sums, 2 products, 3 signs, 4 powers, 5 atoms and calls. */
export function precedence(e: Expr): number {
  switch (e.kind) {
    case "add":
      return 1;
    case "mul":
      return 2;
    case "neg":
      return 3;
    case "num":
      return e.value < 0 || Object.is(e.value, -0) ? 3 : 5;
    case "pow":
      return 4;
    default:
      return 5;
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
  switch (e.kind) {
    case "num":
      return formatNumber(e.value, { exact: true });
    case "sym":
      return e.name;
    case "const":
      return e.name === "pi" ? "π" : "e";
    case "neg":
      return `−${p(e.arg, 2)}`;
    case "add":
      return e.terms.map((t, i) =>
        i === 0
          ? (t.sign < 0 ? `−${p(t.expr, 2)}` : p(t.expr, 1))
          : `${t.sign > 0 ? " + " : " − "}${p(t.expr, 2)}`
      ).join("");
    case "mul":
      return e.factors.map((f, i) =>
        i === 0
          ? (f.inverse ? `1/${p(f.expr, 4)}` : p(f.expr, 2))
          : `${f.inverse ? "/" : "·"}${p(f.expr, 4)}`
      ).join("");
    case "pow":
      return `${p(e.base, 5)}^${p(e.exponent, 5)}`;
    case "call":
      return `${e.fn}(${toText(e.arg)})`;
  }
}
